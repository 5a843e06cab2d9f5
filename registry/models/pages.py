"""Public pages of the register. Records stay records: these routable pages list and show them
(a million organizations never become a million Wagtail pages)."""

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField
from wagtail.models import Page


class DirectoryPage(RoutablePageMixin, Page):
    """The searchable directory of organizations and each organization's page."""

    intro = RichTextField("导语", blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "社会组织名录"


class ServicesPage(RoutablePageMixin, Page):
    """The catalog of transferred services and the coverage of service fields by town."""

    intro = RichTextField("导语", blank=True)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "承接政府转移职能"
