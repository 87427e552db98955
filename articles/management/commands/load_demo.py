"""``manage.py load_demo``: the team's demo essays, with topics.

The essays are published, except those the manifest marks ``"draft": true``:
the essay pasted in damaged stays a draft, the way an import arrives, so an
editor opening it sees what proofreading suspects before anything is public.

Idempotent: topics are matched by name and essays by title, so a second run
changes nothing. Publish times are set relative to the first run; one essay
is scheduled a week ahead to show scheduled publishing.
"""

import json
from datetime import timedelta
from pathlib import Path

import reversion
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles import events
from articles.editing import importing, revisions, workflow
from articles.essay import parse
from articles.models import Article
from topics.models import Topic

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"

# Two levels: 栏目 → 专题. Names match the "topics" lists in the manifest.
DEMO_TOPICS = {
    "党建研究": ["基层组织建设", "党员教育"],
    "工作实践": ["社区治理", "机关党建", "国企党建"],
    "廉政建设": [],
}
DEMO_TOPIC_DESCRIPTIONS = {
    "党建研究": "基层党建工作的调查研究与理论思考。",
    "工作实践": "各领域基层党组织的做法与经验。",
    "廉政建设": "全面从严治党、党风廉政建设与纪律教育。",
}


class Command(BaseCommand):
    help = "载入演示内容：团队撰写的演示文稿（含一篇待校对的受损草稿）及专题。重复运行不会产生重复数据。"

    def handle(self, *args, **options):
        # One batch (articles.events): the demo content is followed by one task.
        with transaction.atomic(), events.changes():
            topics = self._ensure_topics()
            created = self._ensure_essays(topics)
        total = Article.objects.count()
        self.stdout.write(f"演示内容就绪：新增 {created} 篇文稿，共 {total} 篇；专题 {len(topics)} 个。")

    def _ensure_topics(self):
        topics = {}
        for position, (column, children) in enumerate(DEMO_TOPICS.items()):
            parent, _ = Topic.objects.get_or_create(
                name=column,
                defaults={"position": position, "description": DEMO_TOPIC_DESCRIPTIONS.get(column, "")},
            )
            topics[column] = parent
            for child_position, child in enumerate(children):
                topics[child], _ = Topic.objects.get_or_create(
                    name=child, defaults={"parent": parent, "position": child_position}
                )
        return topics

    def _ensure_essays(self, topics):
        manifest = json.loads((DEMO_DIR / "manifest.json").read_text(encoding="utf-8"))
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        created = 0
        for entry in manifest:
            essay = parse((DEMO_DIR / "essays" / entry["file"]).read_text(encoding="utf-8"))
            if Article.objects.filter(title=essay.title).exists():
                continue
            # Each essay is its own first revision (articles.editing.revisions), the
            # manifest's details included.
            with reversion.create_revision():
                reversion.set_comment("载入演示内容")
                article = importing.import_essay(
                    essay, topics=[topics[name] for name in entry["topics"]], source=entry.get("source", "")
                )
                article.author = entry.get("author", "")
                article.responsible_editor = entry.get("responsible_editor", "")
                article.summary = entry.get("summary", "")
                article.is_pinned = entry.get("pinned", False)
                if not entry.get("draft"):
                    article.published_at = now - timedelta(days=entry["days_ago"])
                article.save()
                if not entry.get("draft"):
                    workflow.publish(article, user=None, confirm_secrecy=True)
                revisions.add_essay(article)
            created += 1
        return created
