"""Who else has an essay's change page open: the presence line of the change
form and the heartbeat endpoint of ``static/admin-extra/presence.js``."""

import time

from django.core.cache import cache
from django.http import JsonResponse

from articles.models import Article

# Presence: who has an essay's change page open, kept in the cache.
PRESENCE_TTL = 60  # seconds without a heartbeat before someone is no longer shown
HEARTBEAT_SECONDS = 20  # presence.js's interval (data attribute on the page)


def _presence_key(article_id):
    return f"articles:presence:{article_id}"


def record_presence(article_id, user):
    """Note that ``user`` has the essay open; returns the names of the others who do."""
    key, now = _presence_key(article_id), time.time()
    present = {uid: entry for uid, entry in (cache.get(key) or {}).items() if now - entry["seen"] < PRESENCE_TTL}
    present[user.pk] = {"name": user.get_full_name() or user.get_username(), "seen": now}
    cache.set(key, present, PRESENCE_TTL * 2)
    return sorted(entry["name"] for uid, entry in present.items() if uid != user.pk)


def presence_message(names):
    return f"{'、'.join(names)} 正在编辑此文稿" if names else ""


def presence_view(model_admin, request, pk):
    """Heartbeat of presence.js: note the editor, answer who else is here."""
    article = Article.objects.filter(pk=pk).first()
    if article is None:
        return JsonResponse({"error": "文稿不存在或已删除。"}, status=404)
    if not model_admin.has_change_permission(request, article):
        return JsonResponse({"error": "没有修改这篇文稿的权限。"}, status=403)
    others = record_presence(article.pk, request.user)
    return JsonResponse({"others": others, "message": presence_message(others)})
