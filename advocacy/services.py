"""The life of a priority statement and its endorsements: one function per change."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.models import ContactMessage, Endorsement, PriorityStatement, StatementVersion
from members.models import Organisation, OrganisationMember
from members.services import coordinator_recipients, organisation_recipients
from platform_site.mail import send_templated_mail
from platform_site.text import index_text

Status = PriorityStatement.Status


def author_recipients(statement: PriorityStatement) -> list[tuple[str, str]]:
    if statement.author_organisation_id:
        return organisation_recipients(statement.author_organisation)
    memberships = OrganisationMember.objects.filter(
        organisation__in=statement.author_group.lead_organisations.active(), user__is_active=True
    ).select_related("user")
    return [(m.user.email, m.language) for m in memberships]


def _lock(statement: PriorityStatement) -> PriorityStatement:
    return PriorityStatement.objects.select_for_update().get(pk=statement.pk)


def _require(statement, *statuses, message):
    if statement.status not in statuses:
        raise ValidationError(message)


@transaction.atomic
def save_draft(*, statement: PriorityStatement, by, save_m2m=None) -> PriorityStatement:
    """Save the working copy. Changing a published statement starts its next version; the
    published text stays public until that version is published."""
    if statement.pk:
        current = _lock(statement)
        _require(
            current,
            Status.DRAFT,
            Status.PUBLISHED,
            message=_("A statement in review cannot be changed; wait for the review."),
        )
    else:
        statement.created_by = by
    statement.status = Status.DRAFT
    statement._history_user = by
    statement.save()
    if save_m2m:
        save_m2m()
    return statement


@transaction.atomic
def submit_statement(*, statement: PriorityStatement, by) -> PriorityStatement:
    statement = _lock(statement)
    _require(statement, Status.DRAFT, message=_("Only a draft can be submitted for review."))
    if not (statement.title_ar or statement.title_en) or not (
        statement.body_ar or statement.body_en
    ):
        raise ValidationError(
            _("Write a title and a text, in Arabic or English, before submitting.")
        )
    statement.status = Status.IN_REVIEW
    statement.submitted_at = timezone.now()
    statement._history_user = by
    statement.save(update_fields=["status", "submitted_at", "updated_at"])
    send_templated_mail(
        template="advocacy/email/submitted",
        recipients=coordinator_recipients(),
        context={"statement": statement},
    )
    return statement


@transaction.atomic
def send_back(*, statement: PriorityStatement, by, comments: str) -> PriorityStatement:
    statement = _lock(statement)
    _require(statement, Status.IN_REVIEW, message=_("Only a statement in review can be sent back."))
    statement.status = Status.DRAFT
    statement.review_comment = comments.strip()
    statement._history_user = by
    statement.save(update_fields=["status", "review_comment", "updated_at"])
    send_templated_mail(
        template="advocacy/email/sent_back",
        recipients=author_recipients(statement),
        context={"statement": statement},
    )
    return statement


@transaction.atomic
def publish_statement(*, statement: PriorityStatement, by, substantive: bool = False):
    """Freeze the working copy as the next version. After a substantive change, endorsing
    organisations stay on the earlier version until they confirm again."""
    statement = _lock(statement)
    _require(statement, Status.IN_REVIEW, message=_("Only a statement in review can be published."))
    now = timezone.now()
    number = statement.version + 1
    version = StatementVersion.objects.create(
        statement=statement,
        number=number,
        substantive=substantive and number > 1,
        published_at=now,
        published_by=by,
        **{
            f"{field}_{language}": getattr(statement, f"{field}_{language}") or ""
            for field in ("title", "summary", "body")
            for language in ("ar", "en")
        },
    )
    statement.status = Status.PUBLISHED
    statement.version = number
    statement.current = version
    statement.review_comment = ""
    statement.published_at = statement.published_at or now
    statement.published_by = statement.published_by or by
    author = statement.author
    statement.search_text = index_text(
        version.title_ar,
        version.title_en,
        version.summary_ar,
        version.summary_en,
        getattr(author, "name_ar", ""),
        getattr(author, "name_en", ""),
        getattr(author, "acronym", ""),
    )
    statement._history_user = by
    statement.save()
    endorsements = statement.endorsements.live()
    if substantive and number > 1:
        organisations = Organisation.objects.filter(pk__in=endorsements.values("organisation"))
        send_templated_mail(
            template="advocacy/email/confirm_again",
            recipients=[r for o in organisations for r in organisation_recipients(o)],
            context={"statement": statement, "version": version},
        )
    else:
        endorsements.update(version=number)
    send_templated_mail(
        template="advocacy/email/published",
        recipients=author_recipients(statement),
        context={"statement": statement, "version": version},
    )
    return statement


@transaction.atomic
def withdraw_statement(*, statement: PriorityStatement, by) -> PriorityStatement:
    statement = _lock(statement)
    _require(
        statement,
        Status.PUBLISHED,
        Status.DRAFT,
        Status.IN_REVIEW,
        message=_("This statement is already withdrawn or archived."),
    )
    statement.status = Status.WITHDRAWN
    statement._history_user = by
    statement.save(update_fields=["status", "updated_at"])
    return statement


@transaction.atomic
def archive_statement(*, statement: PriorityStatement, by) -> PriorityStatement:
    statement = _lock(statement)
    _require(
        statement,
        Status.PUBLISHED,
        Status.WITHDRAWN,
        Status.DRAFT,
        message=_("This statement cannot be archived now."),
    )
    statement.status = Status.ARCHIVED
    statement._history_user = by
    statement.save(update_fields=["status", "updated_at"])
    return statement


def endorse(*, statement: PriorityStatement, organisation: Organisation, by) -> Endorsement:
    """Co-sign on behalf of an organisation, or confirm again after a substantive change."""
    if not statement.is_public:
        raise ValidationError(_("Only published statements can be endorsed."))
    if organisation.status != Organisation.Status.ACTIVE:
        raise ValidationError(_("Only active member organisations can endorse statements."))
    if statement.author_organisation_id == organisation.pk:
        raise ValidationError(_("An organisation does not endorse its own statement."))
    live = statement.endorsements.live().filter(organisation=organisation)
    with transaction.atomic():
        if existing := live.select_for_update().first():
            if existing.version >= statement.version:
                raise ValidationError(_("This organisation already endorses the statement."))
            existing.version = statement.version
            existing.endorsed_by = by
            existing.endorsed_at = timezone.now()
            existing.save(update_fields=["version", "endorsed_by", "endorsed_at"])
            return existing
        try:
            with transaction.atomic():
                return Endorsement.objects.create(
                    statement=statement,
                    organisation=organisation,
                    endorsed_by=by,
                    version=statement.version,
                    endorsed_at=timezone.now(),
                )
        except IntegrityError:
            raise ValidationError(_("This organisation already endorses the statement.")) from None


@transaction.atomic
def withdraw_endorsement(*, endorsement: Endorsement, by) -> Endorsement:
    endorsement = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
    if endorsement.withdrawn_at:
        raise ValidationError(_("This endorsement was already withdrawn."))
    endorsement.withdrawn_at = timezone.now()
    endorsement._history_user = by
    endorsement.save(update_fields=["withdrawn_at"])
    return endorsement


@transaction.atomic
def receive_contact_message(*, message: ContactMessage) -> ContactMessage:
    message.save()
    send_templated_mail(
        template="advocacy/email/contact_message",
        recipients=coordinator_recipients(),
        context={"message": message},
    )
    return message
