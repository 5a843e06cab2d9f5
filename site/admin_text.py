"""Two things Wagtail's views write in English whatever the language, written as the interface's
language writes them: an empty field on the inspect page (Python's "None"), and the colon
between a page's title and its subject in the browser tab ("正在编辑: 西塘镇书画协会")."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

EMPTY = _("（空）")


class EmptyValueInspectMixin:
    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return EMPTY if value is None or value == "" else value


class HeaderTitleMixin:
    def get_header_title(self):
        title, subtitle = self.get_page_title(), self.get_page_subtitle()
        if not subtitle:
            return title
        return gettext("%(title)s：%(subject)s") % {"title": title, "subject": subtitle}
