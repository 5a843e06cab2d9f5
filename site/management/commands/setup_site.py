from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from website.public_pages import ensure_public_pages
from website.roles import ensure_role_groups


def served_path(page):
    """The address a page is served at (`/organizations/`), not its path in Wagtail's tree
    (`/home/organizations/`); None when no site serves it."""
    parts = page.get_url_parts()
    return parts[2] if parts else None


class Command(BaseCommand):
    help = "创建公开站点的固定页面和工作人员角色（可重复运行）。"

    def handle(self, *args, **options):
        ensure_role_groups()
        pages = ensure_public_pages()
        self.stdout.write(_("公开页面：") + "、".join(
            f"{p.title} {served_path(p) or _('（没有站点提供此页面）')}" for p in pages))
