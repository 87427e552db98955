"""What search engines and sharing read about an essay: description and JSON-LD."""

import json

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from articles.text import lead_excerpt

# Like Django's json_script: these characters must not appear raw inside <script>.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def description(article, length=120):
    """摘要, or the beginning of the lead (as the list cards show it)."""
    if article.summary:
        return Truncator(" ".join(article.summary.split())).chars(length)
    return lead_excerpt(article.lead, limit=length)


def json_ld(article, request, topics):
    """A schema.org ``Article`` as a ``<script type="application/ld+json">`` data block.

    A data block is never executed, so the strict CSP (no inline script)
    does not apply to it; the browser test checks that no violation is reported.
    """
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "description": description(article),
        "inLanguage": "zh-CN",
        "mainEntityOfPage": request.build_absolute_uri(article.get_absolute_url()),
        "dateModified": article.updated_at.isoformat() if article.updated_at else None,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
        "keywords": [topic.name for topic in topics],
    }
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author}
    elif article.author_org:
        data["author"] = {"@type": "Organization", "name": article.author_org}
    if article.author_org:
        data["sourceOrganization"] = {"@type": "Organization", "name": article.author_org}
    if article.cover_banner:
        data["image"] = request.build_absolute_uri(article.cover_banner.url)
    data = {key: value for key, value in data.items() if value not in (None, [], "")}
    text = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
