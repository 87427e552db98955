"""``manage.py demo_editor``: the editor account the README's run command prints.

The account is a staff member of the 编辑 group (its permissions are set
by ``accounts.roles`` after every migrate), not a superuser. ``--role``
puts it in another role instead (撰稿人, 审核人, 管理员), to try the review
workflow. Its password is reset to the demo password on every run, so the
printed login always works. Refused when DEBUG is off, unless a password is
given explicitly.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from accounts import roles

DEMO_USERNAME = "editor"
DEMO_PASSWORD = "dangjian-demo-2026"
EDITOR_GROUP = roles.EDITOR
# English aliases for shells where typing Chinese is awkward.
ROLE_ALIASES = {
    "author": roles.AUTHOR,
    "editor": roles.EDITOR,
    "reviewer": roles.REVIEWER,
    "admin": roles.ADMINISTRATOR,
}


class Command(BaseCommand):
    help = "创建（或重置）演示用的账号，默认为编辑。"

    def add_arguments(self, parser):
        parser.add_argument("--username", default=DEMO_USERNAME)
        parser.add_argument("--password", default=None)
        parser.add_argument(
            "--role",
            default=EDITOR_GROUP,
            help="角色：撰稿人、编辑、审核人、管理员（或 author、editor、reviewer、admin），默认编辑。",
        )

    def handle(self, *args, **options):
        role = ROLE_ALIASES.get(options["role"], options["role"])
        if role not in roles.ROLES:
            raise CommandError(f"没有“{options['role']}”这个角色；可选：{'、'.join(roles.ROLES)}。")
        password = options["password"]
        if password is None:
            if not settings.DEBUG:
                raise CommandError("生产环境（DEBUG 关闭）不创建默认密码的账号；请用 --password 指定密码。")
            password = DEMO_PASSWORD
        try:
            group = Group.objects.get(name=role)
        except Group.DoesNotExist:
            raise CommandError(f"角色“{role}”不存在：请先运行 manage.py migrate。") from None
        user, _ = get_user_model().objects.get_or_create(username=options["username"])
        user.is_staff = True
        user.set_password(password)
        user.save()
        # One role per demo account: running with another --role switches it.
        user.groups.set([group])
        self.stdout.write(f"{role}账号：用户名 {user.username}  密码 {password}")
