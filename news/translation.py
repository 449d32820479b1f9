from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from news.models import NewsItem


@register(NewsItem)
class NewsItemTranslation(TranslationOptions):
    fields = ["title", "summary", "body", "lead_image_alt"]
    required_languages = ()


# After modeltranslation, so that the history model has the `_ar`/`_en` columns too.
register_history(NewsItem, app="news", excluded_fields=["search_text"])
