from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from members.models import Organisation
from news.models import NewsItem
from platform_site.audience import ANONYMOUS_AUDIENCE
from platform_site.cache import AUDIENCE, cache_page

PAGE_SIZE = 12


def news_for(audience, *, published_only=True):
    """News this audience may read (lists: published only), with what lists and pages show:
    the group, and only the organisations concerned that this audience may see."""
    items = NewsItem.objects.visible_to(audience)
    if published_only:
        items = items.published()
    return items.select_related("working_group").prefetch_related(
        Prefetch(
            "organisations",
            queryset=Organisation.objects.visible_to(audience),
            to_attr="visible_organisations",
        )
    )


@method_decorator(cache_page(AUDIENCE), name="dispatch")
class NewsListView(ListView):
    template_name = "news/newsitem_list.html"
    context_object_name = "items"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return news_for(self.request.audience)


@method_decorator(cache_page(AUDIENCE), name="dispatch")
class NewsDetailView(DetailView):
    """A published item; coordinators also open drafts and scheduled items (a preview)."""

    template_name = "news/newsitem_detail.html"
    context_object_name = "item"

    def get_queryset(self):
        return news_for(self.request.audience, published_only=False)


class NewsFeed(Feed):
    """Atom feed of public news: titles and summaries, never persons."""

    feed_type = Atom1Feed
    title = _("Syrian Education Platform — news and announcements")
    subtitle = _("News, announcements and events of the network.")

    def link(self):
        return reverse("news:list")

    def items(self):
        return NewsItem.objects.visible_to(ANONYMOUS_AUDIENCE).published()[:30]

    def item_title(self, item):
        return str(item)

    def item_description(self, item):
        return item.summary or (item.body or "")[:600]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return _("The secretariat of the network")
