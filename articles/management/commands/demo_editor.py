"""``manage.py demo_editor``: the editor account the README's run command prints.

The account is a staff member of the 编辑 group (all permissions on essays
and topics), not a superuser. Its password is reset to the demo password on
every run, so the printed login always works. Refused when DEBUG is off,
unless a password is given explicitly.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError

DEMO_USERNAME = "editor"
DEMO_PASSWORD = "dangjian-demo-2026"
EDITOR_GROUP = "编辑"


class Command(BaseCommand):
    help = "创建(或重置)演示用的编辑账号。"

    def add_arguments(self, parser):
        parser.add_argument("--username", default=DEMO_USERNAME)
        parser.add_argument("--password", default=None)

    def handle(self, *args, **options):
        password = options["password"]
        if password is None:
            if not settings.DEBUG:
                raise CommandError("生产环境(DEBUG 关闭)不创建默认密码的账号；请用 --password 指定密码。")
            password = DEMO_PASSWORD
        group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label__in=["articles", "topics"])
        )
        user, _ = get_user_model().objects.get_or_create(username=options["username"])
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.add(group)
        self.stdout.write(f"编辑账号：用户名 {user.username}  密码 {password}")
