"""sitemap.xml: the reading site's pages with their last modification time."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from topics.models import Topic


class EssaySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .only("id", "slug", "updated_at", "published_at")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, article):
        return max(article.updated_at, article.published_at)


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        published = Q(
            articles__status=Article.Status.PUBLISHED,
            articles__published_at__lte=timezone.now(),
            articles__deleted_at__isnull=True,
        )
        return Topic.objects.annotate(latest=Max("articles__updated_at", filter=published)).order_by("position", "id")

    def lastmod(self, topic):
        return topic.latest


class PageSitemap(Sitemap):
    """Home, all essays and the topic index: they change when an essay does."""

    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["articles:home", "articles:list", "topics:index"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        if not hasattr(self, "_latest"):
            self._latest = Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]
        return self._latest


SITEMAPS = {"pages": PageSitemap, "essays": EssaySitemap, "topics": TopicSitemap}
