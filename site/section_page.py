"""The base of the public site's fixed section pages (directory, services, incubation, funds,
statistics, open data): one of each, directly under the home page, with an editor's intro."""

from django.utils.translation import gettext as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class SectionPage(Page):
    intro = RichTextField("导语", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        abstract = True

    def breadcrumbs(self, request, *more):
        """[(title, url)] from the home page to this section, then `more`."""
        return [(_("首页"), "/"), (_(self.title), self.get_url(request)), *more]
