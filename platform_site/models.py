from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchWord(models.Model):
    """A word of the search documents: the vocabulary that typed words are compared with when
    a search finds nothing (typos, platform_site.search). Words are added as documents are
    written and never removed: a stale word only costs a correction that finds nothing, and
    results are always read through the reader's access rules."""

    word = models.CharField(_("word"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word
