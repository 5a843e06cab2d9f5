from django.core.management.base import BaseCommand

from website.public_pages import ensure_public_pages
from website.roles import ensure_role_groups


class Command(BaseCommand):
    help = "创建公开站点的固定页面和工作人员角色（可重复运行）。"

    def handle(self, *args, **options):
        ensure_role_groups()
        pages = ensure_public_pages()
        self.stdout.write("公开页面：" + "、".join(f"{p.title} {p.url_path}" for p in pages))
