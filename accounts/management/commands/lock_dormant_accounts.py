"""Deactivate accounts unused for ``DORMANT_ACCOUNT_DAYS`` (等保 2.0: dormant accounts are locked).

Run daily by deploy/systemd/portal-lock-dormant.timer. An account counts as
used at its last login, or at its creation when it never logged in. A locked
account keeps everything it did; an administrator switches it on again
(账号 › 有效) and the owner then logs in.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from accounts.security_events import audit


class Command(BaseCommand):
    help = "停用超过 DORMANT_ACCOUNT_DAYS 天未登录的账号。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="默认取 DORMANT_ACCOUNT_DAYS（90）。")
        parser.add_argument("--dry-run", action="store_true", help="只列出，不停用。")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.DORMANT_ACCOUNT_DAYS if days is None else days
        if days <= 0:
            self.stdout.write("DORMANT_ACCOUNT_DAYS 为 0：不停用任何账号。")
            return
        cutoff = timezone.now() - timedelta(days=days)
        dormant = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        )
        names = sorted(dormant.values_list("username", flat=True))
        if not dry_run:
            dormant.update(is_active=False)
            for name in names:
                audit("account_locked_dormant", target=name, days=days)
        verb = "将停用" if dry_run else "已停用"
        self.stdout.write(
            f"{verb} {len(names)} 个超过 {days} 天未登录的账号" + (f"：{'、'.join(names)}" if names else "。")
        )
