"""Demo working groups for `manage.py seed_demo`."""

from datetime import timedelta

from django.utils import timezone

from members.demo import MEMBER_EMAIL
from members.models import Organisation, Subsector
from working_groups.models import GroupMembership, Meeting, WorkingGroup

GROUPS = [
    (
        "مجموعة عمل الطفولة المبكرة",
        "Early Childhood Working Group",
        "تنسيق برامج التعليم في مرحلة الطفولة المبكرة، وتبادل المناهج والأدوات، وتوحيد معايير "
        "رياض الأطفال المجتمعية.",
        "Coordinates early childhood education programmes, shares curricula and tools, and "
        "aligns standards for community kindergartens.",
        ["ece", "pss"],
    ),
    (
        "مجموعة التعليم غير النظامي والتعلّم المسرَّع",
        "Non-formal Education and Accelerated Learning Group",
        "تبادل الخبرات في برامج التعلّم المسرَّع والتعليم غير النظامي، وتحديد الفجوات في "
        "الوصول إلى الأطفال خارج المدرسة.",
        "Shares experience of accelerated and non-formal learning programmes and maps gaps in "
        "reaching out-of-school children.",
        ["nfe", "alp", "oosc"],
    ),
    (
        "مجموعة دعم المعلّمين",
        "Teacher Support Group",
        "دعم المعلّمين وتدريبهم وتحسين ظروف عملهم، وتنسيق حوافز المعلّمين بين المنظمات.",
        "Teacher training, wellbeing and working conditions; coordination of teacher incentives "
        "across organisations.",
        ["teachers"],
    ),
    (
        "مجموعة الدعم النفسي الاجتماعي",
        "Psychosocial Support Group",
        "تنسيق أنشطة الدعم النفسي الاجتماعي والتعلّم الاجتماعي العاطفي في المدارس ومراكز التعلّم.",
        "Coordinates psychosocial support and social-emotional learning in schools and "
        "learning centres.",
        ["pss"],
    ),
    (
        "مجموعة الشهادات والاعتراف بالتعلّم",
        "Certification and Recognition of Learning Group",
        "المناصرة من أجل الاعتراف بشهادات الطلاب السوريين وتسهيل انتقالهم بين مسارات التعليم.",
        "Advocates for the recognition of Syrian students' certificates and smoother "
        "transitions between education pathways.",
        ["certification", "secondary"],
    ),
]


def seed() -> list[str]:
    organisations = list(Organisation.objects.active().order_by("pk"))
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for index, (name_ar, name_en, mandate_ar, mandate_en, codes) in enumerate(GROUPS):
        group, created = WorkingGroup.objects.get_or_create(
            name_ar=name_ar,
            defaults={
                "name_en": name_en,
                "mandate_ar": mandate_ar,
                "mandate_en": mandate_en,
                "status": WorkingGroup.Status.CLOSED if index == 4 else WorkingGroup.Status.OPEN,
            },
        )
        if not created:
            continue
        group.subsectors.set(Subsector.objects.filter(code__in=codes))
        # The demo member's organisation (the first) leads the first group.
        group.lead_organisations.set([organisations[index * 3 % len(organisations)]])
        for offset in (1, 2, 4, 5):
            GroupMembership.objects.create(
                group=group,
                organisation=organisations[(index * 3 + offset) % len(organisations)],
                status=GroupMembership.Status.ACTIVE,
            )
        GroupMembership.objects.create(
            group=group,
            organisation=organisations[(index * 3 + 7) % len(organisations)],
            note="نرغب في الانضمام لتنسيق أنشطتنا مع أعضاء المجموعة.",
        )
        for days, visibility, minutes in (
            (-40, Meeting.Visibility.PUBLIC, "اتُّفق على خطة عمل للأشهر الستة المقبلة."),
            (-10, Meeting.Visibility.MEMBERS, "ناقشت المجموعة نتائج المسح الميداني."),
            (14, Meeting.Visibility.MEMBERS, ""),
            (30, Meeting.Visibility.NETWORK, ""),
        ):
            Meeting.objects.create(
                group=group,
                title=f"{name_ar} — اجتماع {'دوري' if days < 0 else 'قادم'}",
                starts_at=now + timedelta(days=days, hours=11 - now.hour),
                location_or_link="https://meet.example.org/" + group.slug,
                agenda="1. متابعة التوصيات السابقة\n2. عرض تحديثات المنظمات\n3. ما يستجد",
                minutes=minutes,
                visibility=visibility,
            )
    return [
        f"Demo working groups: {WorkingGroup.objects.count()} "
        f"({MEMBER_EMAIL} is a lead of the first one)"
    ]
