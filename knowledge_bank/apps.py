from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeBankConfig(AppConfig):
    name = "knowledge_bank"
    verbose_name = _("Knowledge bank")
