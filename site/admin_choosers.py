"""The organization chooser: every form with an organization field (a status event, a grade, an
inspection, a credit-list entry, a transferred service, an incubation, a foundation, a grant)
picks the organization here.

Staff type part of a name, a former name, a credit code or a filing number; the search is
registry.search, the directory's own (a Chinese substring through the bigram index on
PostgreSQL, `icontains` on SQLite). Rows come in pinyin order with their identifier and town, so
two organizations of the same name are told apart. The rows are those website.roles lets the
user choose (website.admin_scoping).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column

from registry.pinyin import in_pinyin_order
from registry.search import keyword_terms, search_organizations
from website.admin_scoping import (
    ScopedChooseResultsView, ScopedChooseView, ScopedSnippetChooserViewSet,
)


class OrganizationSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("搜索"), required=False,
        widget=forms.TextInput(attrs={"placeholder": _("名称、曾用名、统一社会信用代码或备案编号")}),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        keyword = (self.cleaned_data.get("q") or "").strip()
        if keyword:
            objects = search_organizations(objects, keyword=keyword)
            self.is_searching = True
            self.search_query = keyword
        return objects


class OrganizationChooseMixin:
    filter_form_class = OrganizationSearchForm
    page_title = _("选择社会组织")

    def get_object_list(self):
        return super().get_object_list().select_related("town")

    def apply_object_list_ordering(self, objects):
        # With a keyword the matches are few: PostgreSQL sorts them rather than walking the
        # whole pinyin index to find them (registry.pinyin.in_pinyin_order).
        searching = bool(keyword_terms(self.request.GET.get("q")))
        return objects.order_by(in_pinyin_order("name", use_index=not searching), "pk")

    @property
    def columns(self):
        title = self.title_column
        title.label = _("社会组织名称")
        return [
            title,
            Column("identifier", label=_("统一社会信用代码/备案编号"),
                   accessor="public_identifier"),
            Column("town", label=_("所属镇街"), accessor="town"),
        ]


class OrganizationChooseView(OrganizationChooseMixin, ScopedChooseView):
    pass


class OrganizationChooseResultsView(OrganizationChooseMixin, ScopedChooseResultsView):
    pass


class OrganizationChooserViewSet(ScopedSnippetChooserViewSet):
    choose_view_class = OrganizationChooseView
    choose_results_view_class = OrganizationChooseResultsView
