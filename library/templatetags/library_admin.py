"""{% essay_library_links article %}: the essay's 问题与对策关联 on its admin page.

The essay admin stays thin and imports nothing of the library: its change
form template loads this tag, which lists the links between the essay's
problem and countermeasure items (suggested, confirmed, rejected) with
buttons to confirm or reject each (``CountermeasureLinkAdmin.decide_view``)
and a way to the library admin, filtered to the essay, to add one.
"""

from django import template
from django.urls import reverse

from library.models import CountermeasureLink, LibraryItem

register = template.Library()


@register.inclusion_tag("admin/library/essay_links_panel.html", takes_context=True)
def essay_library_links(context, article):
    """The panel (inside the essay's form; its buttons submit the form below)."""
    return _panel(context, article)


@register.inclusion_tag("admin/library/essay_links_form.html", takes_context=True)
def essay_library_links_form(context, article):
    """The panel's own small form, placed outside the essay's form (no nested forms)."""
    return _panel(context, article)


def _panel(context, article):
    request = context.get("request")
    user = getattr(request, "user", None)
    if article is None or article.pk is None or user is None or not user.has_perm("library.view_countermeasurelink"):
        return {"shown": False}
    items = LibraryItem.objects.filter(article=article).count()
    links = list(
        CountermeasureLink.objects.filter(countermeasure__article=article)
        .select_related("problem", "countermeasure")
        .order_by("countermeasure__position", "countermeasure__ordinal", "-score", "id")
    )
    changelist = reverse("admin:library_countermeasurelink_changelist")
    return {
        "shown": True,
        "items": items,
        "links": links,
        "can_change": user.has_perm("library.change_countermeasurelink"),
        "can_add": user.has_perm("library.add_countermeasurelink"),
        "statuses": CountermeasureLink.Status,
        "decide_url": reverse("admin:library_countermeasurelink_decide"),
        "changelist_url": f"{changelist}?essay={article.pk}",
        "add_url": reverse("admin:library_countermeasurelink_add"),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
