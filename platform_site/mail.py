"""E-mail in the recipient's language, through the outbox.

`send_templated_mail` renders one e-mail per recipient (text and HTML, in their language,
greeting them by their display name, with a one-click unsubscribe for its category) and saves
it with its delivery task in the caller's transaction: if the change is rolled back, no e-mail
exists; if it commits, the worker delivers the e-mail, retrying while the mail server fails
(platform_site.tasks). The person's action never waits for, or fails because of, the mail
server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html, linebreaks, urlize
from django.utils.safestring import mark_safe

from platform_site.models import Category, Email, Preferences

UNSUBSCRIBE_SALT = "platform_site.unsubscribe"
# An unsubscribe link works for this long after its e-mail was written.
UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 180


@dataclass(frozen=True)
class Recipient:
    address: str
    language: str = ""
    user: object | None = None  # a user: greeted by name, may unsubscribe, dropped if deleted


def _as_recipient(item) -> Recipient:
    """Callers pass users, (user, language) or (address, language) pairs."""
    if isinstance(item, Recipient):
        return item
    if isinstance(item, tuple):
        who, language = item
    else:
        who, language = item, ""
    if isinstance(who, str):
        return Recipient(address=who, language=language or "")
    return Recipient(address=who.email, language=language or "", user=who)


def preferences_of(user) -> Preferences:
    """The person's preferences, or the defaults when they never saved any (not stored)."""
    try:
        return user.preferences
    except Preferences.DoesNotExist:
        return Preferences(user=user)


def display_name(user) -> str:
    """How the platform names a person: their display name, else their e-mail address —
    never the user name generated at sign-up."""
    if user is None or not getattr(user, "pk", None):
        return ""
    return preferences_of(user).display_name.strip() or user.email


def unsubscribe_token(user, category: str) -> str:
    return signing.dumps([user.pk, category], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, category) from a genuine, unexpired token; None for anything else."""
    try:
        user_id, category = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or category not in Category.values:
        return None
    return user_id, category


LRM = "\u200e"


def text_to_html(text: str) -> str:
    """The text body as HTML paragraphs, its addresses as left-to-right links (escaped
    first), so that an address keeps its shape inside Arabic text."""
    html = urlize(text.strip().replace(LRM, ""), autoescape=True).replace("<a ", '<a dir="ltr" ')
    return mark_safe(linebreaks(html, autoescape=False))  # noqa: S308


def isolate_addresses(text: str) -> str:
    """In right-to-left text, a line that is an address starts with a left-to-right mark:
    mail programs that take each line's direction from its first letter then keep the
    address whole (the mark sits before the link, so it never becomes part of it)."""
    return re.sub(r"(?m)^(https?://)", LRM + r"\1", text)


def render_email(
    *, template: str, recipient: Recipient, context: dict, category: str
) -> dict[str, object]:
    """Subject, text, HTML and headers of one e-mail, in the recipient's language."""
    user = recipient.user
    preferences = preferences_of(user) if user is not None else None
    language = (
        (preferences.email_language if preferences else "")
        or recipient.language
        or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        unsubscribe_url = preferences_url = ""
        if user is not None:
            token = unsubscribe_token(user, category)
            unsubscribe_url = settings.SITE_URL + reverse("unsubscribe", args=[token])
            preferences_url = settings.SITE_URL + reverse("account_preferences")
        full_context = {
            **context,
            "site_url": settings.SITE_URL,
            "recipient_name": display_name(user) if user is not None else "",
            "category_label": Category(category).label,
            "unsubscribe_url": unsubscribe_url,
            "preferences_url": preferences_url,
            "language": language,
            "rtl": translation.get_language_bidi(),
        }
        subject = " ".join(render_to_string(f"{template}_subject.txt", full_context).split())
        body = render_to_string(f"{template}.txt", full_context).strip()
        try:
            body_html = render_to_string(f"{template}.html", full_context)
        except TemplateDoesNotExist:
            body_html = text_to_html(body)
        layout = {
            **full_context,
            "subject": subject,
            "body": body,
            "body_html": body_html,
            # A name in another script keeps its place in the greeting (escaped here).
            "recipient_name_html": format_html("<bdi>{}</bdi>", full_context["recipient_name"]),
        }
        text = render_to_string("emails/layout.txt", layout).strip() + "\n"
        if translation.get_language_bidi():
            text = isolate_addresses(text)
        html = render_to_string("emails/layout.html", layout)
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return {
        "language": language,
        "subject": subject[:300],
        "body_text": text,
        "body_html": html,
        "headers": headers,
    }


def send_templated_mail(
    *,
    template: str,
    recipients,
    context: dict,
    category: str,
    attachments: list[dict] | None = None,
) -> list[Email]:
    """Write one e-mail per recipient into the outbox, each with its delivery task.

    `recipients` holds users, (user, language) or (address, language) pairs; a person who
    turned `category` off gets nothing, and an address appears once. `template` names
    `<template>_subject.txt` and `<template>.txt` (and, if it exists, `<template>.html`).
    `attachments` are dicts of filename, content (text) and mimetype.
    """
    from platform_site.tasks import deliver_email

    seen, emails = set(), []
    with transaction.atomic():
        for item in recipients:
            recipient = _as_recipient(item)
            address = (recipient.address or "").strip()
            if not address or address.lower() in seen:
                continue
            if recipient.user is not None:
                if not recipient.user.is_active:
                    continue
                if not preferences_of(recipient.user).wants(category):
                    continue
            seen.add(address.lower())
            rendered = render_email(
                template=template, recipient=recipient, context=context, category=category
            )
            email = Email.objects.create(
                recipient=recipient.user,
                address=address,
                category=category,
                template=template,
                attachments=attachments or [],
                **rendered,
            )
            deliver_email.enqueue(email.pk)
            emails.append(email)
    return emails


def queue_message(message, *, template: str, category: str) -> list[Email]:
    """Write an e-mail rendered elsewhere (django-allauth's) into the outbox, one per address,
    each with its delivery task, in the caller's transaction: as `send_templated_mail`."""
    from platform_site.tasks import deliver_email

    html = next(
        (
            content
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ),
        "",
    )
    if message.content_subtype == "html":
        text, html = "", message.body
    else:
        text = message.body
    emails = []
    with transaction.atomic():
        for address in message.to:
            email = Email.objects.create(
                address=address,
                language=translation.get_language() or settings.LANGUAGE_CODE,
                category=category,
                template=template[:120],
                subject=message.subject[:300],
                body_text=text,
                body_html=html or text_to_html(text),
                headers={"Auto-Submitted": "auto-generated", **message.extra_headers},
            )
            deliver_email.enqueue(email.pk)
            emails.append(email)
    return emails


def build_message(email: Email) -> EmailMultiAlternatives:
    host = urlparse(settings.SITE_URL).hostname or "localhost"
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        to=[email.address],
        headers={**email.headers, "Message-ID": f"<{email.key}@{host}>"},
    )
    message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message
