"""Move audit entries older than a date to a signed archive file, then prune them (accounts.archive)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from accounts import archive


def _date(text):
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{text!r}") from None


class Command(BaseCommand):
    help = "把某日期之前的审计日志写入签名的压缩归档文件，校验无误后从数据库删除（至少保留 365 天）。"

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="归档此日期（YYYY-MM-DD，本地时间）之前的记录")
        parser.add_argument("--out", required=True, help="归档文件所在目录")

    def handle(self, *args, before, out, **options):
        try:
            result = archive.archive(_date(before), out)
        except archive.ArchiveError as error:
            raise CommandError(str(error)) from None
        if result.path is None:
            self.stdout.write("没有需要归档的记录。")
        else:
            self.stdout.write(f"已归档并删除 {result.entries} 条：{result.path}（签名：{result.path}.sig）")
