"""Demo priority statements for `manage.py seed_demo`, made through the real services."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from advocacy import services
from advocacy.models import Candidate, PriorityRound, PriorityStatement
from members.demo import COORDINATOR_EMAIL, MEMBER_EMAIL
from members.models import Governorate, Organisation, Subsector

STATEMENTS = [
    {
        "title_ar": "ضمان استمرار رواتب المعلّمين وحوافزهم",
        "title_en": "Keep teachers paid: sustained salaries and incentives",
        "summary_ar": "يهدّد انقطاع الحوافز بفقدان آلاف المعلّمين، "
        "ونطالب بتمويل مستقر لعامين على الأقل.",
        "summary_en": "Interrupted incentives threaten to drive thousands of teachers out; we ask "
        "for stable funding for at least two years.",
        "body_ar": "يعمل آلاف المعلّمين في شمال سوريا دون راتب منتظم.\n\n"
        "نطالب الجهات المانحة بما يلي:\n\n- تمويل حوافز المعلّمين لمدة لا تقل عن عامين\n"
        "- توحيد قيمة الحوافز بين المنظمات\n- ربط الحوافز بالتدريب المستمر",
        "body_en": "Thousands of teachers in northern Syria work without a regular salary.\n\n"
        "We ask donors to:\n\n- fund teacher incentives for at least two years\n"
        "- align incentive levels across organisations\n- link incentives to continuous training",
        "subsectors": ["teachers"],
        "governorates": ["SY07", "SY02"],
        "versions": 2,
        "endorsers": 6,
    },
    {
        "title_ar": "الاعتراف بشهادات الطلاب في كل المناطق",
        "title_en": "Recognise students' certificates everywhere",
        "summary_ar": "لا ينبغي أن يخسر طالب سنوات دراسته بسبب الجهة التي أصدرت شهادته.",
        "summary_en": "No student should lose years of study because of who issued their "
        "certificate.",
        "body_ar": "يواجه عشرات آلاف الطلاب صعوبة في متابعة تعليمهم لأن شهاداتهم غير معترف بها.\n\n"
        "ندعو إلى آلية **مستقلة** للاعتراف بالتعلّم السابق.",
        "body_en": "Tens of thousands of students cannot continue their education because their "
        "certificates are not recognised.\n\nWe call for an **independent** mechanism to "
        "recognise prior learning.",
        "subsectors": ["certification", "secondary"],
        "governorates": ["SY07", "SY08", "SY11"],
        "versions": 1,
        "endorsers": 9,
    },
    {
        "title_ar": "إعادة الأطفال العاملين إلى التعليم",
        "title_en": "Bring working children back to learning",
        "summary_ar": "برامج مرنة ومساعدات نقدية مشروطة لإعادة الأطفال العاملين إلى التعلّم.",
        "summary_en": "Flexible programmes and conditional cash support to bring working "
        "children back to learning.",
        "body_ar": "دفعت الحرب كثيراً من الأطفال إلى سوق العمل.\n\nنقترح برامج تعلّم مسائية "
        "ومساعدات نقدية للأسر.",
        "body_en": "The war pushed many children into work.\n\nWe propose evening learning "
        "programmes and cash support for families.",
        "subsectors": ["oosc", "cash", "nfe"],
        "governorates": ["SY02", "SY09"],
        "versions": 1,
        "endorsers": 4,
    },
    {
        "title_ar": "مساحات تعلّم آمنة للفتيات",
        "title_en": "Safe learning spaces for girls",
        "summary_ar": "مسودة قيد المراجعة لدى الأمانة العامة.",
        "summary_en": "A draft under review by the secretariat.",
        "body_ar": "تحتاج الفتيات إلى مساحات تعلّم آمنة وقريبة من بيوتهن.",
        "body_en": "Girls need safe learning spaces close to home.",
        "subsectors": ["girls"],
        "governorates": ["SY12"],
        "versions": 0,
        "endorsers": 0,
    },
]


def seed() -> list[str]:
    User = get_user_model()
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    member = User.objects.get(email=MEMBER_EMAIL)
    organisations = list(Organisation.objects.active().order_by("pk"))
    author = organisations[0]
    for index, data in enumerate(STATEMENTS):
        data = dict(data)
        versions, endorsers = data.pop("versions"), data.pop("endorsers")
        subsectors, governorates = data.pop("subsectors"), data.pop("governorates")
        if PriorityStatement.objects.filter(title_ar=data["title_ar"]).exists():
            continue
        statement = services.save_draft(
            statement=PriorityStatement(author_organisation=author, **data), by=member
        )
        statement.subsectors.set(Subsector.objects.filter(code__in=subsectors))
        statement.governorates.set(Governorate.objects.filter(pcode__in=governorates))
        services.submit_statement(statement=statement, by=member)
        if versions == 0:
            continue
        statement = services.publish_statement(statement=statement, by=coordinator)
        for organisation in organisations[1 + index : 1 + index + endorsers]:
            services.endorse(statement=statement, organisation=organisation, by=coordinator)
        if versions > 1:
            statement.refresh_from_db()
            statement.body_ar += "\n\n- نشر تقرير سنوي عن أوضاع المعلّمين"
            statement.body_en += "\n\n- publish a yearly report on teachers' conditions"
            services.save_draft(statement=statement, by=member)
            services.submit_statement(statement=statement, by=member)
            services.publish_statement(statement=statement, by=coordinator, substantive=True)
    lines = _seed_rounds(coordinator, member, organisations)
    return lines + [
        f"Demo priority statements: {PriorityStatement.objects.published().count()} published, "
        f"{PriorityStatement.objects.filter(status='in_review').count()} in review"
    ]


CANDIDATES = [
    ("teachers", "رواتب المعلّمين وحوافزهم", "Teachers' pay and incentives"),
    ("certification", "الاعتراف بالشهادات", "Recognition of certificates"),
    ("oosc", "إعادة الأطفال خارج المدرسة إلى التعليم", "Bringing out-of-school children back"),
    ("pss", "الدعم النفسي الاجتماعي في المدارس", "Psychosocial support in schools"),
    ("facilities", "إعادة تأهيل المدارس المتضررة", "Rehabilitating damaged schools"),
    (
        "girls",
        "تعليم الفتيات والوقاية من زواج الأطفال",
        "Girls' education and preventing child marriage",
    ),
]


def _make_round(title_ar, title_en):
    now = timezone.now()
    round_ = PriorityRound.objects.create(
        title_ar=title_ar,
        title_en=title_en,
        description_ar="توزّع كل منظمة عضو مئة نقطة على الأولويات المقترحة.",
        description_en="Each member organisation spreads 100 points over the proposed priorities.",
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=20),
    )
    for position, (code, ar, en) in enumerate(CANDIDATES):
        Candidate.objects.create(
            round=round_,
            title_ar=ar,
            title_en=en,
            position=position,
            subsector=Subsector.objects.get(code=code),
        )
    return round_


def _seed_rounds(coordinator, member, organisations):
    if PriorityRound.objects.exists():
        return [f"Demo rounds: {PriorityRound.objects.count()} (already there)"]
    rng = random.Random(11)
    done = _make_round("أولويات التعليم لعام 2026", "Education priorities for 2026")
    services.open_round(round_=done, by=coordinator)
    candidates = list(done.candidates.values_list("pk", flat=True))
    for organisation in organisations[:24]:
        cuts = sorted(rng.sample(range(1, 100), 3))
        shares = [a - b for a, b in zip([*cuts, 100], [0, *cuts], strict=True)]
        points = dict(zip(rng.sample(candidates, 4), shares, strict=True))
        services.cast_ballot(round_=done, organisation=organisation, by=member, points=points)
    services.close_round(round_=done, by=coordinator)
    services.publish_results(round_=done, by=coordinator)
    upcoming = _make_round("أولويات التعليم لعام 2027", "Education priorities for 2027")
    services.open_round(round_=upcoming, by=coordinator)
    return ["Demo rounds: one with published results, one open for voting"]
