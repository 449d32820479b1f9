from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    """Personal secrets other than passwords: staff enrolment links and calendar tokens.

    Sits just above platform_site (imports it and allauth, nothing else of ours); members,
    working_groups and the apps above may import it.
    """

    name = "credentials"
    verbose_name = _("Credentials")
