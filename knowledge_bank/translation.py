from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from knowledge_bank.models import Programme, ReportSeries, Resource


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ["title"]
    required_languages = ()


@register(Resource)
class ResourceTranslation(TranslationOptions):
    fields = ["title", "summary"]
    required_languages = ()


@register(ReportSeries)
class ReportSeriesTranslation(TranslationOptions):
    fields = ["title", "description"]
    required_languages = ()


# After modeltranslation, so that the history models have the `_ar`/`_en` columns too.
register_history(Programme, app="knowledge_bank")
register_history(Resource, app="knowledge_bank", excluded_fields=["search_text"])
register_history(ReportSeries, app="knowledge_bank", excluded_fields=["search_text"])
