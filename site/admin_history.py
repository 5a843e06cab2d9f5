"""A record's history says what each saved revision changed: field, old value, new value.

Wagtail keeps a revision of a revisioned snippet (an organization) at each save, and its own
revisions-compare view shows two of them side by side as a text diff, field by field, one pair
per page. The history listing here adds a 变更内容 column to every row that saved a revision:
each field that differs from the revision before it, with its Chinese label, the old value and
the new one as staff read them (choice labels, related records by name, dates and amounts in the
interface's format, lists joined with 、). The fields and their labels are the ones Wagtail's
comparison takes from the edit form's panels, so a field staff cannot edit never shows up, and
the comparison link Wagtail gives in the row's menu stays.

Records are also written outside the admin (the bulk import, the demo loader), which keep no
revision. So that an edit's row shows only what that edit changed, the edit view first keeps the
record as it is stored as a revision of its own (no user, no history row) whenever the stored
record differs from its latest revision or has none: the edit is then compared with that.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin import compare
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.history import HistoryView
from wagtail.models import Revision, RevisionMixin
from wagtail.snippets.views.snippets import EditView

from website.admin_text import EMPTY

LIST_SEPARATOR = "\u3001"
# A long text (a business scope) is cut in the listing; the compare view shows it whole.
MAX_CHARS = 120


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class RevisionChanges:
    changes: tuple = ()
    # The revision had none before it to compare with (the record was created or imported
    # outside the admin, which keeps no revision).
    no_earlier: bool = False


def readable(value):
    """A stored value as staff read it in the interface's language."""
    if value is None or value == "":
        return str(EMPTY)
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value,
                           "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value)
    if isinstance(value, Decimal):
        # Amounts as finance writes them in either language (Django's zh-hans format groups
        # no digits).
        return f"{value:,.2f}"
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(readable(item) for item in value) or str(EMPTY)
    return Truncator(str(value)).chars(MAX_CHARS)


def _sides(diff):
    """(old, new) of one of Wagtail's field comparisons, as readable values."""
    if isinstance(diff, compare.ChildRelationComparison):
        return tuple(readable([str(child) for child in side.all()])
                     for side in (diff.val_a, diff.val_b))
    if isinstance(diff, compare.M2MFieldComparison):
        return tuple(readable([diff.get_item_display(item) for item in items])
                     for items in diff.get_items())
    if isinstance(diff, compare.ForeignObjectComparison):
        return tuple(readable(str(obj) if obj is not None else None) for obj in diff.get_objects())
    if isinstance(diff, compare.ChoiceFieldComparison):
        choices = dict(diff.field.flatchoices)
        return tuple(readable(choices.get(value, value)) for value in (diff.val_a, diff.val_b))
    return readable(diff.val_a), readable(diff.val_b)


def revision_changes(comparators, before, after):
    """The Changes from `before` to `after` (two revisions' objects), in the form's field order."""
    changes = []
    for comparator in comparators:
        diff = comparator(before, after)
        if diff.has_changed():
            old, new = _sides(diff)
            changes.append(Change(label=str(diff.field_label()), old=old, new=new))
    return tuple(changes)


class RevisionChangesColumn(Column):
    cell_template_name = "wagtailadmin/tables/revision_changes_cell.html"


class RevisionChangesHistoryView(HistoryView):
    """Wagtail's history listing, with the 变更内容 column for revisioned records."""

    edit_handler = None

    @cached_property
    def comparators(self):
        return (self.edit_handler.get_bound_panel(
            instance=self.object, request=self.request, form=None).get_comparison())

    @cached_property
    def columns(self):
        columns = list(super().columns)
        if isinstance(self.object, RevisionMixin) and self.edit_handler is not None:
            columns.insert(1, RevisionChangesColumn(
                "changes", label=_("变更内容"), accessor=self.changes_of))
        return columns

    @cached_property
    def _revision_objects(self):
        return {}

    def _revision_object(self, revision_id, revision=None):
        if revision_id not in self._revision_objects:
            if revision is None:
                revision = Revision.objects.filter(pk=revision_id).first()
            self._revision_objects[revision_id] = revision.as_object() if revision else None
        return self._revision_objects[revision_id]

    def changes_of(self, entry):
        """The RevisionChanges of a log entry that saved a revision, else None."""
        if not entry.revision_id or not entry.content_changed:
            return None
        previous_id = getattr(entry, "previous_revision_id", None)
        if previous_id is None:
            # A record created here has nothing before its first revision; one that was not
            # created here (imported, loaded) had a state nobody kept.
            return None if entry.action == "wagtail.create" else RevisionChanges(no_earlier=True)
        before = self._revision_object(previous_id)
        after = self._revision_object(entry.revision_id, entry.revision)
        if before is None or after is None:
            return RevisionChanges(no_earlier=True)
        return RevisionChanges(changes=revision_changes(self.comparators, before, after))


def keep_stored_state(instance, panel, request):
    """Save the stored row of `instance` (about to be edited) as a revision when no revision
    holds it yet (see the module's docstring)."""
    if not isinstance(instance, RevisionMixin) or instance.pk is None:
        return None
    stored = type(instance)._default_manager.get(pk=instance.pk)
    latest = stored.latest_revision
    if latest is not None:
        comparators = panel.get_bound_panel(
            instance=stored, request=request, form=None).get_comparison()
        if not revision_changes(comparators, latest.as_object(), stored):
            return None
    # Not through save_revision: that would point the record at this revision and save it.
    return Revision.objects.create(
        content_object=stored, base_content_type=stored.get_base_content_type(), user=None,
        content=stored.serializable_data(), object_str=str(stored),
    )


class StoredStateEditView(EditView):
    """Wagtail's snippet edit view, keeping the stored state first (keep_stored_state)."""

    def save_instance(self):
        # Inside the view's transaction: an edit that fails keeps nothing.
        keep_stored_state(self.object, self.panel, self.request)
        return super().save_instance()
