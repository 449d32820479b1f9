from datetime import datetime

from django import template
from django.utils import timezone

from advocacy import markup
from advocacy.models import Ballot, Endorsement, PriorityRound, PriorityStatement
from platform_site.audience import Audience
from platform_site.cache import cached_result
from working_groups.models import WorkingGroup, organisations_of

register = template.Library()


@register.filter
def statement_markup(text):
    return markup.render(text)


@register.inclusion_tag("advocacy/includes/organisation_statements.html")
def organisation_statements(organisation):
    """Statements an organisation wrote or endorsed, for its profile."""
    return {
        "written": PriorityStatement.objects.published()
        .filter(author_organisation=organisation)
        .select_related("current"),
        "endorsed": Endorsement.objects.live()
        .filter(organisation=organisation, statement__in=PriorityStatement.objects.published())
        .select_related("statement__current"),
    }


@register.inclusion_tag("advocacy/includes/group_statements.html")
def group_statements(group):
    return {
        "statements": PriorityStatement.objects.published()
        .filter(author_group=group)
        .select_related("current")
    }


# --- the member's home page (members/dashboard.html) -------------------------------------

OPEN_TO_ENDORSE = 5


@register.simple_tag(takes_context=True)
def advocacy_overview(context) -> dict:
    """For each active organisation of the user: open priority-setting rounds and whether it
    has voted, its statements in draft, in review or sent back, and published statements it
    has not endorsed (or endorsed in an earlier version). One fixed set of queries for all the
    user's organisations, shared by everyone with the same organisations and roles until
    statements, rounds, groups or organisations change, or an open round opens or closes."""
    audience = Audience.of(context["request"])
    overview, _next_moment = cached_result(
        "dashboard-advocacy",
        ("members", "working_groups", "advocacy"),
        (audience.roles_key,),
        lambda: _advocacy_overview(audience),
        expires=lambda value: value[1],
    )
    return overview


def _advocacy_overview(audience) -> tuple[dict, datetime | None]:
    """The overview, and the next moment an open round starts or stops taking ballots."""
    own = list(organisations_of(audience))
    if not own:
        return {}, None
    now = timezone.now()
    overview = {
        organisation.pk: {"rounds": [], "statements": [], "to_endorse": [], "to_confirm": []}
        for organisation in own
    }
    open_rounds = list(
        PriorityRound.objects.visible_to(audience).filter(status=PriorityRound.Status.OPEN)
    )
    rounds = [round_ for round_ in open_rounds if round_.is_accepting_ballots(now)]
    next_moment = min(
        (
            moment
            for round_ in open_rounds
            for moment in (round_.opens_at, round_.closes_at)
            if moment > now
        ),
        default=None,
    )
    if rounds:
        voted = set(
            Ballot.objects.filter(round__in=rounds, organisation__in=own).values_list(
                "round_id", "organisation_id"
            )
        )
        for pk, entry in overview.items():
            entry["rounds"] = [(round_, (round_.pk, pk) in voted) for round_ in rounds]
    # Statements being written: the organisation's own, and those of the groups it leads.
    leads = WorkingGroup.lead_organisations.through.objects.filter(organisation__in=own)
    lead_orgs_of = {}
    for group_id, organisation_id in leads.values_list("workinggroup_id", "organisation_id"):
        lead_orgs_of.setdefault(group_id, []).append(organisation_id)
    for statement in (
        PriorityStatement.objects.editable_by(audience)
        .filter(status__in=[PriorityStatement.Status.DRAFT, PriorityStatement.Status.IN_REVIEW])
        .select_related("author_group")
        .order_by("-updated_at")
    ):
        authors = (
            [statement.author_organisation_id]
            if statement.author_organisation_id
            else lead_orgs_of.get(statement.author_group_id, [])
        )
        for pk in authors:
            if pk in overview:
                overview[pk]["statements"].append(statement)
    # Published statements waiting for each organisation's endorsement.
    published = list(
        PriorityStatement.objects.published()
        .select_related("current")
        .order_by("-published_at")[:50]
    )
    endorsed = {
        (statement_id, organisation_id): version
        for statement_id, organisation_id, version in Endorsement.objects.live()
        .filter(organisation__in=own, statement__in=[s.pk for s in published])
        .values_list("statement_id", "organisation_id", "version")
    }
    for pk, entry in overview.items():
        for statement in published:
            if statement.author_organisation_id == pk:
                continue
            version = endorsed.get((statement.pk, pk))
            if version is None:
                entry["to_endorse"].append(statement)
            elif version < statement.version:
                entry["to_confirm"].append(statement)
        entry["more_to_endorse"] = max(0, len(entry["to_endorse"]) - OPEN_TO_ENDORSE)
        entry["to_endorse"] = entry["to_endorse"][:OPEN_TO_ENDORSE]
    return overview, next_moment


@register.inclusion_tag("advocacy/includes/dashboard.html")
def organisation_advocacy_panel(overview, organisation):
    """One organisation's part of the advocacy overview, for the member's home page."""
    return {"organisation": organisation, "advocacy": overview.get(organisation.pk)}
