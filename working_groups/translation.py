from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from working_groups.models import WorkingGroup


@register(WorkingGroup)
class WorkingGroupTranslation(TranslationOptions):
    fields = ["name", "mandate"]
    required_languages = ()


# After modeltranslation, so that the history model has the `_ar`/`_en` columns too.
register_history(WorkingGroup, app="working_groups", excluded_fields=["search_text"])
