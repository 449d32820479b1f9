"""Length caps of free text, enforced by the model (full_clean, the admin) and by every form
built from it: names 200 characters, summaries 1,000, descriptions 10,000 (issue 14: a 1 MB
description was accepted and shown on the public profile). Django's own translated message
("Ensure this value has at most … characters") tells the person the limit and their count.

    description = models.TextField(_("description"), blank=True, **capped(DESCRIPTION))

A TextField's `max_length` alone limits only its form field; the validator makes the model
refuse too.
"""

from django.core.validators import MaxLengthValidator

NAME = 200
SUMMARY = 1_000
DESCRIPTION = 10_000


def capped(limit: int) -> dict:
    return {"max_length": limit, "validators": [MaxLengthValidator(limit)]}
