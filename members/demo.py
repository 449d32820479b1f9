"""Demo organisations for `manage.py seed_demo`: fictional, in Arabic and English."""

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from members.models import (
    COORDINATORS_GROUP,
    Contact,
    Country,
    Governorate,
    JoinRequest,
    Organisation,
    OrganisationMember,
    Subsector,
    TargetGroup,
)

DEMO_PASSWORD = "demo-password-2026"
COORDINATOR_EMAIL = "coordinator@demo.example.org"
MEMBER_EMAIL = "member@demo.example.org"

# (Arabic name, English name, acronym, type): invented names; any likeness is accidental.
ORGANISATIONS = [
    ("جمعية سنديانة الشمال للتعليم", "Sindiyana North Education Society", "SNES", "local_ngo"),
    ("مؤسسة قناديل المعرفة", "Qanadeel Knowledge Foundation", "QKF", "local_ngo"),
    ("منظمة دروب الغد التعليمية", "Duroob Al-Ghad Education Organisation", "DGEO", "local_ngo"),
    ("فريق أقلام الفرات التطوعي", "Aqlam Euphrates Volunteer Team", "", "community"),
    ("شبكة معلّمي الساحل", "Coastal Teachers Network", "CTN", "network"),
    ("مركز بيدر للتعلّم المجتمعي", "Baydar Community Learning Centre", "BCLC", "school"),
    ("جمعية رواق الطفولة", "Riwaq Childhood Association", "RCA", "local_ngo"),
    ("مؤسسة مداد للتعليم الدامج", "Midad Inclusive Education Foundation", "MIEF", "local_ngo"),
    ("منظمة غرسة أمل", "Ghirsa Amal Organisation", "GAO", "local_ngo"),
    ("معهد الياسمينة للتدريب المهني", "Yasmina Vocational Training Institute", "YVTI", "academic"),
    (
        "مديرية التربية الحرة في المنطقة الوسطى (تجريبية)",
        "Central Area Education Directorate (demo)",
        "CAED",
        "authority",
    ),
    ("تحالف التعليم من أجل السلام", "Education for Peace Alliance", "EPA", "network"),
    ("جمعية سلّم المعرفة", "Sullam Knowledge Society", "SKS", "local_ngo"),
    ("مبادرة كتاب لكل طفل", "A Book for Every Child Initiative", "BECI", "community"),
    (
        "منظمة رياحين للتنمية التعليمية",
        "Rayaheen Educational Development Organisation",
        "REDO",
        "local_ngo",
    ),
    ("مؤسسة جسر العبور للتعليم", "Jisr Al-Oboor Education Foundation", "JAEF", "local_ngo"),
    (
        "مركز نبراس للدعم النفسي والتعليم",
        "Nibras Centre for Psychosocial Support and Learning",
        "NCPL",
        "local_ngo",
    ),
    ("أكاديمية القمح الذهبي", "Golden Wheat Academy", "GWA", "academic"),
    ("جمعية أصدقاء المدرسة الريفية", "Friends of the Rural School", "FRS", "community"),
    ("منظمة بوصلة التعليم", "Bawsala Education Organisation", "BEO", "local_ngo"),
    ("مؤسسة شموع الخير", "Shumoo Al-Khair Foundation", "SKF", "local_ngo"),
    ("المنتدى السوري للتعليم المسرَّع", "Syrian Forum for Accelerated Learning", "SFAL", "network"),
    ("رابطة معلّمات الجزيرة", "Jazira Women Teachers League", "JWTL", "network"),
    ("صندوق منح التعليم التجريبي", "Demo Education Grants Fund", "DEGF", "donor"),
    (
        "المنظمة الدولية للتعلّم في الأزمات (تجريبية)",
        "International Learning in Crises (demo)",
        "ILC",
        "international_ngo",
    ),
    ("وكالة أممية تجريبية للتعليم", "Demo UN Education Agency", "DUEA", "un_agency"),
    ("جمعية زهرة الجبل للفتيات", "Zahrat Al-Jabal Girls' Association", "ZJGA", "local_ngo"),
    ("فريق سواعد الشباب", "Sawaed Youth Team", "", "community"),
    ("مركز منارة للتعلّم الرقمي", "Manara Digital Learning Centre", "MDLC", "school"),
    ("مؤسسة حقول للتعليم التقني", "Hoqool Technical Education Foundation", "HTEF", "local_ngo"),
    ("جمعية ضفاف العاصي", "Difaf Al-Assi Association", "DAA", "local_ngo"),
    ("منظمة أثر للتعليم", "Athar Education Organisation", "AEO", "local_ngo"),
    ("الجامعة الشعبية الافتراضية", "Virtual People's University", "VPU", "academic"),
    ("جمعية سنابل حوران التجريبية", "Sanabel Horan Demo Association", "SHDA", "local_ngo"),
    ("مبادرة لوح وطباشير", "Slate and Chalk Initiative", "SCI", "community"),
    ("مؤسسة الأفق الأخضر", "Green Horizon Foundation", "GHF", "local_ngo"),
    ("شبكة الشهادات والاعتراف بالتعلّم", "Certification and Recognition Network", "CRN", "network"),
    ("منظمة نسيم للطفولة المبكرة", "Naseem Early Childhood Organisation", "NECO", "local_ngo"),
    ("مركز دار القلم", "Dar Al-Qalam Centre", "DQC", "school"),
    ("جمعية التعليم للجميع التجريبية", "Education for All Demo Society", "EADS", "other"),
]

FIRST_NAMES = ["سلمى", "أحمد", "رنا", "خالد", "هبة", "محمد", "لينا", "عمر", "نور", "يوسف"]
LAST_NAMES = ["الحلبي", "الشامي", "العلي", "الحسن", "الخطيب", "النجار", "الأحمد", "الديري"]
TITLES = ["مديرة البرامج", "منسق التعليم", "مسؤولة المناصرة", "المدير التنفيذي"]


def _user(email, *, staff=False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=email.split("@")[0], defaults={"email": email, "is_staff": staff}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed() -> list[str]:
    rng = random.Random(2026)
    coordinator = _user(COORDINATOR_EMAIL, staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    member = _user(MEMBER_EMAIL)
    applicant = _user("applicant@demo.example.org")
    newcomer = _user("newcomer@demo.example.org")

    governorates = list(Governorate.objects.all())
    subsectors = list(Subsector.objects.all())
    target_groups = list(TargetGroup.objects.all())
    hosts = [Country.TURKIYE, Country.LEBANON, Country.JORDAN, Country.IRAQ]
    now = timezone.now()

    organisations = []
    for index, (name_ar, name_en, acronym, org_type) in enumerate(ORGANISATIONS):
        status = Organisation.Status.ACTIVE
        if index == len(ORGANISATIONS) - 1:
            status = Organisation.Status.PENDING
        organisation, created = Organisation.objects.get_or_create(
            name_ar=name_ar,
            defaults={
                "name_en": name_en,
                "acronym": acronym,
                "org_type": org_type,
                "description_ar": (
                    f"{name_ar} منظمة وهمية أُنشئت لأغراض العرض. تعمل في مجال التعليم مع "
                    "الأطفال واليافعين وتنسّق أنشطتها مع شركائها في المنصة."
                ),
                "description_en": (
                    f"{name_en} is a fictional organisation created for demonstration. It works "
                    "in education with children and adolescents and coordinates with its "
                    "partners on the platform."
                ),
                "founded_year": 2011 + index % 12,
                "registration_country": rng.choice(
                    [Country.SYRIA, Country.TURKIYE, Country.LEBANON]
                ),
                "registration_number": f"DEMO-{1000 + index}",
                "hq_country": Country.SYRIA if index % 3 else Country.TURKIYE,
                "hq_city": (
                    rng.choice(["إدلب", "حلب", "دمشق", "القامشلي", "درعا", "حمص"])
                    if index % 3
                    else "غازي عنتاب"
                ),
                "website": f"https://org{index + 1}.example.org",
                "public_email": f"info@org{index + 1}.example.org",
                "public_phone": f"+90 555 000 {index:04d}",
                "host_countries": " ".join(sorted(set(rng.sample(hosts, index % 3)))),
                "status": status,
                "low_profile": index % 13 == 5,
                "approved_at": now - timedelta(days=400) if status == "active" else None,
                "approved_by": coordinator if status == "active" else None,
                "verified_at": (
                    now - timedelta(days=rng.randint(5, 300 if index % 4 else 500))
                    if status == "active"
                    else None
                ),
            },
        )
        if created:
            # Every governorate and sub-sector is covered at least once.
            organisation.governorates.set(
                {governorates[index % len(governorates)], *rng.sample(governorates, 2)}
            )
            organisation.subsectors.set(
                {subsectors[index % len(subsectors)], *rng.sample(subsectors, 2)}
            )
            organisation.target_groups.set(rng.sample(target_groups, 3))
            visibilities = [Contact.Visibility.MEMBERS, Contact.Visibility.PRIVATE]
            if index % 4 == 0:
                visibilities.append(Contact.Visibility.PUBLIC)
            for n, visibility in enumerate(visibilities):
                public = visibility == Contact.Visibility.PUBLIC
                Contact.objects.create(
                    organisation=organisation,
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    title=rng.choice(TITLES),
                    email=f"person{n}@org{index + 1}.example.org",
                    phone=f"+963 900 {index:03d} {n:03d}",
                    visibility=visibility,
                    public_consent_at=now if public else None,
                    public_consent_by=coordinator if public else None,
                )
        organisations.append(organisation)

    OrganisationMember.objects.get_or_create(
        user=member, organisation=organisations[0], defaults={"role": "admin"}
    )
    OrganisationMember.objects.get_or_create(
        user=applicant, organisation=organisations[-1], defaults={"role": "admin"}
    )
    JoinRequest.objects.get_or_create(
        user=newcomer,
        organisation=organisations[0],
        status=JoinRequest.Status.REQUESTED,
        defaults={"message": "أعمل منسّقاً للتعليم في الفريق وأرغب في تحديث بياناتنا."},
    )
    return [
        f"Demo organisations: {Organisation.objects.count()}",
        f"Coordinator login: {COORDINATOR_EMAIL} / {DEMO_PASSWORD} "
        "(the admin asks a staff user to set up two-factor authentication first)",
        f"Member login:      {MEMBER_EMAIL} / {DEMO_PASSWORD} "
        f"(administrator of {organisations[0]})",
    ]
