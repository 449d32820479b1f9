from django import template

from news.views import news_for

register = template.Library()


@register.inclusion_tag("news/includes/latest.html", takes_context=True)
def latest_news(context, limit=3, group=None):
    """The latest news this reader may see (the home page), or a working group's own."""
    items = news_for(context["request"].audience)
    if group is not None:
        items = items.filter(working_group=group)
    return {"items": items[:limit], "group": group}
