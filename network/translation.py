from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from network.models import Body, CodeOfConduct, MembershipCriterion, TeamMember


@register(Body)
class BodyTranslation(TranslationOptions):
    fields = ["name", "description"]
    required_languages = ()


@register(TeamMember)
class TeamMemberTranslation(TranslationOptions):
    fields = ["name", "role"]
    required_languages = ()


@register(MembershipCriterion)
class MembershipCriterionTranslation(TranslationOptions):
    fields = ["text"]
    required_languages = ()


@register(CodeOfConduct)
class CodeOfConductTranslation(TranslationOptions):
    fields = ["text"]
    required_languages = ()


# After modeltranslation, so that the history models have the `_ar`/`_en` columns too.
for model in (Body, TeamMember, MembershipCriterion, CodeOfConduct):
    register_history(model, app="network")
