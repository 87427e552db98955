"""The site's own particulars (主办单位, 备案号, 网站标识码 …), edited in the admin.

One row (pk = 1). Every page shows it in the footer and the page metadata, so
it is read through :func:`SiteSettings.current`, which keeps a copy in the
cache: after the first page it costs no query. Saving (or deleting) the row
drops the cached copy (``articles.events``), so an edit shows on the next
page in every worker without a deploy.
"""

from django.core.cache import cache
from django.db import models

from config import pagecache

CACHE_KEY = "siteinfo:settings:v1"
CACHE_SECONDS = 24 * 3600


class SiteSettings(models.Model):
    organizer = models.CharField(
        "主办单位", max_length=200, blank=True, help_text="显示在页脚，例如“中共某某县委组织部”。"
    )
    contact_address = models.CharField("联系地址", max_length=200, blank=True)
    contact_phone = models.CharField("联系电话", max_length=50, blank=True)
    contact_email = models.EmailField("联系邮箱", blank=True)
    icp_number = models.CharField(
        "ICP备案号", max_length=100, blank=True, help_text="例如“京ICP备12345678号-1”，链接到工业和信息化部备案系统。"
    )
    police_number = models.CharField(
        "公安备案号", max_length=100, blank=True, help_text="例如“京公网安备 11010102000001号”。"
    )
    police_link = models.URLField(
        "公安备案链接", blank=True, help_text="全国互联网安全管理服务平台上本网站备案信息的网址。"
    )
    site_id_code = models.CharField(
        "网站标识码",
        max_length=40,
        blank=True,
        help_text="政府网站标识码（SiteIDCode），用于页脚和页面元数据；没有则留空。",
    )
    emblem = models.ImageField(
        "标志图片",
        upload_to="site/",
        blank=True,
        help_text="可选，显示在页脚主办单位旁；JPEG、PNG、GIF 或 WebP，上传后重新编码。",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "网站信息"
        verbose_name_plural = "网站信息"

    def __str__(self):
        return "网站信息"

    def save(self, *args, **kwargs):
        self.pk = 1  # the single row
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        """The settings (an unsaved blank row when none were entered), cached."""
        # Fetched with the page's other memoized values when a public page is rendered.
        settings = pagecache.prefetched(CACHE_KEY)
        if settings is None:
            settings = cache.get(CACHE_KEY)
        if settings is None:
            settings = cls.objects.filter(pk=1).first() or cls(pk=1)
            cache.set(CACHE_KEY, settings, CACHE_SECONDS)
        return settings

    @staticmethod
    def forget():
        cache.delete(CACHE_KEY)

    @property
    def icp_link(self):
        return "https://beian.miit.gov.cn/" if self.icp_number else ""
