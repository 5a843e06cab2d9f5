from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from website.roles import ensure_role_groups


class Command(BaseCommand):
    help = "创建或更新工作人员角色（用户组）及其权限；可重复运行。"

    def handle(self, *args, **options):
        groups = ensure_role_groups()
        for name, group in groups.items():
            self.stdout.write(_("%(role)s：%(count)s 项权限") % {
                "role": name, "count": group.permissions.count()})
        self.stdout.write(self.style.SUCCESS(_("工作人员角色已就绪。")))
