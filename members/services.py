"""State changes of organisations and their users: one function each, in a transaction."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials.models import new_token, token_hash
from members.models import (
    COORDINATORS_GROUP,
    Contact,
    Invitation,
    JoinRequest,
    Organisation,
    OrganisationMember,
)
from members.search import refresh_search_documents
from platform_site.mail import send_templated_mail
from platform_site.models import Category
from platform_site.ratelimit import limit_reached

Status = Organisation.Status

# Which status may follow which; anything else is refused.
TRANSITIONS = {
    Status.PENDING: {Status.ACTIVE, Status.REJECTED, Status.ARCHIVED},
    Status.ACTIVE: {Status.SUSPENDED, Status.ARCHIVED},
    Status.SUSPENDED: {Status.ACTIVE, Status.ARCHIVED},
    Status.REJECTED: {Status.PENDING, Status.ARCHIVED},
    Status.ARCHIVED: {Status.ACTIVE},
}


def coordinator_recipients() -> list[tuple]:
    users = get_user_model().objects.filter(
        is_active=True, is_staff=True, groups__name=COORDINATORS_GROUP
    )
    return [(user, "ar") for user in users]


def organisation_recipients(organisation: Organisation, *, admins_only=False):
    memberships = organisation.memberships.select_related("user").filter(user__is_active=True)
    if admins_only:
        memberships = memberships.filter(role=OrganisationMember.Role.ADMIN)
    return [(m.user, m.language) for m in memberships]


@transaction.atomic
def submit_application(
    *,
    organisation: Organisation,
    form_m2m,
    contact: Contact | None,
    user,
    language: str,
    conduct=None,
) -> Organisation:
    """Save a new organisation as pending, make its applicant its admin, tell coordinators.

    `conduct` is the code of conduct version the applicant accepted (network.CodeOfConduct):
    the version, the moment and the person are kept with the application."""
    organisation.status = Status.PENDING
    if conduct is not None:
        organisation.conduct_version = conduct
        organisation.conduct_accepted_at = timezone.now()
        organisation.conduct_accepted_by = user
    organisation.save()
    form_m2m()
    refresh_search_documents([organisation.pk])  # governorates, sub-sectors…
    OrganisationMember.objects.create(
        user=user, organisation=organisation, role=OrganisationMember.Role.ADMIN, language=language
    )
    if contact is not None:
        contact.organisation = organisation
        contact.save()
    send_templated_mail(
        template="members/email/application_received",
        recipients=coordinator_recipients(),
        context={"organisation": organisation},
        category=Category.COORDINATION,
    )
    return organisation


@transaction.atomic
def change_status(*, organisation: Organisation, to: str, by, reason: str = "") -> Organisation:
    """Move an organisation to another status, recording who and why; e-mail its users."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if to not in TRANSITIONS[organisation.status]:
        raise ValidationError(
            _("An organisation that is “%(current)s” cannot become “%(target)s”.")
            % {"current": organisation.get_status_display(), "target": Status(to).label}
        )
    if to in {Status.REJECTED, Status.SUSPENDED} and not reason.strip():
        raise ValidationError(_("Please give a reason; it is sent to the organisation."))
    previous = organisation.status
    organisation.status = to
    organisation.status_reason = reason.strip()
    fields = ["status", "status_reason"]
    if to == Status.ACTIVE and previous == Status.PENDING:
        organisation.approved_at = timezone.now()
        organisation.approved_by = by
        organisation.verified_at = organisation.approved_at
        fields += ["approved_at", "approved_by", "verified_at"]
    organisation._history_user = by
    organisation.save(update_fields=fields)
    send_templated_mail(
        template="members/email/status_changed",
        recipients=organisation_recipients(organisation),
        context={"organisation": organisation, "previous": previous},
        category=Category.ORGANISATION,
    )
    return organisation


def approve_organisation(*, organisation, by):
    return change_status(organisation=organisation, to=Status.ACTIVE, by=by)


def reject_organisation(*, organisation, by, reason):
    return change_status(organisation=organisation, to=Status.REJECTED, by=by, reason=reason)


def suspend_organisation(*, organisation, by, reason):
    return change_status(organisation=organisation, to=Status.SUSPENDED, by=by, reason=reason)


def reactivate_organisation(*, organisation, by):
    return change_status(organisation=organisation, to=Status.ACTIVE, by=by)


def archive_organisation(*, organisation, by, reason=""):
    return change_status(organisation=organisation, to=Status.ARCHIVED, by=by, reason=reason)


@transaction.atomic
def mark_verified(*, organisation: Organisation, by) -> Organisation:
    """Record that the profile was confirmed current today."""
    organisation.verified_at = timezone.now()
    organisation._history_user = by
    organisation.save(update_fields=["verified_at"])
    return organisation


def record_contact_consent(*, contact: Contact, by) -> None:
    """Public visibility needs a recorded consent; leaving public clears it."""
    if contact.visibility == Contact.Visibility.PUBLIC:
        if contact.public_consent_at is None:
            contact.public_consent_at = timezone.now()
            contact.public_consent_by = by
    else:
        contact.public_consent_at = None
        contact.public_consent_by = None


# --- users of an organisation -----------------------------------------------------------


def request_to_join(
    *, organisation: Organisation, user, message: str, language: str
) -> JoinRequest:
    """Ask to become an editor; a second request while one is open returns the open one."""
    if organisation.memberships.filter(user=user).exists():
        raise ValidationError(_("You are already a user of this organisation."))
    existing = organisation.join_requests.filter(user=user, status=JoinRequest.Status.REQUESTED)
    if request := existing.first():
        return request
    try:
        with transaction.atomic():
            request = JoinRequest.objects.create(
                organisation=organisation, user=user, message=message, language=language
            )
            send_templated_mail(
                template="members/email/join_requested",
                recipients=organisation_recipients(organisation, admins_only=True),
                context={"organisation": organisation, "join_request": request},
                category=Category.ORGANISATION,
            )
    except IntegrityError:  # two clicks at once: the other one won
        return existing.get()
    return request


@transaction.atomic
def decide_join_request(*, join_request: JoinRequest, by, accept: bool) -> JoinRequest:
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.REQUESTED:
        raise ValidationError(_("This request has already been decided."))
    join_request.status = JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.DECLINED
    join_request.decided_by = by
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:
        OrganisationMember.objects.get_or_create(
            user=join_request.user,
            organisation=join_request.organisation,
            defaults={"role": OrganisationMember.Role.EDITOR, "language": join_request.language},
        )
    send_templated_mail(
        template="members/email/join_decided",
        recipients=[(join_request.user, join_request.language)],
        context={"organisation": join_request.organisation, "join_request": join_request},
        category=Category.ORGANISATION,
    )
    return join_request


def _ensure_another_admin(membership: OrganisationMember) -> None:
    others = membership.organisation.memberships.filter(role=OrganisationMember.Role.ADMIN)
    if not others.exclude(pk=membership.pk).exists():
        raise ValidationError(
            _(
                "An organisation needs at least one administrator. Make someone else an "
                "administrator first."
            )
        )


@transaction.atomic
def set_member_role(*, membership: OrganisationMember, role: str, by) -> OrganisationMember:
    if role not in OrganisationMember.Role.values:
        raise ValidationError(_("Unknown role."))
    # Lock the organisation's admins so two concurrent demotions cannot both pass.
    list(membership.organisation.memberships.select_for_update().filter(role="admin"))
    if membership.role == OrganisationMember.Role.ADMIN and role != OrganisationMember.Role.ADMIN:
        _ensure_another_admin(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, membership: OrganisationMember, by) -> None:
    list(membership.organisation.memberships.select_for_update().filter(role="admin"))
    if membership.role == OrganisationMember.Role.ADMIN:
        _ensure_another_admin(membership)
    membership.delete()


INVITATION_LIFETIME = timedelta(days=14)
# Invitations an organisation may send a day, and one administrator an hour: enough for a
# team, too few to probe many addresses or to use the site for mail.
INVITATIONS_PER_ORGANISATION_PER_DAY = 20
INVITATIONS_PER_SENDER_PER_HOUR = 10


def invitation_limit_reached(*, organisation: Organisation, by) -> bool:
    """Counts one invitation against both limits; True when either is used up."""
    return limit_reached(
        f"invitations:organisation:{organisation.pk}", INVITATIONS_PER_ORGANISATION_PER_DAY, 86400
    ) or limit_reached(f"invitations:sender:{by.pk}", INVITATIONS_PER_SENDER_PER_HOUR, 3600)


@transaction.atomic
def invite_member(*, organisation: Organisation, email: str, role: str, by, language: str):
    """Invite an address to become a user of the organisation.

    The same happens whatever the address: an invitation row and one e-mail to the address.
    Whether an account uses it is never looked up here, so the administrator learns nothing.
    """
    if role not in OrganisationMember.Role.values:
        raise ValidationError(_("Unknown role."))
    token = new_token()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email.strip(),
        role=role,
        language=language,
        token_hash=token_hash(token),
        invited_by=by,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    send_templated_mail(
        template="members/email/invitation",
        recipients=[(invitation.email, language)],
        context={
            "organisation": organisation,
            "role": invitation.get_role_display(),
            "path": reverse("members:invitation", kwargs={"token": token}),
            "days": INVITATION_LIFETIME.days,
        },
        category=Category.ORGANISATION,
    )
    return invitation


def pending_invitation(token: str) -> Invitation | None:
    if not token or len(token) > 64:
        return None
    return (
        Invitation.objects.pending()
        .filter(
            token_hash=token_hash(token),
            organisation__status__in=[Status.PENDING, Status.ACTIVE],
        )
        .select_related("organisation")
        .first()
    )


def invitation_matches(invitation: Invitation, user) -> bool:
    """The signed-in person confirmed the invited address."""
    return EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user) -> OrganisationMember:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.withdrawn_at or invitation.expires_at <= timezone.now():
        raise ValidationError(_("This invitation is no longer valid."))
    if not invitation_matches(invitation, user):
        raise ValidationError(
            _("This invitation was sent to another e-mail address. Sign in with that address.")
        )
    membership, _created = OrganisationMember.objects.get_or_create(
        user=user,
        organisation=invitation.organisation,
        defaults={"role": invitation.role, "language": invitation.language},
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    return membership


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation, by) -> None:
    if invitation.accepted_at is None and invitation.withdrawn_at is None:
        invitation.withdrawn_at = timezone.now()
        invitation.save(update_fields=["withdrawn_at", "updated_at"])


@transaction.atomic
def erase_user(*, user, by=None) -> None:
    """Delete an account and the history rows that are about that person.

    History rows about organisations keep the change but lose the link to the person
    (`history_user` becomes empty); rows about the person's memberships and requests go, and
    so do invitations to their addresses. Their calendar token and enrolment links go with the
    account (CASCADE).
    """
    pk = user.pk
    addresses = {user.email, *user.emailaddress_set.values_list("email", flat=True)}
    for address in addresses - {""}:
        Invitation.objects.filter(email__iexact=address).delete()
    user.delete()  # deleting memberships writes one last history row each: remove them after
    OrganisationMember.history.model.objects.filter(user_id=pk).delete()
    JoinRequest.history.model.objects.filter(user_id=pk).delete()
