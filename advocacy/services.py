"""The life of priority statements, endorsements and priority-setting rounds: one function
per change."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.models import (
    POINTS_PER_BALLOT,
    Allocation,
    Ballot,
    ContactMessage,
    Endorsement,
    PriorityRound,
    PriorityStatement,
    StatementVersion,
)
from members.models import Organisation, OrganisationMember
from members.services import coordinator_recipients, organisation_recipients
from platform_site.aggregates import SMALLEST_GROUP, fold_small_groups, shown_count
from platform_site.mail import send_templated_mail
from platform_site.text import index_text

Status = PriorityStatement.Status

OTHER = object()  # the key of a breakdown's folded row of small groups


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


# --- priority-setting rounds ------------------------------------------------------------


def _lock_round(round_: PriorityRound) -> PriorityRound:
    return PriorityRound.objects.select_for_update().get(pk=round_.pk)


@transaction.atomic
def open_round(*, round_: PriorityRound, by) -> PriorityRound:
    round_ = _lock_round(round_)
    if round_.status != PriorityRound.Status.DRAFT:
        raise ValidationError(_("Only a draft round can be opened."))
    if round_.candidates.count() < 2:
        raise ValidationError(_("A round needs at least two candidate priorities."))
    round_.status = PriorityRound.Status.OPEN
    round_.save(update_fields=["status", "updated_at"])
    return round_


@transaction.atomic
def close_round(*, round_: PriorityRound, by) -> PriorityRound:
    round_ = _lock_round(round_)
    if round_.status != PriorityRound.Status.OPEN:
        raise ValidationError(_("Only an open round can be closed."))
    round_.status = PriorityRound.Status.CLOSED
    round_.closes_at = min(round_.closes_at, timezone.now())
    if round_.closes_at <= round_.opens_at:  # closed before it opened: keep the dates valid
        round_.opens_at = round_.closes_at - timedelta(seconds=1)
    round_.save(update_fields=["status", "opens_at", "closes_at", "updated_at"])
    return round_


@transaction.atomic
def publish_results(*, round_: PriorityRound, by) -> PriorityRound:
    round_ = _lock_round(round_)
    if round_.status != PriorityRound.Status.CLOSED:
        raise ValidationError(_("Results are published only after the round is closed."))
    round_.status = PriorityRound.Status.PUBLISHED
    round_.published_at = timezone.now()
    round_.save(update_fields=["status", "published_at", "updated_at"])
    return round_


@transaction.atomic
def cast_ballot(
    *, round_: PriorityRound, organisation: Organisation, by, points: dict[int, int]
) -> Ballot:
    """Cast or change an organisation's ballot: exactly 100 points over the round's candidates."""
    round_ = _lock_round(round_)
    if not round_.is_accepting_ballots(timezone.now()):
        raise ValidationError(_("This round is not open for voting."))
    if organisation.status != Organisation.Status.ACTIVE:
        raise ValidationError(_("Only active member organisations can vote."))
    candidates = set(round_.candidates.values_list("pk", flat=True))
    if not set(points) <= candidates:
        raise ValidationError(_("A priority on the ballot does not belong to this round."))
    if any(value < 0 for value in points.values()):
        raise ValidationError(_("Points cannot be negative."))
    if sum(points.values()) != POINTS_PER_BALLOT:
        raise ValidationError(
            _("The points must add up to exactly %(total)s; they add up to %(sum)s.")
            % {"total": POINTS_PER_BALLOT, "sum": sum(points.values())}
        )
    ballot, _created = Ballot.objects.select_for_update().update_or_create(
        round=round_,
        organisation=organisation,
        defaults={"cast_by": by, "cast_at": timezone.now()},
    )
    ballot.allocations.all().delete()
    Allocation.objects.bulk_create(
        Allocation(ballot=ballot, candidate_id=pk, points=value)
        for pk, value in points.items()
        if value
    )
    return ballot


def tally(round_: PriorityRound) -> dict:
    """The ranked result of a round, with breakdowns; callers check the round may be shown.

    Score = total points. Equal scores: the priority that more organisations gave points to
    comes first; if that is equal too, the priorities share the rank.
    """
    candidates = list(round_.candidates.select_related("subsector"))
    allocations = list(
        Allocation.objects.filter(ballot__round=round_)
        .select_related("ballot__organisation")
        .prefetch_related("ballot__organisation__governorates")
    )
    ballots = {a.ballot_id: a.ballot for a in allocations}
    score = {c.pk: 0 for c in candidates}
    supporters = {c.pk: 0 for c in candidates}
    for allocation in allocations:
        score[allocation.candidate_id] += allocation.points
        supporters[allocation.candidate_id] += 1
    ordered = sorted(candidates, key=lambda c: (-score[c.pk], -supporters[c.pk], c.position, c.pk))
    ranking, previous, rank = [], None, 0
    for index, candidate in enumerate(ordered, start=1):
        key = (score[candidate.pk], supporters[candidate.pk])
        if key != previous:
            rank, previous = index, key
        ranking.append(
            {
                "rank": rank,
                "candidate": candidate,
                "points": score[candidate.pk],
                "organisations": supporters[candidate.pk],
            }
        )

    def breakdown(groups_of, label, other_label):
        """For each group of organisations: how many voted and their top three priorities.

        Ballots are secret: groups of fewer than three voting organisations are folded into
        one "other" row, whose priorities are shown only if it reaches three in turn."""
        groups = {}
        for allocation in allocations:
            for group in groups_of(allocation.ballot.organisation):
                points, voters = groups.setdefault(group, ({}, set()))
                points[allocation.candidate_id] = (
                    points.get(allocation.candidate_id, 0) + allocation.points
                )
                voters.add(allocation.ballot_id)

        def merge(several):
            points, voters = {}, set()
            for group_points, group_voters in several:
                for pk, value in group_points.items():
                    points[pk] = points.get(pk, 0) + value
                voters |= group_voters
            return points, voters

        groups = fold_small_groups(
            groups, merge=merge, size=lambda group: len(group[1]), other=OTHER
        )
        by_pk = {c.pk: c for c in candidates}
        rows = []
        for group, (points, voters) in groups.items():
            enough = len(voters) >= SMALLEST_GROUP
            ranked = sorted(points.items(), key=lambda item: -item[1])[:3] if enough else []
            rows.append(
                {
                    "group": group,
                    "label": other_label if group is OTHER else label(group),
                    "organisations": shown_count(len(voters)),
                    "top": [by_pk[pk] for pk, _points in ranked],
                    "is_other": group is OTHER,
                }
            )
        return sorted(
            rows, key=lambda row: (row["is_other"], -(row["organisations"] or 0), str(row["label"]))
        )

    types = dict(Organisation.Type.choices)
    if len(ballots) < SMALLEST_GROUP:  # the ranking alone would tell their ballots
        return {"ranking": [], "participants": len(ballots), "by_governorate": [], "by_type": []}
    return {
        "ranking": ranking,
        "participants": len(ballots),
        "by_governorate": breakdown(
            lambda o: list(o.governorates.all()), lambda g: g.name, _("Other governorates")
        ),
        "by_type": breakdown(lambda o: [o.org_type], types.get, _("Other types")),
    }
