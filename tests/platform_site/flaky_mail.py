"""A mail backend that can be told to fail, the way real mail servers do."""

import smtplib
from datetime import datetime

from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone


class Outage:
    """Until `until` (by the clock that tests move), every send fails with `error`."""

    until: datetime | None = None
    error: Exception = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    calls = 0

    @classmethod
    def reset(cls):
        cls.until, cls.calls = None, 0
        cls.error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FlakyBackend(EmailBackend):
    def send_messages(self, messages):
        Outage.calls += 1
        if Outage.until is not None and timezone.now() < Outage.until:
            raise Outage.error
        return super().send_messages(messages)
