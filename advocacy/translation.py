from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from advocacy.models import Candidate, PriorityRound, PriorityStatement


@register(PriorityStatement)
class PriorityStatementTranslation(TranslationOptions):
    fields = ["title", "summary", "body"]
    required_languages = ()


@register(PriorityRound)
class PriorityRoundTranslation(TranslationOptions):
    fields = ["title", "description"]
    required_languages = ()


@register(Candidate)
class CandidateTranslation(TranslationOptions):
    fields = ["title", "description"]
    required_languages = ()


# After modeltranslation, so that the history model has the `_ar`/`_en` columns too.
register_history(PriorityStatement, app="advocacy", excluded_fields=["search_text"])
