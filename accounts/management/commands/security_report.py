"""The yearly 等保 checklist of issue 22, pass or fail, from the live configuration (accounts.policy_report)."""

from django.core.management.base import BaseCommand, CommandError

from accounts import policy_report


class Command(BaseCommand):
    help = "打印安全检查清单（等级保护测评用），有不通过的项目时退出码为 1。"

    def handle(self, *args, **options):
        checks = policy_report.checklist()
        failed = 0
        for check in checks:
            mark = "通过  " if check.passed else "不通过"
            failed += not check.passed
            self.stdout.write(f"[{mark}] {check.requirement}：{check.detail}")
        self.stdout.write(f"共 {len(checks)} 项，通过 {len(checks) - failed} 项，不通过 {failed} 项。")
        if failed:
            raise CommandError(f"{failed} 项不通过。", returncode=1)
