"""The headline figures as the public pages present them: one label and one link per figure."""

from django.utils.translation import gettext as _

from funds.models import FundsNetworkPage
from incubator.models import IncubationPage
from registry.models import DirectoryPage, ServicesPage

from .navigation import public_page_url
from .selectors import headline_figures


def _url(request, page_class, suffix=""):
    base = public_page_url(request, page_class)
    return f"{base}{suffix}" if base else ""


def headline_cards(*, request, as_of):
    """The home page's figures on `as_of`, each with the link to the records behind it (the
    agreed directory, incubation and funds URLs)."""
    f = headline_figures(as_of=as_of)
    cards = [
        {"key": "registered", "value": f.registered, "unit": _("家"),
         "label": _("登记社会组织"),
         "detail": _("社会团体、社会服务机构和基金会，状态正常"),
         "url": _url(request, DirectoryPage, "?kind=registered&status=active")},
        {"key": "filed", "value": f.filed, "unit": _("家"),
         "label": _("备案社区社会组织"),
         "detail": _("在镇（街道）备案的社区社会组织，状态正常"),
         "url": _url(request, DirectoryPage, "?kind=filed&status=active")},
        {"key": "service_undertakers", "value": f.service_undertakers, "unit": _("家"),
         "label": _("承接政府转移职能的社会组织"),
         "detail": _("累计；覆盖 %(fields)s 个服务领域") % {"fields": f.service_fields_covered},
         "url": _url(request, DirectoryPage, "?services=yes")},
        {"key": "service_fields_covered", "value": f.service_fields_covered, "unit": _("个"),
         "label": _("转移职能覆盖的服务领域"),
         "detail": _("服务领域与镇（街道）的覆盖情况"),
         "url": _url(request, ServicesPage, "coverage/")},
        {"key": "incubated", "value": f.incubated, "unit": _("家"),
         "label": _("累计孵化社会组织（团队）"),
         "detail": _("县级培育发展中心 %(county)s 个、镇（街道）级 %(town)s 个")
         % {"county": f.incubation_centers_county, "town": f.incubation_centers_town},
         "url": _url(request, IncubationPage)},
        {"key": "foundations", "value": f.county_hubs + f.town_foundations, "unit": _("家"),
         "label": _("社区发展基金会"),
         "detail": _("县级枢纽 %(hubs)s 家；覆盖 %(covered)s / %(towns)s 个镇（街道）")
         % {"hubs": f.county_hubs, "covered": f.towns_with_foundation, "towns": f.town_count},
         "url": _url(request, FundsNetworkPage)},
        {"key": "special_funds", "value": f.special_funds, "unit": _("个"),
         "label": _("在设专项基金"),
         "detail": _("“1+9+N”社区支持网络中的 N"),
         "url": _url(request, FundsNetworkPage, "#special-funds")},
    ]
    lists = {"registered", "filed", "service_undertakers"}
    for card in cards:
        # A list card opens exactly `value` organizations (tests/test_figure_lists.py follows it).
        card["is_list"] = card["key"] in lists
        card["more"] = _("查看名单") if card["is_list"] else _("查看详情")
    return cards
