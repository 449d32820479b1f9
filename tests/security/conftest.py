"""A small world with something of every kind, for the site-wide security tests."""

from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db.models import Max

from advocacy import services as advocacy_services
from advocacy.models import Candidate, PriorityRound, PriorityStatement
from api.models import ApiToken
from corrections.models import Correction
from knowledge_bank.models import Programme, Resource
from members.models import Governorate, JoinRequest, Subsector
from tests import files
from tests.conftest import make_contact, make_meeting, make_organisation, make_user
from working_groups.models import GroupMembership


@dataclass
class World:
    organisation: object
    other: object
    hidden: object
    pending: object
    group: object
    statement: object
    draft: object
    round: object
    resource: object
    private_resource: object
    programme: object
    contacts: list
    join_request: object
    group_request: object
    membership: object
    meeting: object
    personal: list  # strings that must never reach a public page
    # News, events and the network's structure (news, events, network apps).
    news: object = None
    event: object = None
    registration: object = None
    material: object = None
    series: object = None
    correction: object = None  # a suggested correction to the organisation, waiting
    api_token: object = None  # the editor's personal API token


@pytest.fixture
def world(
    db, organisation, org_admin, editor, other_org_editor, coordinator, lead, lead_org, group
):
    from django.utils import timezone

    other = other_org_editor.organisation_memberships.get().organisation
    hidden = make_organisation(name_en="Quiet Org", low_profile=True)
    pending_user = make_user("pending-applicant@example.org")
    pending = make_organisation(
        name_en="Pending Org", status="pending", members=[(pending_user, "admin")]
    )
    contacts = [
        make_contact(
            organisation,
            visibility="private",
            name="Private Person",
            email="private.person@contacts.example.org",
            phone="+963 911 111 111",
        ),
        make_contact(
            organisation,
            visibility="members",
            name="Members Person",
            email="members.person@contacts.example.org",
            phone="+963 922 222 222",
        ),
        make_contact(
            hidden,
            visibility="public",
            name="Hidden Org Person",
            email="hidden.person@contacts.example.org",
            phone="+963 933 333 333",
        ),
    ]
    public_contact = make_contact(
        organisation,
        visibility="public",
        name="Public Person",
        email="public.person@contacts.example.org",
    )
    statement = advocacy_services.save_draft(
        statement=PriorityStatement(
            author_organisation=organisation,
            title_en="Public statement",
            body_en="Text",
            summary_en="Summary",
        ),
        by=editor,
    )
    advocacy_services.submit_statement(statement=statement, by=editor)
    statement = advocacy_services.publish_statement(statement=statement, by=coordinator)
    advocacy_services.endorse(statement=statement, organisation=other, by=other_org_editor)
    advocacy_services.endorse(statement=statement, organisation=hidden, by=coordinator)
    draft = advocacy_services.save_draft(
        statement=PriorityStatement(
            author_organisation=organisation, title_en="Secret draft", body_en="Draft text"
        ),
        by=editor,
    )
    round_ = PriorityRound.objects.create(
        title_en="Round",
        title_ar="جولة",
        opens_at=timezone.now() - timezone.timedelta(days=1),
        closes_at=timezone.now() + timezone.timedelta(days=1),
        status="open",
    )
    for n in range(2):
        Candidate.objects.create(round=round_, title_en=f"Candidate {n}", position=n)
    resource = Resource(
        title_en="Public guide",
        kind="guide",
        language="en",
        file_type="pdf",
        publisher=organisation,
    )
    resource.file.save("guide.pdf", files.pdf(), save=False)
    resource.save()
    private_resource = Resource.objects.create(
        title_en="Members note",
        kind="report",
        language="en",
        url="https://example.org/n",
        visibility="members",
    )
    programme = Programme.objects.create(
        organisation=organisation, title_en="Public programme", start_date=timezone.localdate()
    )
    programme.governorates.add(Governorate.objects.get(pcode="SY07"))
    programme.subsectors.add(Subsector.objects.get(code="nfe"))
    hidden_programme = Programme.objects.create(
        organisation=hidden, title_en="Hidden programme", start_date=timezone.localdate()
    )
    hidden_programme.governorates.add(Governorate.objects.get(pcode="SY07"))
    join_request = JoinRequest.objects.create(
        user=make_user("asks-to-join@example.org"), organisation=organisation
    )
    group_request = GroupMembership.objects.create(group=group, organisation=organisation)
    membership = organisation.memberships.get(user=editor)
    meeting = make_meeting(group, visibility="members", agenda="Members-only agenda")
    personal = [
        *(c.name for c in contacts),
        *(c.email for c in contacts),
        *(c.phone for c in contacts),
        org_admin.email,
        editor.email,
        other_org_editor.email,
        coordinator.email,
        lead.email,
        pending_user.email,
        "asks-to-join@example.org",
        "Members-only agenda",
        "Secret draft",
        "Quiet Org",
        "Pending Org",
        "Members note",
        "Hidden programme",
        "REG-SECRET-1",
    ]
    organisation.registration_number = "REG-SECRET-1"
    organisation.save()
    news, event, registration, material, series = _news_and_events(organisation, hidden, editor)
    personal += ["Members news secret", "Members event secret", "Unconsented Person"]
    correction = Correction.objects.create(
        organisation=organisation,
        proposed_by=other_org_editor,
        proposed={"acronym": "NEW"},
        reason="A newer acronym",
    )
    api_token, _key = ApiToken.issue(user=editor, name="Editor's script")
    assert public_contact.name not in personal
    return World(
        organisation=organisation,
        other=other,
        hidden=hidden,
        pending=pending,
        group=group,
        statement=statement,
        draft=draft,
        round=round_,
        resource=resource,
        private_resource=private_resource,
        programme=programme,
        contacts=contacts,
        join_request=join_request,
        group_request=group_request,
        membership=membership,
        meeting=meeting,
        personal=personal,
        news=news,
        event=event,
        registration=registration,
        material=material,
        series=series,
        correction=correction,
        api_token=api_token,
    )


def _news_and_events(organisation, hidden, editor):
    from datetime import timedelta

    from django.utils import timezone

    from events.models import Event, Material
    from events.services import register_for_event
    from knowledge_bank.models import ReportSeries
    from network.models import Body, CodeOfConduct, TeamMember
    from news.models import NewsItem

    now = timezone.now()
    news = NewsItem.objects.create(
        title_en="Public news", status="published", published_at=now - timedelta(days=1)
    )
    news.organisations.set([organisation, hidden])  # the hidden one is never named publicly
    NewsItem.objects.create(
        title_en="Members news secret",
        status="published",
        published_at=now - timedelta(days=1),
        visibility="members",
    )
    event = Event.objects.create(
        title_en="Public event",
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=3, hours=2),
        status="published",
        registration_open=True,
        capacity=10,
    )
    Event.objects.create(
        title_en="Members event secret",
        starts_at=now + timedelta(days=4),
        ends_at=now + timedelta(days=4, hours=2),
        status="published",
        audience="members",
    )
    past = Event.objects.create(
        title_en="Past event",
        starts_at=now - timedelta(days=4),
        ends_at=now - timedelta(days=4) + timedelta(hours=2),
        status="published",
    )
    material = Material.objects.create(event=past, title_en="Slides", url="https://example.org/s")
    registration = register_for_event(event=event, person=editor, organisation=organisation)
    body = Body.objects.create(name_en="Coordinating body")
    TeamMember.objects.create(body=body, name_en="Unconsented Person")
    CodeOfConduct.objects.create(version=1, text_en="Be kind", published_at=now)
    series = ReportSeries.objects.create(title_en="Schools in Syria")
    return news, event, registration, material, series


def snapshot():
    """Row counts and last-change times of every model: equal snapshots mean nothing changed."""
    state = {}
    for model in apps.get_models():
        queryset = model._default_manager.all()
        state[model._meta.label] = queryset.count()
        if any(field.name == "updated_at" for field in model._meta.fields):
            state[model._meta.label + ".updated_at"] = queryset.aggregate(m=Max("updated_at"))["m"]
    return state
