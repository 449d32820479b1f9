from django.db import models
from django.utils.translation import gettext_lazy as _


class SentOnce(models.Model):
    """A scheduled e-mail that was written: its key ("digest:<user>:<week>",
    "renewal-30:<organisation>:<date>") makes each reminder, digest and summary go once,
    however often the job runs and however many run at once."""

    key = models.CharField(_("key"), max_length=120, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scheduled e-mail written")
        verbose_name_plural = _("scheduled e-mails written")

    def __str__(self):
        return self.key
