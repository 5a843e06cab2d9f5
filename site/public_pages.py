"""The public site's fixed pages under the home page, created once and then owned by editors."""

from django.db import transaction

from funds.models import FundsNetworkPage
from incubator.models import IncubationPage
from registry.models import DirectoryPage, ServicesPage

from .models import HomePage, OpenDataPage, StatisticsPage

# (page class, slug, title): the order is the site's navigation order.
PUBLIC_PAGES = [
    (DirectoryPage, "organizations", "社会组织名录"),
    (ServicesPage, "services", "承接政府转移职能"),
    (IncubationPage, "incubation", "培育孵化"),
    (FundsNetworkPage, "funds", "社区基金"),
    (StatisticsPage, "statistics", "统计数据"),
    (OpenDataPage, "open-data", "开放数据"),
]


@transaction.atomic
def ensure_public_pages():
    """Create any missing fixed page under the home page; existing pages are left as editors made
    them. Returns the pages, in navigation order."""
    home = HomePage.objects.first()
    if home is None:
        raise RuntimeError("No HomePage: run migrations first.")
    pages = []
    for page_class, slug, title in PUBLIC_PAGES:
        page = page_class.objects.first()
        if page is None:
            page = home.add_child(instance=page_class(title=title, slug=slug))
            page.save_revision().publish()
        pages.append(page)
    return pages
