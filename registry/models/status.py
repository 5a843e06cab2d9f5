from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from .organization import Organization, REGISTERED_LEGAL_FORMS


class Status(models.TextChoices):
    """What an organization is at a moment, derived from its status events."""

    REGISTERED = "registered", _("正常（登记）")
    FILED = "filed", _("正常（备案）")
    DEREGISTERED = "deregistered", _("已注销")
    REVOKED = "revoked", _("已撤销登记")
    FILING_CANCELLED = "filing_cancelled", _("已撤销备案")


ACTIVE_STATUSES = (Status.REGISTERED, Status.FILED)
ENDED_STATUSES = (Status.DEREGISTERED, Status.REVOKED, Status.FILING_CANCELLED)


def event_order(event):
    """Status events in the order they take effect: by date, then as entered (an unsaved event
    after the saved ones: it will be saved last)."""
    return (event.date, event.pk is None, event.pk or 0)


def status_on(events, day):
    """The Status on `day` from an organization's status events (saved or not, in any order): the
    status the last event dated on or before `day` leads to; None before the first. The one rule
    that validation, the import, the stored periods and the pages all follow (registry.facts)."""
    status = None
    for event in sorted(events, key=event_order):
        if event.date > day:
            break
        status = StatusEvent.RESULTING_STATUS.get(event.kind, status)
    return Status(status) if status else None


class StatusEvent(models.Model):
    class Kind(models.TextChoices):
        REGISTERED = "registered", _("成立登记")
        FILED = "filed", pgettext_lazy("status event", "备案")
        CHANGED = "changed", _("变更登记（备案）")
        FILED_TO_REGISTERED = "filed_to_registered", _("备案转登记")
        DEREGISTERED = "deregistered", _("注销登记")
        REVOKED = "revoked", _("撤销登记")
        FILING_CANCELLED = "filing_cancelled", _("撤销备案")

    START_KINDS = (Kind.REGISTERED, Kind.FILED)
    RESULTING_STATUS = {
        Kind.REGISTERED: Status.REGISTERED,
        Kind.FILED: Status.FILED,
        Kind.FILED_TO_REGISTERED: Status.REGISTERED,
        Kind.DEREGISTERED: Status.DEREGISTERED,
        Kind.REVOKED: Status.REVOKED,
        Kind.FILING_CANCELLED: Status.FILING_CANCELLED,
    }
    # Which status an event of each kind must follow (a CHANGED event follows any active one).
    REQUIRED_PRIOR_STATUS = {
        Kind.FILED_TO_REGISTERED: (Status.FILED,),
        Kind.DEREGISTERED: (Status.REGISTERED,),
        Kind.REVOKED: (Status.REGISTERED,),
        Kind.FILING_CANCELLED: (Status.FILED,),
        Kind.CHANGED: ACTIVE_STATUSES,
    }

    organization = models.ForeignKey(
        Organization, verbose_name=_("社会组织"), on_delete=models.CASCADE,
        related_name="status_events",
        db_index=False,  # Meta.indexes has (organization, date)
    )
    kind = models.CharField(_("事项"), max_length=24, choices=Kind.choices)
    date = models.DateField(_("生效日期"))
    document_number = models.CharField(_("文号"), max_length=80, blank=True)
    description = models.TextField(_("说明"), blank=True)
    internal_note = models.TextField(_("内部备注"), blank=True)
    # Derived, kept for querying "as of a date" with one indexed range condition at any scale:
    # the status this event puts the organization in, and the date the next status event ends it.
    resulting_status = models.CharField(
        _("结果状态"), max_length=20, choices=Status.choices, blank=True, editable=False
    )
    ends_on = models.DateField(_("状态截止"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("登记备案事项")
        verbose_name_plural = _("登记备案事项")
        ordering = ["organization", "date", "pk"]
        indexes = [
            models.Index(fields=["organization", "date"]),
            models.Index(fields=["resulting_status", "date", "ends_on"]),
            models.Index(fields=["kind", "date"]),
            # The directory's "registered / filed on" order and year range read start events only.
            models.Index(
                fields=["date", "organization"], name="statusevent_start_date",
                condition=models.Q(kind__in=["registered", "filed"]),
            ),
        ]

    def __str__(self):
        return f"{self.organization} {self.get_kind_display()} {self.date}"

    def save(self, *args, **kwargs):
        self.resulting_status = self.RESULTING_STATUS.get(self.kind, "")
        super().save(*args, **kwargs)

    def clean(self):
        if not (self.organization_id and self.kind and self.date):
            return
        self.check_sequence(
            others=StatusEvent.objects.filter(organization_id=self.organization_id).exclude(pk=self.pk)
        )

    def check_sequence(self, *, others):
        """Raise ValidationError unless this event fits among `others`, the organization's other
        events. clean() loads them; a bulk import passes the ones it already holds."""
        others = list(others)
        starts = [e for e in others if e.kind in self.START_KINDS]
        if self.kind in self.START_KINDS:
            self._clean_start(starts, others)
        else:
            self._clean_following(starts, others)

    def _clean_start(self, starts, others):
        if starts:
            raise ValidationError({"kind": ValidationError(
                _("该组织已有%(kind)s记录（%(date)s），不能重复录入。"), code="duplicate_start",
                params={"kind": starts[0].get_kind_display(), "date": starts[0].date},
            )})
        earlier = [e for e in others if e.date < self.date]
        if earlier:
            first = min(earlier, key=lambda e: e.date)
            raise ValidationError({"date": ValidationError(
                _("%(kind)s日期（%(date)s）不能晚于该组织已有的%(other)s日期（%(other_date)s）。"),
                code="start_after_event",
                params={"kind": self.get_kind_display(), "date": self.date,
                        "other": first.get_kind_display(), "other_date": first.date},
            )})
        form = self.organization.legal_form
        if self.kind == self.Kind.REGISTERED and form not in REGISTERED_LEGAL_FORMS:
            raise ValidationError({"kind": ValidationError(
                _("备案的社区社会组织应录入“备案”，不能录入“成立登记”。"), code="kind_form"
            )})

    def _clean_following(self, starts, others):
        if not starts:
            raise ValidationError({"kind": ValidationError(
                _("请先录入该组织的成立登记或备案事项。"), code="no_start"
            )})
        start = starts[0]
        if self.date < start.date:
            raise ValidationError({"date": ValidationError(
                _("%(kind)s日期（%(date)s）不能早于该组织的%(start)s日期（%(start_date)s）。"),
                code="before_start",
                params={"kind": self.get_kind_display(), "date": self.date,
                        "start": start.get_kind_display(), "start_date": start.date},
            )})
        prior = self._status_before(others)
        allowed = self.REQUIRED_PRIOR_STATUS[self.kind]
        if prior not in allowed:
            raise ValidationError({"kind": ValidationError(
                _("%(date)s时该组织状态为“%(status)s”，不能录入“%(kind)s”。"), code="bad_transition",
                params={"date": self.date, "status": Status(prior).label,
                        "kind": self.get_kind_display()},
            )})
        later_end = [
            e for e in others if e.date >= self.date and e.kind in self.RESULTING_STATUS
            and self.RESULTING_STATUS[e.kind] in ENDED_STATUSES
        ]
        if self.kind in self.RESULTING_STATUS and later_end:
            raise ValidationError({"date": ValidationError(
                _("该组织已于%(date)s%(kind)s，本事项日期须早于该日期，或先修改该记录。"),
                code="after_end",
                params={"date": later_end[0].date, "kind": later_end[0].get_kind_display()},
            )})

    def _status_before(self, others):
        """The organization's status on this event's date, from its other status events."""
        return status_on(others, self.date)
