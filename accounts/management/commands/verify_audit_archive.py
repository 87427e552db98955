"""Check an audit archive file against its signature (accounts.archive.verify)."""

from django.core.management.base import BaseCommand, CommandError

from accounts import archive


class Command(BaseCommand):
    help = "校验审计日志归档文件的签名与内容。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="归档文件（.jsonl.gz）或其签名文件（.sig）")

    def handle(self, *args, file, **options):
        try:
            entries = archive.verify(file)
        except archive.ArchiveError as error:
            raise CommandError(f"校验失败：{error}") from None
        self.stdout.write(f"校验通过：{entries} 条记录，签名一致。")
