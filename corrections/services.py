"""Suggesting, accepting and declining corrections: one function each, in a transaction, with
e-mail sent after the commit (platform_site.mail)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corrections.forms import field_label
from corrections.models import Correction
from members.models import Organisation
from platform_site.mail import send_templated_mail
from platform_site.models import Category


def _editors(organisation) -> list[tuple[str, str]]:
    return [
        (membership.user.email, membership.language)
        for membership in organisation.memberships.select_related("user")
        if membership.user.is_active
    ]


def suggest_correction(*, organisation, by, proposed: dict, reason: str, language: str):
    with transaction.atomic():
        correction = Correction.objects.create(
            organisation=organisation,
            proposed_by=by,
            proposed=proposed,
            reason=reason,
            language=language,
        )
        send_templated_mail(
            template="corrections/email/suggested",
            recipients=_editors(organisation),
            context={"correction": correction, "organisation": organisation},
            category=Category.ORGANISATION,
        )
    return correction


def accept_correction(*, correction, fields: list[str], by, note: str = "") -> Correction:
    """Apply the chosen values through the organisation's own save (history keeps them)."""
    with transaction.atomic():
        correction = Correction.objects.select_for_update().get(pk=correction.pk)
        if not correction.is_open:
            raise ValueError("already decided")
        fields = [name for name in fields if name in correction.proposed]
        organisation = Organisation.objects.select_for_update().get(pk=correction.organisation_id)
        for name in fields:
            setattr(organisation, name, correction.proposed[name])
        organisation._change_reason = _("Suggested correction no. %(number)s accepted") % {
            "number": correction.pk
        }
        organisation._history_user = by
        organisation.save(update_fields=fields)
        everything = set(fields) == set(correction.proposed)
        correction.status = Correction.Status.ACCEPTED if everything else Correction.Status.PARTLY
        correction.accepted_fields = fields
        _decided(correction, by=by, note=note)
    return correction


def decline_correction(*, correction, by, note: str) -> Correction:
    with transaction.atomic():
        correction = Correction.objects.select_for_update().get(pk=correction.pk)
        if not correction.is_open:
            raise ValueError("already decided")
        correction.status = Correction.Status.DECLINED
        _decided(correction, by=by, note=note)
    return correction


def _decided(correction, *, by, note):
    correction.decided_by = by
    correction.decided_at = timezone.now()
    correction.decision_note = note
    correction.save(
        update_fields=[
            "status",
            "accepted_fields",
            "decided_by",
            "decided_at",
            "decision_note",
            "updated_at",
        ]
    )
    proposer = correction.proposed_by
    if proposer is not None and proposer.is_active:
        send_templated_mail(
            template="corrections/email/decided",
            recipients=[(proposer.email, correction.language or settings.LANGUAGE_CODE)],
            context={
                "correction": correction,
                "organisation": correction.organisation,
                "accepted": [field_label(name) for name in correction.accepted_fields],
            },
            category=Category.ORGANISATION,
        )
