from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Scheduled e-mails: renewal reminders, weekly digests, the coordinators' daily summary.

    It reads every other app (organisations, groups, meetings, statements, rounds, resources),
    so it sits at the top of the app graph, above advocacy; the outbox it writes to is in
    platform_site.
    """

    name = "notifications"
    verbose_name = _("Notifications")
