"""Every form of the site, fed with hostile input by Hypothesis: never a crash, always either
a valid form or field errors. The public forms are also fuzzed through HTTP: never a 500."""

import pytest
from django import forms as django_forms
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advocacy.filters import StatementFilter
from advocacy.forms import BallotForm, ContactMessageForm, EndorseForm, StatementForm
from advocacy.models import Candidate, PriorityRound
from api.forms import TokenForm
from corrections.forms import DecisionForm as CorrectionDecisionForm
from corrections.forms import SuggestForm
from corrections.models import Correction
from events.forms import EventAdminForm, MaterialAdminForm, RegistrationForm
from knowledge_bank.filters import ProgrammeFilter, ResourceFilter
from knowledge_bank.forms import ProgrammeForm, ResourceForm
from members.filters import OrganisationFilter
from members.forms import (
    AddMemberForm,
    ApplicationForm,
    ContactForm,
    DecisionForm,
    JoinRequestForm,
    ProfileForm,
    RoleForm,
)
from members.models import Organisation
from news.forms import NewsItemAdminForm
from platform_site import audit
from platform_site.account_forms import DisplayNameSignupForm, PreferencesForm
from platform_site.forms import AuditFilterForm
from platform_site.models import Category, Preferences
from working_groups.forms import AnswerForm, JoinGroupForm, LeaveGroupForm, MeetingForm

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

NASTY = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "٢٠١٥",
        "1e309",
        "99999999999999999999",
        "NaN",
        "null",
        "None",
        "true",
        "<script>alert(1)</script>",
        "javascript:alert(1)",
        "data:text/html,x",
        "' OR 1=1 --",
        '=HYPERLINK("x")',
        "\u202e\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
        "مَدْرَسَةٌ",
        "SY07",
        "nfe",
        "2026-13-45",
        "2026-02-01",
        "2026-02-01T10:00",
        "https://example.org/x",
        "a@b.co",
        "x" * 5000,
    ]
)
VALUE = st.one_of(NASTY, st.text(max_size=300), st.integers(-(10**12), 10**12).map(str))


def form_data(form):
    """A strategy for a dict that may fill any field of `form` with anything."""
    names = list(form.fields)
    return st.dictionaries(
        st.sampled_from(names) if names else st.just("x"),
        st.one_of(VALUE, st.lists(VALUE, max_size=4)),
        max_size=len(names) + 2,
    )


def check(form_class, data, **kwargs):
    flat = {}
    for key, value in data.items():
        flat[key] = value
    form = form_class(data=_querydict(flat), **kwargs)
    valid = form.is_valid()  # must not raise
    assert valid or form.errors


def _querydict(data):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = value
    return query


FORMS = [
    (ApplicationForm, {}),
    (ContactForm, {}),
    (JoinRequestForm, {}),
    (AddMemberForm, {}),
    (RoleForm, {}),
    (DecisionForm, {}),
    (MeetingForm, {}),
    (ProgrammeForm, {}),
    (ResourceForm, {}),
    (ContactMessageForm, {}),
    (NewsItemAdminForm, {}),
    (EventAdminForm, {}),
    (MaterialAdminForm, {}),
    (TokenForm, {}),
    (AnswerForm, {}),
    (DisplayNameSignupForm, {}),
]


@pytest.mark.parametrize(("form_class", "kwargs"), FORMS, ids=[f.__name__ for f, _ in FORMS])
def test_forms_never_crash(form_class, kwargs):
    @EXAMPLES
    @given(data=form_data(form_class(**kwargs)))
    def run(data):
        check(form_class, data, **kwargs)

    run()


def test_profile_form_never_crashes(organisation):
    @EXAMPLES
    @given(data=form_data(ProfileForm(instance=organisation)))
    def run(data):
        check(ProfileForm, data, instance=Organisation.objects.get(pk=organisation.pk))

    run()


def test_audit_filter_form_never_crashes():
    fuzz(AuditFilterForm, {"kinds": audit.kinds()})


def test_audit_log_answers_any_query_string_without_a_500(client, coordinator, settings):
    settings.STAFF_REQUIRE_MFA = False
    client.force_login(coordinator)

    @EXAMPLES
    @given(
        params=st.dictionaries(
            st.sampled_from(["email", "kind", "since", "until"]), VALUE, max_size=4
        )
    )
    def run(params):
        response = client.get("/en/admin/audit/", params)
        has_nul = any("\x00" in key + value for key, value in params.items())
        assert response.status_code in ({400} if has_nul else {200}), (params, response.status_code)

    run()


def test_correction_forms_never_crash(organisation, outsider):
    correction = Correction.objects.create(
        organisation=organisation,
        proposed_by=outsider,
        proposed={"acronym": "X", "website": "https://x.org"},
        reason="r",
    )
    fuzz(SuggestForm, {"organisation": organisation})
    fuzz(CorrectionDecisionForm, {"correction": correction})


def test_forms_with_choices_of_the_users_own_never_crash(organisation, editor, group):
    own = Organisation.objects.filter(pk=organisation.pk)
    round_ = PriorityRound.objects.create(
        title_en="R", opens_at=timezone.now(), closes_at=timezone.now() + timezone.timedelta(days=1)
    )
    for n in range(3):
        Candidate.objects.create(round=round_, title_en=f"C{n}")
    cases = [
        (JoinGroupForm, {"organisations": own}),
        (LeaveGroupForm, {"memberships": group.memberships.all()}),
        (EndorseForm, {"organisations": own}),
        (StatementForm, {"organisations": list(own), "groups": [group]}),
        (BallotForm, {"candidates": round_.candidates.all(), "organisations": own}),
        (RegistrationForm, {"organisations": own}),
        (PreferencesForm, {"categories": list(Category), "instance": Preferences(user=editor)}),
    ]
    for form_class, kwargs in cases:
        fuzz(form_class, kwargs)


def fuzz(form_class, kwargs):
    @EXAMPLES
    @given(data=form_data(form_class(**kwargs)))
    def run(data):
        check(form_class, data, **kwargs)

    run()


FILTERS = [OrganisationFilter, StatementFilter, ProgrammeFilter, ResourceFilter]


@pytest.mark.parametrize("filter_class", FILTERS, ids=[f.__name__ for f in FILTERS])
def test_filters_never_crash(filter_class):
    model = filter_class._meta.model
    queryset = model.objects.all()

    @EXAMPLES
    @given(data=form_data(filter_class(queryset=queryset).form))
    def run(data):
        filterset = filter_class(_querydict(data), queryset=queryset)
        list(filterset.qs[:5])  # evaluating the filtered query must not fail either

    run()


# --- through HTTP -------------------------------------------------------------------------

PAGES = [
    "/ar/organisations/",
    "/en/priorities/",
    "/ar/knowledge-bank/",
    "/en/knowledge-bank/programmes/",
    "/ar/coverage/",
    "/en/news/",
    "/ar/events/",
    "/ar/events/past/",
    "/en/knowledge-bank/series/",
]


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_answer_any_query_string_without_a_500(client, url):
    @EXAMPLES
    @given(
        params=st.dictionaries(
            st.sampled_from(
                [
                    "q",
                    "governorate",
                    "subsector",
                    "org_type",
                    "target_group",
                    "country",
                    "sort",
                    "page",
                    "status",
                    "year",
                    "kind",
                    "language",
                    "author",
                    "working_group",
                ]
            ),
            VALUE,
            max_size=5,
        )
    )
    def run(params):
        response = client.get(url, params)
        has_nul = any("\x00" in key + value for key, value in params.items())
        # NUL characters are refused before any view runs (RejectNulMiddleware).
        assert response.status_code in ({400} if has_nul else {200, 404}), (
            params,
            response.status_code,
        )

    run()


API_LISTS = [
    "/api/v1/organisations/",
    "/api/v1/programmes/",
    "/api/v1/statements/",
    "/api/v1/resources/",
    "/api/v1/coverage/",
]


@pytest.mark.parametrize("url", API_LISTS)
def test_the_api_answers_any_query_string_without_a_500(client, url):
    @EXAMPLES
    @given(
        params=st.dictionaries(
            st.sampled_from(
                [
                    "q",
                    "governorate",
                    "subsector",
                    "org_type",
                    "target_group",
                    "country",
                    "sort",
                    "status",
                    "year",
                    "kind",
                    "language",
                    "author",
                    "organisation",
                    "cursor",
                    "page_size",
                ]
            ),
            VALUE,
            max_size=5,
        )
    )
    def run(params):
        from django.core.cache import cache

        cache.clear()  # the rate limit is not what is tested here
        response = client.get(url, params)
        has_nul = any("\x00" in key + value for key, value in params.items())
        assert response.status_code in ({400} if has_nul else {200, 400, 404}), (
            params,
            response.status_code,
        )
        if response.status_code in (400, 404) and not has_nul:
            assert response["Content-Type"].startswith("application/json")

    run()


def test_contact_form_over_http_never_500s(client):
    @EXAMPLES
    @given(data=form_data(ContactMessageForm()))
    def run(data):
        from django.core.cache import cache

        cache.clear()  # the rate limit is not what is tested here
        response = client.post("/en/contact/", _querydict(data))
        assert response.status_code in {200, 302}

    run()


def test_registration_over_http_never_500s(client, outsider):
    client.force_login(outsider)

    @EXAMPLES
    @given(data=form_data(ApplicationForm()))
    def run(data):
        response = client.post("/ar/organisations/register/", _querydict(data))
        assert response.status_code in {200, 302}

    run()


def test_every_form_of_the_site_is_fuzzed():
    """A new form must be added to the lists above."""
    import inspect

    import advocacy.forms
    import api.forms
    import corrections.forms
    import events.forms
    import knowledge_bank.forms
    import members.forms
    import news.forms
    import platform_site.account_forms
    import working_groups.forms

    fuzzed = {f for f, _ in FORMS} | {
        ProfileForm,
        JoinGroupForm,
        LeaveGroupForm,
        EndorseForm,
        StatementForm,
        BallotForm,
        RegistrationForm,
        SuggestForm,
        CorrectionDecisionForm,
        PreferencesForm,
    }
    fuzzed |= {members.forms.OrganisationForm}  # the base of ApplicationForm and ProfileForm
    defined = {
        obj
        for module in (
            members.forms,
            working_groups.forms,
            advocacy.forms,
            knowledge_bank.forms,
            news.forms,
            events.forms,
            api.forms,
            corrections.forms,
            platform_site.account_forms,
        )
        for obj in vars(module).values()
        if inspect.isclass(obj)
        and issubclass(obj, django_forms.BaseForm)
        and obj.__module__ == module.__name__
    }
    assert defined <= fuzzed, defined - fuzzed
