"""One mechanism that keeps scoped staff inside their scope in the Wagtail admin.

- `ScopedPermissionPolicy`: Wagtail's per-instance permission checks (list buttons, bulk actions,
  "edit" links from history and usage pages, copy) answer from website.roles.
- `RecordViewSetMixin`: every view a viewset builds goes through `construct_view`, which adds
  `ScopedObjectMixin` (any URL naming an object outside the user's scope answers 404 before the
  view loads it: edit, delete, inspect, copy, history, usage, revisions, preview, lock, unlock...)
  and, to listings, `ScopedListingMixin` (rows and spreadsheet exports hold only visible rows).
  Wagtail's generic views fetch objects with get_object_or_404(model, pk=...) without instance
  checks, so the check sits in front of them rather than inside each one.
- `ScopedAdminModelForm`: foreign-key choices narrowed to the user's scope, so a forged POST naming
  another town, center or foundation is refused with a Chinese message on the field.
- Snippet choosers list and accept only choosable rows.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import (
    FieldDoesNotExist, ImproperlyConfigured, ObjectDoesNotExist, ValidationError,
)
from django.forms import ModelChoiceField
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.auth import permission_denied
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList, extract_panel_definitions_from_model_class
from wagtail.admin.views.generic import DeleteView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.views.chooser import (
    ChooseResultsView, ChooseView, SnippetChooserViewSet, SnippetChosenMultipleView,
    SnippetChosenView, SnippetCreateView,
)
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail.snippets.widgets import AdminSnippetChooser

from website import roles
from website.admin_export import FormulaSafeExportMixin
from website.admin_history import RevisionChangesHistoryView, StoredStateEditView
from website.admin_ids import record_pk, record_pks
from website.admin_text import EmptyValueInspectMixin, HeaderTitleMixin
from website.admin_ordering import PinyinOrderingMixin
from website.admin_protected import ProtectedDeleteMixin

# Fields of lockable and revisioned models that mean nothing to a registrar on the inspect page.
TECHNICAL_FIELDS = ["locked", "locked_at", "locked_by", "latest_revision"]


class ScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions from Django groups, narrowed per instance to the user's scope."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and roles.can_access(
            user=user, instance=instance
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and roles.can_access(
            user=user, instance=instance
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return roles.visible(
            user=user, queryset=super().instances_user_has_any_permission_for(user, actions)
        )

    def users_with_any_permission_for_instance(self, actions, instance):
        users = self.users_with_any_permission(actions)
        allowed = [user.pk for user in users if roles.can_access(user=user, instance=instance)]
        return users.filter(pk__in=allowed)


def register_scoped_policies(*models):
    """Call at the top of a wagtail_hooks module, before any viewset asks for a policy."""
    for model in models:
        registered = policy_registry.get_by_type(model, fallback=False)
        if not isinstance(registered, ScopedPermissionPolicy):
            register_permission_policy(model, ScopedPermissionPolicy(model), exact_class=True)


class ScopedObjectMixin:
    """Answers 404 for an object URL outside the user's scope, before the view fetches it."""

    def setup(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            try:
                queryset = self.model._default_manager.filter(pk=unquote(str(pk)))
                found = roles.visible(user=request.user, queryset=queryset).exists()
            except (ValueError, ValidationError):  # not a primary key at all
                found = False
            if not found:
                raise Http404
        super().setup(request, *args, **kwargs)


class ScopedListingMixin:
    """Listings and their spreadsheet exports hold only the rows the user may see. A scoped
    member of staff whom nobody gave a scope is told so instead of facing an empty list."""

    list_select_related = ()
    list_prefetch_related = ()

    @cached_property
    def lacks_scope(self):
        return roles.lacks_scope(self.request.user)

    @cached_property
    def no_results_message(self):
        if self.lacks_scope:
            return NO_SCOPE_MESSAGE % {"county_staff": roles.ROLE_LABELS[roles.COUNTY_STAFF]}
        return super().no_results_message

    def get_add_url(self):
        # Nothing they could add would be inside a scope they do not have.
        return None if self.lacks_scope else super().get_add_url()

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        if self.list_prefetch_related:
            queryset = queryset.prefetch_related(*self.list_prefetch_related)
        return roles.visible(user=self.request.user, queryset=queryset)


NO_SCOPE_MESSAGE = _(
    "您的账号尚未设定管辖范围，所以这里没有可显示的记录。"
    "请联系%(county_staff)s在“工作人员 › 工作人员管辖范围”中为您设定。"
)


def scope_error_message(field):
    return gettext("所选%(field)s不在您的管辖范围内，请从列表中选择。") % {"field": field.label}


class ScopedAdminModelForm(WagtailAdminModelForm):
    """Narrows every foreign-key choice to what the user may pick (website.roles.choosable)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None:
            return
        for name, field in self.fields.items():
            if not isinstance(field, ModelChoiceField):
                continue
            if not roles.restricts_choices(user=user, model=field.queryset.model):
                continue
            field.queryset = roles.choosable(user=user, queryset=field.queryset)
            field.error_messages = {
                **field.error_messages,
                "invalid_choice": scope_error_message(field),
                "invalid_pk_value": scope_error_message(field),
            }
            # A scope of one (my town, my center) is the obvious answer for a new record.
            if self.instance.pk is None and field.required and not self.initial.get(name):
                only = list(field.queryset[:2])
                if len(only) == 1:
                    self.initial[name] = only[0].pk


def _chooser_queryset(view, queryset):
    return roles.choosable(user=view.request.user, queryset=queryset)


class ScopedChooseView(ChooseView):
    def get_object_list(self):
        return _chooser_queryset(self, super().get_object_list())


class ScopedChooseResultsView(ChooseResultsView):
    def get_object_list(self):
        return _chooser_queryset(self, super().get_object_list())


class ScopedChosenView(SnippetChosenView):
    def get_object(self, pk):
        pk = record_pk(self.model_class, pk)
        if pk is None:
            raise ObjectDoesNotExist
        queryset = _chooser_queryset(self, self.model_class._default_manager.filter(pk=pk))
        obj = queryset.first()
        if obj is None:
            raise ObjectDoesNotExist
        return obj


class ScopedChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return _chooser_queryset(self, super().get_objects(record_pks(self.model_class, pks)))


class NoCreateView(SnippetCreateView):
    """Our choosers have no creation form (records are made on their own, scoped, form):
    Wagtail's create view would fail on a POST with no form to validate."""

    def dispatch(self, request, *args, **kwargs):
        if self.get_creation_form_class() is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class RecordChooserWidget(AdminSnippetChooser):
    """A chooser field re-shown with a value that is no id (a forged POST) shows no record,
    where Wagtail's widget would look the text up and fail; the form reports the field."""

    def get_instance(self, value):
        if value is None or isinstance(value, self.model_class):
            return super().get_instance(value)
        return super().get_instance(record_pk(self.model_class, value))


class ScopedSnippetChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView
    create_view_class = NoCreateView
    base_widget_class = RecordChooserWidget


class RecordViewSetMixin:
    """What every record viewset of the staff admin shares: scoping, an inspect view, ORM search
    (icontains finds a Chinese substring on SQLite and PostgreSQL), names in pinyin order
    (website.admin_ordering), Chinese export headings and select_related listings."""

    inspect_view_enabled = True
    inspect_view_fields_exclude = TECHNICAL_FIELDS
    search_backend_name = None
    list_select_related = ()
    list_prefetch_related = ()
    base_form_class = ScopedAdminModelForm
    # Headings for list_export entries that are not model fields (paths, methods).
    extra_export_headings = {}

    @cached_property
    def menu_name(self):
        return f"{self.app_label}-{self.model_name}"

    def on_register(self):
        # Before Wagtail asks for the model's policy, so that its fallback never gets created.
        register_scoped_policies(self.model)
        super().on_register()

    def construct_view(self, view_class, **kwargs):
        bases = [ScopedObjectMixin]
        if issubclass(view_class, IndexView):
            bases[:0] = [ScopedListingMixin, PinyinOrderingMixin, FormulaSafeExportMixin]
        if issubclass(view_class, DeleteView):
            bases.insert(0, ProtectedDeleteMixin)
        if issubclass(view_class, InspectView):
            bases.insert(0, EmptyValueInspectMixin)
        if hasattr(view_class, "get_header_title"):
            bases.insert(0, HeaderTitleMixin)
        scoped_class = type(view_class.__name__, (*bases, view_class), {})
        return super().construct_view(scoped_class, **kwargs)

    def get_urlpatterns(self):
        urlpatterns = super().get_urlpatterns()
        for pattern in urlpatterns:
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class is None or not issubclass(view_class, ScopedObjectMixin):
                raise ImproperlyConfigured(
                    f"{type(self).__name__}: view {pattern.name!r} is not scoped; build it with "
                    "construct_view()."
                )
        return urlpatterns

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            list_select_related=self.list_select_related,
            list_prefetch_related=self.list_prefetch_related,
            **kwargs,
        )

    def get_edit_handler(self):
        edit_handler = super().get_edit_handler()
        if edit_handler is None:
            panels = extract_panel_definitions_from_model_class(
                self.model, exclude=self.get_exclude_form_fields()
            )
            edit_handler = ObjectList(panels).bind_to_model(self.model)
        if not edit_handler.base_form_class:
            edit_handler.base_form_class = self.base_form_class
        return edit_handler

    @cached_property
    def export_headings(self):
        """Chinese headings for list_export: each field's verbose name, also for the
        get_FOO_display of a choice field."""
        headings = {}
        for name in self.list_export or ():
            field_name = name
            if name.startswith("get_") and name.endswith("_display"):
                field_name = name[len("get_"):-len("_display")]
            try:
                headings[name] = str(self.model._meta.get_field(field_name).verbose_name)
            except FieldDoesNotExist:  # a path or a method: named in extra_export_headings
                continue
        return {**headings, **self.extra_export_headings}


class RecordModelViewSet(RecordViewSetMixin, ModelViewSet):
    """A record managed as a plain model viewset, at /admin/<app_label>/<model_name>/."""

    @cached_property
    def name(self):
        return f"{self.app_label}_{self.model_name}"

    @cached_property
    def url_prefix(self):
        return f"{self.app_label}/{self.model_name}"


class RecordSnippetViewSet(RecordViewSetMixin, SnippetViewSet):
    """A record managed as a snippet (revisions, locking, bulk actions, chooser); its history
    says what each revision changed (website.admin_history)."""

    chooser_viewset_class = ScopedSnippetChooserViewSet
    history_view_class = RevisionChangesHistoryView
    edit_view_class = StoredStateEditView

    def get_history_view_kwargs(self, **kwargs):
        return super().get_history_view_kwargs(edit_handler=self.get_edit_handler(), **kwargs)


def unrestricted_only(view):
    """Wrap an admin view that spans every scope (such as Wagtail's site history) so that only
    superusers and county staff reach it. Others go back to the dashboard with Wagtail's own
    "no permission" message, in their language, as for any admin area they may not enter."""

    def guarded(request, *args, **kwargs):
        if not roles.is_unrestricted(request.user):
            return permission_denied(request)
        return view(request, *args, **kwargs)

    return guarded
