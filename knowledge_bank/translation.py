from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from knowledge_bank.models import Programme, Resource


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ["title"]
    required_languages = ()


@register(Resource)
class ResourceTranslation(TranslationOptions):
    fields = ["title", "summary"]
    required_languages = ()


# After modeltranslation, so that the history models have the `_ar`/`_en` columns too.
register_history(Programme, app="knowledge_bank")
register_history(Resource, app="knowledge_bank", excluded_fields=["search_text"])
