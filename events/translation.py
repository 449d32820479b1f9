from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from events.models import Event, Material


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ["title", "summary", "description", "place"]
    required_languages = ()


@register(Material)
class MaterialTranslation(TranslationOptions):
    fields = ["title"]
    required_languages = ()


# After modeltranslation, so that the history models have the `_ar`/`_en` columns too.
register_history(Event, app="events", excluded_fields=["search_text"])
register_history(Material, app="events")
