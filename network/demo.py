"""Demo structure, membership criteria and code of conduct for `manage.py seed_demo`.

The bodies follow the network's own description (its coordinating body and host, its technical
team, its working groups); the people are fictional."""

from datetime import timedelta

from django.utils import timezone

from network.models import Body, CodeOfConduct, MembershipCriterion, TeamMember

BODIES = [
    (
        "الهيئة التنسيقية",
        "Coordinating body",
        "تنسّق عمل الشبكة بين المنظمات الأعضاء، وتدير الأمانة العامة وبنك المعلومات، "
        "وتمثّل الشبكة أمام الداعمين والمسار السياسي والدولي.",
        "Coordinates the network's work among member organisations, runs the secretariat and "
        "the information bank, and represents the network to donors and to the political and "
        "international track.",
    ),
    (
        "الفريق التقني",
        "Technical team",
        "يدعم مجموعات العمل التقنية المتخصصة، ويعدّ البحوث المشتركة وبرامج بناء القدرات.",
        "Supports the specialised technical working groups and prepares joint research and "
        "capacity-building programmes.",
    ),
]

CRITERIA = [
    (
        "منظمة أو هيئة سورية، يقودها سوريون وسوريات.",
        "A Syrian organisation or body, led by Syrians.",
    ),
    (
        "تعمل في قطاع التعليم داخل سوريا أو في بلدان اللجوء.",
        "Works in education, inside Syria or in the countries of refuge.",
    ),
    (
        "تشارك معلومات برامجها مع بنك معلومات الشبكة وتحدّثها.",
        "Shares and updates information on its programmes in the network's information bank.",
    ),
    ("تقبل مدوّنة السلوك وتلتزم بها.", "Accepts and follows the code of conduct."),
]

CONDUCT_AR = """1. نعمل باستقلالية، ونضع مصلحة الأطفال والمتعلّمين أولاً.
2. ننسّق جهودنا ونتبادل المعلومات بصدق، ونتفادى الازدواجية.
3. نحمي البيانات الشخصية ولا نعرّض أحداً للخطر («عدم الإضرار»).
4. نحترم التنوّع ونرفض العنف والتمييز بكل أشكاله.
5. نلتزم بما نتفق عليه في مجموعات العمل وبيانات الأولويات."""

CONDUCT_EN = """1. We work independently and put children and learners first.
2. We coordinate our efforts, share information honestly and avoid duplication.
3. We protect personal data and put no one at risk ("do no harm").
4. We respect diversity and reject violence and discrimination in every form.
5. We keep to what we agree in working groups and priority statements."""


def seed() -> list[str]:
    if Body.objects.exists():
        return []
    for position, (name_ar, name_en, text_ar, text_en) in enumerate(BODIES):
        Body.objects.create(
            name_ar=name_ar,
            name_en=name_en,
            description_ar=text_ar,
            description_en=text_en,
            position=position,
        )
    coordinating = Body.objects.get(name_ar=BODIES[0][0])
    TeamMember.objects.create(
        body=coordinating,
        name_ar="ريم العلي (اسم تجريبي)",
        name_en="Reem Al-Ali (demo name)",
        role_ar="منسّقة الشبكة",
        role_en="Network coordinator",
        named_consent_at=timezone.now(),
    )
    TeamMember.objects.create(  # no consent recorded: never shown
        body=coordinating,
        name_ar="شخص لم يوافق على ذكر اسمه",
        name_en="A person who did not agree to be named",
        role_ar="مسؤول البيانات",
        role_en="Data officer",
    )
    for position, (text_ar, text_en) in enumerate(CRITERIA):
        MembershipCriterion.objects.create(text_ar=text_ar, text_en=text_en, position=position)
    CodeOfConduct.objects.create(
        version=1,
        text_ar=CONDUCT_AR,
        text_en=CONDUCT_EN,
        published_at=timezone.now() - timedelta(days=200),
    )
    return ["Demo structure, membership criteria and code of conduct (version 1)."]
