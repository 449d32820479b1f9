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

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from advocacy.models import Endorsement, PriorityStatement, StatementVersion  # noqa: E402
from knowledge_bank.models import Programme  # noqa: E402
from members.models import Governorate, Organisation, Subsector, TargetGroup  # noqa: E402
from platform_site.text import index_text  # noqa: E402
from working_groups.models import GroupMembership, WorkingGroup  # noqa: E402

ORGANISATIONS, PROGRAMMES, GROUPS, STATEMENTS = 10_000, 30_000, 50, 200
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
        print("Already generated.")
        return
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
                    search_text=index_text(name_ar, name_en, acronym),
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
    organisations, programmes = Organisation.objects.count(), Programme.objects.count()
    print(f"Generated {organisations} organisations, {programmes} programmes.")


if __name__ == "__main__":
    main()
