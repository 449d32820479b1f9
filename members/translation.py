from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from members.models import Governorate, Organisation, Subsector, TargetGroup


@register(Governorate)
class GovernorateTranslation(TranslationOptions):
    fields = ["name"]


@register(Subsector)
class SubsectorTranslation(TranslationOptions):
    fields = ["name", "description"]


@register(TargetGroup)
class TargetGroupTranslation(TranslationOptions):
    fields = ["name"]


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ["name", "description"]
    required_languages = ()


# simple_history copies a model's fields when it builds the history model, so it must run
# after modeltranslation has added the `_ar`/`_en` columns.
register_history(
    Organisation,
    app="members",
    excluded_fields=["search_names", "search_text", "search_text_members", "logo_thumbnail"],
    cascade_delete_history=True,
)
