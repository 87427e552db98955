"""{% review_queue_summary as queue %}: the reviewer's 待我审核 at a glance, for the admin home."""

from django import template

from articles.editing import deadlines

register = template.Library()


@register.simple_tag(takes_context=True)
def review_queue_summary(context):
    """None for users who do not review (the panel is not shown)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("articles.review_article"):
        return None
    return deadlines.queue_summary(user)
