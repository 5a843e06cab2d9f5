"""The directory's filters, one FilterSet for the directory page and the open-data downloads.

GET parameters (agreed across the site; links from other pages depend on them): `q`, `legal_form`,
`kind`, `town`, `village`, `field`, `grade`, `status`, `credit_list`, `year_from`, `year_to`,
`services`, `incubated`, `as_of`, `sort`. Every filter that depends on time (kind, status, grade,
credit list, services, incubated) means what it meant on `as_of` (today unless given), read from
registry.facts, so that a figure as of a date and the list it links to count the same
organizations. With `as_of` given, the list holds the organizations registered or filed by then.

An unknown value makes the form invalid: callers check `is_valid()` and show `errors` (in Chinese,
by field) rather than silently dropping the filter; `qs` then applies only the valid filters.
`qs` is ordered by `sort` (pinyin order of names by default).
"""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from website.as_of import as_of_error

from . import facts, selectors
from .models import (
    ACTIVE_STATUSES, Area, CreditListEntry, EvaluationGrade, LegalForm, Organization,
    ServiceField, Status,
)
from .search import MAX_KEYWORD_LENGTH, search_organizations

FIRST_YEAR, LAST_YEAR = 1949, 2100
ALL = _("全部")

KIND_CHOICES = [("registered", _("登记")), ("filed", _("备案"))]
STATUS_CHOICES = [
    ("active", _("正常")),
    ("deregistered", _("已注销")),
    ("revoked", _("已撤销登记")),
    ("filing_cancelled", _("已撤销备案")),
]
STATUS_VALUES = {
    "active": ACTIVE_STATUSES,
    "deregistered": (Status.DEREGISTERED,),
    "revoked": (Status.REVOKED,),
    "filing_cancelled": (Status.FILING_CANCELLED,),
}
KIND_STATUSES = {"registered": facts.REGISTERED_TRACK, "filed": facts.FILED_TRACK}
CREDIT_LIST_CHOICES = [
    ("yes", _("在信用名录中")),
    *[(kind.value, kind.label) for kind in CreditListEntry.ListKind],
    ("no", _("不在信用名录中")),
]
SORT_CHOICES = [
    ("name", _("名称（拼音顺序）")),
    ("-registered", _("登记/备案日期（新到旧）")),
    ("registered", _("登记/备案日期（旧到新）")),
    ("-grade", _("评估等级（高到低）")),
]
GRADE_CHOICES = [(str(grade.value), grade.label) for grade in EvaluationGrade.Grade]


class _DisplayNameChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class TaxonomyChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice of area, service field or department, each option named in the page's language."""

    field_class = _DisplayNameChoiceField


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)


def _area_code(value):
    """`value` if it can be an area code (the form reports it otherwise), else None."""
    max_length = Area._meta.get_field("code").max_length
    if isinstance(value, str) and 0 < len(value) <= max_length and value.isalnum():
        return value
    return None


class AsOfField(forms.DateField):
    """A day from website.as_of.EARLIEST_DATE to today, in YYYY-MM-DD (the message says which rule failed)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and len(value) > 40:
            value = value[:40]
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(as_of_error(value), code="invalid") from None

    def validate(self, value):
        super().validate(value)
        message = as_of_error(value) if value else None
        if message:
            raise forms.ValidationError(message, code="out_of_range")


class AsOfFilter(django_filters.Filter):
    field_class = AsOfField


class DirectoryForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("year_from"), cleaned.get("year_to")
        if start and end and start > end:
            self.add_error("year_to", _("截止年份不能早于起始年份。"))
        return cleaned


class OrganizationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("关键词"), method="filter_keyword", max_length=MAX_KEYWORD_LENGTH, strip=True,
        help_text=_("名称、曾用名、统一社会信用代码或备案编号"), widget=forms.SearchInput,
    )
    legal_form = django_filters.ChoiceFilter(
        label=_("组织类型"), choices=LegalForm.choices, empty_label=ALL
    )
    kind = django_filters.ChoiceFilter(
        label=_("登记或备案"), choices=KIND_CHOICES, method="filter_kind", empty_label=ALL
    )
    town = TaxonomyChoiceFilter(
        label=_("镇（街道）"), queryset=Area.objects.filter(level__in=Area.TOWN_LEVELS),
        to_field_name="code", empty_label=ALL,
    )
    village = TaxonomyChoiceFilter(
        label=_("村（社区）"), queryset=Area.objects.filter(level__in=Area.GRASSROOTS_LEVELS),
        to_field_name="code", empty_label=ALL,
    )
    field = TaxonomyChoiceFilter(
        label=_("服务领域"), field_name="service_fields", queryset=ServiceField.objects.all(),
        to_field_name="code", empty_label=ALL,
    )
    grade = django_filters.ChoiceFilter(
        label=_("评估等级"), choices=GRADE_CHOICES, method="filter_grade", empty_label=ALL
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=STATUS_CHOICES, method="filter_status", empty_label=ALL
    )
    credit_list = django_filters.ChoiceFilter(
        label=_("信用名录"), choices=CREDIT_LIST_CHOICES, method="filter_credit_list",
        empty_label=ALL,
    )
    year_from = YearFilter(label=_("登记/备案年份（起）"), method="filter_year_from")
    year_to = YearFilter(label=_("登记/备案年份（止）"), method="filter_year_to")
    services = django_filters.ChoiceFilter(
        label=_("承接政府转移职能"), choices=[("yes", _("承接过"))], method="filter_services",
        empty_label=ALL,
    )
    incubated = django_filters.ChoiceFilter(
        label=_("培育孵化"), choices=[("yes", _("经培育孵化"))], method="filter_incubated",
        empty_label=ALL,
    )
    as_of = AsOfFilter(
        label=_("截至日期"), method="filter_as_of",
        help_text=_("按某日的状态查看，格式 YYYY-MM-DD"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("排序"), choices=SORT_CHOICES, method="keep", empty_label=None,
    )

    class Meta:
        model = Organization
        fields = []
        form = DirectoryForm

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.as_of = self._as_of_asked() or timezone.localdate()
        # A village is chosen within its town: the choices are that town's villages (a country's
        # villages would not fit in one list), or the one village asked for.
        town, village = _area_code(self.data.get("town")), _area_code(self.data.get("village"))
        villages = self.filters["village"].queryset.order_by("code")
        if town:
            villages = villages.filter(parent__code=town)
        elif village:
            villages = villages.filter(code=village)
        else:
            villages = villages.none()
        village_filter = self.filters["village"]
        village_filter.queryset = villages
        village_filter.__dict__.pop("_field", None)  # a form field built earlier had all villages

    def _as_of_asked(self):
        """The valid `as_of` in the data, or None (an invalid one is reported by the form)."""
        field = self.filters["as_of"].field
        try:
            return field.clean(self.data.get("as_of")) if self.data.get("as_of") else None
        except forms.ValidationError:
            return None

    @property
    def chosen_sort(self):
        """The valid sort asked for, else "name"."""
        return (self.form.cleaned_data.get("sort") if self.is_valid() else None) or "name"

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort") or "name"
        return selectors.ordered_organizations(queryset, sort=sort, as_of=self.as_of)

    def keep(self, queryset, name, value):
        return queryset  # sorting is applied last, in filter_queryset

    def filter_keyword(self, queryset, name, value):
        return search_organizations(queryset, keyword=value)

    def filter_as_of(self, queryset, name, value):
        # The register as it stood that day: what was not yet registered or filed is not in it.
        # A kind or status filter asks for a status that day, which says as much.
        if self.form.cleaned_data.get("kind") or self.form.cleaned_data.get("status"):
            return queryset
        return queryset.filter(facts.existed_on(as_of=value))

    def filter_kind(self, queryset, name, value):
        # Registered (登记) or filed (备案) as the organization stood on the day: an organization
        # filed and later registered (备案转登记) counts as registered from that event on.
        return queryset.filter(facts.in_status(as_of=self.as_of, statuses=KIND_STATUSES[value]))

    def filter_grade(self, queryset, name, value):
        graded = facts.current_grades(as_of=self.as_of).filter(grade=int(value))
        # A join on the grade's key (one current grade per organization, so no duplicates): the
        # planner estimates it well, where an IN over organization ids made it walk every id.
        return queryset.filter(evaluation_grades__pk__in=graded.values("pk"))

    def filter_status(self, queryset, name, value):
        return queryset.filter(facts.in_status(as_of=self.as_of, statuses=STATUS_VALUES[value]))

    def filter_credit_list(self, queryset, name, value):
        if value == "no":
            return queryset.exclude(facts.credit_listed(as_of=self.as_of))
        list_kind = None if value == "yes" else value
        return queryset.filter(facts.credit_listed(as_of=self.as_of, list_kind=list_kind))

    def filter_year_from(self, queryset, name, value):
        return queryset.filter(facts.started_between(start=datetime.date(value, 1, 1)))

    def filter_year_to(self, queryset, name, value):
        return queryset.filter(facts.started_between(end=datetime.date(value, 12, 31)))

    def filter_services(self, queryset, name, value):
        return queryset.filter(facts.undertook_service_expression(as_of=self.as_of))

    def filter_incubated(self, queryset, name, value):
        incubated = selectors.incubated_organizations(as_of=self.as_of)
        return queryset.filter(pk__in=incubated.values("pk"))
