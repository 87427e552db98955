"""Write the view counts pending in the cache to the database now."""

from django.core.management.base import BaseCommand

from articles.reading import viewcounts


class Command(BaseCommand):
    help = "把缓存中尚未写入数据库的浏览次数写入数据库（可由定时任务每隔几分钟运行一次）。"

    def handle(self, *args, **options):
        written = viewcounts.flush()
        self.stdout.write(f"已写入 {written} 次浏览。")
