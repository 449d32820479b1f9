"""Fill a database with a realistic network at scale (docs/product.md §8): 10,000 organisations,
30,000 programmes, 50 working groups, 200 published statements with endorsements.

    DJANGO_SETTINGS_MODULE=platform_site.settings DATABASE_URL=... python bench/generate.py
"""

import os
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_site.settings")

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from advocacy.models import Endorsement, PriorityStatement, StatementVersion  # noqa: E402
from knowledge_bank.models import Programme  # noqa: E402
from members.models import (  # noqa: E402
    COORDINATORS_GROUP,
    Governorate,
    Organisation,
    OrganisationMember,
    Subsector,
    TargetGroup,
)
from members.search import refresh_search_documents  # noqa: E402
from platform_site.text import index_text  # noqa: E402
from working_groups.models import GroupMembership, WorkingGroup  # noqa: E402

ORGANISATIONS, PROGRAMMES, GROUPS, STATEMENTS = 10_000, 30_000, 50, 200
# The people bench/run.py signs in (generate_people).
MEMBER_EMAIL, COORDINATOR_EMAIL = "bench-member@example.org", "bench-coordinator@example.org"
PASSWORD = "bench-password-2026"
COORDINATOR_TOTP_SECRET = "JBSWY3DPEHPK3PXPBENCHCOORDINATOR"  # base32, as allauth stores one
MEMBER_ORGANISATION = 100  # the 101st public organisation (the bench's profile is the 43rd)
HOST_COUNTRIES = ["TR", "LB", "JO", "IQ", "DE"]
KINDS = [
    ("جمعية", "Association"),
    ("مؤسسة", "Foundation"),
    ("منظمة", "Organisation"),
    ("مركز", "Centre"),
    ("شبكة", "Network"),
    ("فريق", "Team"),
    ("مبادرة", "Initiative"),
]
WORDS = [
    ("الأمل", "Hope"),
    ("النور", "Light"),
    ("الغد", "Tomorrow"),
    ("المعرفة", "Knowledge"),
    ("السنابل", "Sanabel"),
    ("الياسمين", "Jasmine"),
    ("الزيتون", "Olive"),
    ("القلم", "Pen"),
    ("الجسور", "Bridges"),
    ("البذور", "Seeds"),
    ("الفرات", "Euphrates"),
    ("العاصي", "Orontes"),
    ("الشمال", "North"),
    ("الساحل", "Coast"),
    ("حوران", "Horan"),
    ("الجزيرة", "Jazira"),
]
FIELDS = [
    ("للتعليم", "for Education"),
    ("للتنمية", "for Development"),
    ("للطفولة", "for Childhood"),
    ("للتعلّم المجتمعي", "for Community Learning"),
    ("لدعم المعلمين", "for Teacher Support"),
]
TITLES = [
    ("صفوف تعلّم مسرَّع", "Accelerated learning classes"),
    ("دعم نفسي اجتماعي", "Psychosocial support"),
    ("إعادة تأهيل مدارس", "School rehabilitation"),
    ("رياض أطفال", "Kindergartens"),
    ("منح نقدية للتعليم", "Cash for education"),
    ("تدريب مهني", "Vocational training"),
]


def main():
    if Organisation.objects.count() >= ORGANISATIONS:
        print("Network already generated.")
    else:
        generate_network()
    generate_people()
    generate_history()


def generate_network():
    rng = random.Random(8)
    governorates = list(Governorate.objects.all())
    subsectors = list(Subsector.objects.all())
    target_groups = list(TargetGroup.objects.all())
    types = [choice for choice, _label in Organisation.Type.choices]
    now = timezone.now()
    with transaction.atomic():
        organisations = []
        for n in range(ORGANISATIONS):
            kind, word, field = rng.choice(KINDS), rng.choice(WORDS), rng.choice(FIELDS)
            name_ar, name_en = (
                f"{kind[0]} {word[0]} {field[0]} {n}",
                f"{word[1]} {kind[1]} {field[1]} {n}",
            )
            acronym = "".join(part[0] for part in name_en.split()[:3]).upper() + str(n)
            organisations.append(
                Organisation(
                    name=name_ar,
                    name_ar=name_ar,
                    name_en=name_en,
                    acronym=acronym,
                    slug=f"org-{n}",
                    org_type=rng.choice(types),
                    status="active",
                    low_profile=n % 50 == 0,
                    description_ar=f"{name_ar} تعمل مع الأطفال واليافعين في التعليم.",
                    description_en=f"{name_en} works with children and adolescents in education.",
                    verified_at=now - timedelta(days=rng.randint(1, 700)),
                    host_countries=" ".join(rng.sample(HOST_COUNTRIES, rng.randint(0, 2))),
                )
            )
        Organisation.objects.bulk_create(organisations, batch_size=2000)
        organisations = list(Organisation.objects.order_by("pk"))
        through_g, through_s = Organisation.governorates.through, Organisation.subsectors.through
        through_g.objects.bulk_create(
            [
                through_g(organisation=o, governorate=g)
                for o in organisations
                for g in rng.sample(governorates, 2)
            ],
            batch_size=5000,
        )
        through_s.objects.bulk_create(
            [
                through_s(organisation=o, subsector=s)
                for o in organisations
                for s in rng.sample(subsectors, 3)
            ],
            batch_size=5000,
        )
        through_t = Organisation.target_groups.through
        through_t.objects.bulk_create(
            [
                through_t(organisation=o, targetgroup=t)
                for o in organisations
                for t in rng.sample(target_groups, 3)
            ],
            batch_size=5000,
        )
        programmes = []
        for n in range(PROGRAMMES):
            title = rng.choice(TITLES)
            start = date(2023, 1, 1) + timedelta(days=rng.randint(0, 1100))
            status = rng.choice(["ongoing", "ongoing", "completed", "planned"])
            programmes.append(
                Programme(
                    organisation=rng.choice(organisations),
                    title=title[0],
                    title_ar=title[0],
                    title_en=title[1],
                    start_date=start,
                    end_date=start + timedelta(days=365) if status == "completed" else None,
                    status=status,
                    reached=rng.randint(50, 5000),
                    targeted=rng.randint(5000, 9000),
                    visibility="public" if n % 10 else "members",
                )
            )
        Programme.objects.bulk_create(programmes, batch_size=5000)
        programmes = list(Programme.objects.only("pk"))
        pg, ps, pt = (
            Programme.governorates.through,
            Programme.subsectors.through,
            Programme.target_groups.through,
        )
        pg.objects.bulk_create(
            [pg(programme=p, governorate=rng.choice(governorates)) for p in programmes],
            batch_size=5000,
        )
        ps.objects.bulk_create(
            [ps(programme=p, subsector=s) for p in programmes for s in rng.sample(subsectors, 2)],
            batch_size=5000,
        )
        pt.objects.bulk_create(
            [pt(programme=p, targetgroup=rng.choice(target_groups)) for p in programmes],
            batch_size=5000,
        )
        for n in range(GROUPS):
            group = WorkingGroup.objects.create(
                name=f"مجموعة عمل {n}",
                name_ar=f"مجموعة عمل {n}",
                name_en=f"Working group {n}",
                mandate_ar="تنسيق العمل.",
                mandate_en="Coordination.",
            )
            group.lead_organisations.set(rng.sample(organisations, 2))
            GroupMembership.objects.bulk_create(
                [
                    GroupMembership(group=group, organisation=o, status="active")
                    for o in rng.sample(organisations, 30)
                ]
            )
        for n in range(STATEMENTS):
            title = (f"أولوية التعليم رقم {n}", f"Education priority {n}")
            statement = PriorityStatement.objects.create(
                author_organisation=rng.choice(organisations),
                title=title[0],
                title_ar=title[0],
                title_en=title[1],
                summary_ar="ملخص البيان.",
                summary_en="Summary of the statement.",
                body_ar="نص البيان.\n\n- بند",
                body_en="The statement.\n\n- item",
                status="published",
                version=1,
                published_at=now,
                search_text=index_text(*title),
            )
            version = StatementVersion.objects.create(
                statement=statement,
                number=1,
                title_ar=title[0],
                title_en=title[1],
                summary_ar="ملخص البيان.",
                summary_en="Summary of the statement.",
                body_ar="نص البيان.",
                body_en="The statement.",
                published_at=now,
            )
            statement.current = version
            statement.save(update_fields=["current"])
            statement.subsectors.set(rng.sample(subsectors, 2))
            Endorsement.objects.bulk_create(
                [
                    Endorsement(statement=statement, organisation=o, version=1, endorsed_at=now)
                    for o in rng.sample(organisations, rng.randint(5, 40))
                    if o.pk != statement.author_organisation_id
                ]
            )
    # The search documents (members.search), as the save paths keep them.
    refresh_search_documents(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    organisations, programmes = Organisation.objects.count(), Programme.objects.count()
    print(f"Generated {organisations} organisations, {programmes} programmes.")


def generate_history():
    """One "created" history row per organisation and programme, as the coordinator's imports
    leave them, spread over two years: the coordinators' history lists and audit log read these
    tables."""
    coordinator = get_user_model().objects.get(email=COORDINATOR_EMAIL)
    now = timezone.now()
    for model in (Organisation, Programme):
        history = model.history.model
        if history.objects.exists():
            continue
        batch = []
        for instance in model.objects.order_by("pk").iterator(chunk_size=2000):
            instance._history_date = now - timedelta(minutes=(instance.pk * 7919) % 1_000_000)
            instance._history_user = coordinator
            batch.append(instance)
            if len(batch) == 2000:
                model.history.bulk_history_create(batch)
                batch = []
        if batch:
            model.history.bulk_history_create(batch)
        print(f"History: {history.objects.count()} rows for {model._meta.verbose_name_plural}.")


def _person(email, *, staff=False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=email.split("@")[0], defaults={"email": email, "is_staff": staff}
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def generate_people():
    """The people the bench signs in (bench/run.py): added when missing, on a new database or
    one generated before they existed.

    - a member of an active organisation, editor of it (`MEMBER_EMAIL`), whose organisation
      belongs to a working group;
    - a coordinator: staff, in the Coordinators group, with a TOTP authenticator whose secret
      is `COORDINATOR_TOTP_SECRET` (the bench computes the codes, as an authenticator app).
    """
    with transaction.atomic():
        member = _person(MEMBER_EMAIL)
        organisation = Organisation.objects.public().order_by("pk")[MEMBER_ORGANISATION]
        OrganisationMember.objects.get_or_create(
            user=member, organisation=organisation, defaults={"role": "editor"}
        )
        group = WorkingGroup.objects.order_by("pk").first()
        GroupMembership.objects.get_or_create(
            group=group, organisation=organisation, defaults={"status": "active"}
        )
        coordinator = _person(COORDINATOR_EMAIL, staff=True)
        coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
        if not Authenticator.objects.filter(user=coordinator, type="totp").exists():
            TOTP.activate(coordinator, COORDINATOR_TOTP_SECRET)
    print(f"People: {MEMBER_EMAIL} (editor of {organisation.slug}), {COORDINATOR_EMAIL}.")


if __name__ == "__main__":
    main()
