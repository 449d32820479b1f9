"""E-mail in the recipient's language, sent only after the transaction commits."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger("platform_site.mail")


def send_templated_mail(*, template: str, recipients: list[tuple[str, str]], context: dict) -> None:
    """Queue one e-mail per recipient, rendered in that recipient's language.

    `recipients` holds (address, language) pairs. `template` names a pair of templates,
    `<template>_subject.txt` and `<template>.txt`.
    """
    recipients = [(address, language) for address, language in recipients if address]

    def send():
        for address, language in recipients:
            with translation.override(language or settings.LANGUAGE_CODE):
                subject = render_to_string(f"{template}_subject.txt", context).strip()
                body = render_to_string(
                    f"{template}.txt", {**context, "site_url": settings.SITE_URL}
                )
            try:
                send_mail(" ".join(subject.split()), body, None, [address])
            except OSError as error:  # smtplib's errors included: the action itself is saved
                logger.error("E-mail %s not sent: %s", template, type(error).__name__)

    transaction.on_commit(send)
