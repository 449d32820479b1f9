"""django-allauth's e-mails through the outbox (platform_site.mail).

allauth sends its e-mails (address confirmation, password reset, "no account with this
address", sign-in codes) from inside the request. Through the outbox they are written in the
request's transaction and delivered by the worker, retried while the mail server fails: signing
up or asking for a new password never waits for the mail server, nor fails with it.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.sites.shortcuts import get_current_site

from platform_site.mail import queue_message
from platform_site.models import Category


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = self.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request)}
            | context,
        )
        queue_message(message, template=template_prefix, category=Category.ACCOUNT)
