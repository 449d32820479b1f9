"""Publishing news: one function, used by the admin action and the demo data."""

from django.db import transaction
from django.utils import timezone

from news.models import NewsItem


@transaction.atomic
def publish_news(*, item: NewsItem, by, at=None) -> NewsItem:
    """Publish an item now, or schedule it for `at` (a moment in the future)."""
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    item.status = NewsItem.Status.PUBLISHED
    item.published_at = at or timezone.now()
    if item.created_by_id is None:
        item.created_by = by
    item.save()
    return item
