"""Reference vocabularies (docs/product.md §3), the Coordinators group, and PostgreSQL search indexes."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from platform_site.permissions import grant_coordinators
from platform_site.search import postgres_search_indexes

GOVERNORATES = [
    ("SY01", "دمشق", "Damascus"),
    ("SY02", "حلب", "Aleppo"),
    ("SY03", "ريف دمشق", "Rural Damascus"),
    ("SY04", "حمص", "Homs"),
    ("SY05", "حماة", "Hama"),
    ("SY06", "اللاذقية", "Lattakia"),
    ("SY07", "إدلب", "Idleb"),
    ("SY08", "الحسكة", "Al-Hasakeh"),
    ("SY09", "دير الزور", "Deir-ez-Zor"),
    ("SY10", "طرطوس", "Tartous"),
    ("SY11", "الرقة", "Ar-Raqqa"),
    ("SY12", "درعا", "Dar'a"),
    ("SY13", "السويداء", "As-Sweida"),
    ("SY14", "القنيطرة", "Quneitra"),
]

SUBSECTORS = [
    ("ece", "التعليم في مرحلة الطفولة المبكرة", "Early childhood education"),
    ("basic", "التعليم الأساسي النظامي", "Formal basic education"),
    ("secondary", "التعليم الثانوي", "Secondary education"),
    ("nfe", "التعليم غير النظامي", "Non-formal education"),
    ("alp", "برامج التعلّم المسرَّع والتعلّم الذاتي", "Accelerated and self-learning programmes"),
    ("tvet", "التعليم والتدريب التقني والمهني", "Technical and vocational education and training"),
    ("higher", "التعليم العالي", "Higher education"),
    ("teachers", "تدريب المعلّمين ودعمهم", "Teacher training and support"),
    ("pss", "الدعم النفسي الاجتماعي والتعلّم الاجتماعي العاطفي",
     "Psychosocial support and social-emotional learning"),
    ("facilities", "إعادة تأهيل المدارس ومساحات التعلّم", "School rehabilitation and learning spaces"),
    ("materials", "المواد والمستلزمات التعليمية", "Learning materials and supplies"),
    ("inclusive", "التعليم الدامج", "Inclusive education"),
    ("lsce", "المهارات الحياتية والتربية على المواطنة", "Life skills and citizenship education"),
    ("cash", "المساعدات النقدية للتعليم", "Cash for education"),
    ("girls", "تعليم الفتيات والوقاية من زواج الأطفال",
     "Girls' education and prevention of child marriage"),
    ("oosc", "الأطفال خارج المدرسة والأطفال العاملون", "Out-of-school and working children"),
    ("digital", "التعلّم الرقمي والتعلّم عن بُعد", "Digital and distance learning"),
    ("certification", "الشهادات والاعتراف بالتعلّم", "Certification and recognition of learning"),
]

TARGET_GROUPS = [
    ("early-childhood", "الطفولة المبكرة (3–5 سنوات)", "Early childhood (3–5)"),
    ("children", "الأطفال (6–11 سنة)", "Children (6–11)"),
    ("adolescents", "اليافعون (12–17 سنة)", "Adolescents (12–17)"),
    ("youth", "الشباب (18–24 سنة)", "Youth (18–24)"),
    ("girls-women", "الفتيات والشابات", "Girls and young women"),
    ("disabilities", "الأطفال ذوو الإعاقة", "Children with disabilities"),
    ("out-of-school", "الأطفال خارج المدرسة", "Out-of-school children"),
    ("working-children", "الأطفال العاملون", "Working children"),
    ("idps", "النازحون داخلياً", "Internally displaced people (IDPs)"),
    ("refugees", "اللاجئون", "Refugees"),
    ("returnees", "العائدون", "Returnees"),
    ("teachers", "المعلّمون والعاملون في التعليم", "Teachers and education staff"),
    ("caregivers", "الأهل ومقدّمو الرعاية", "Parents and caregivers"),
]

# What a coordinator may do in admin: moderate, curate vocabularies, never delete organisations
# (they are archived instead) and never touch users' accounts beyond looking them up.
COORDINATOR_PERMISSIONS = {
    "members": {
        "organisation": ["view", "add", "change"],
        "historicalorganisation": ["view"],
        "contact": ["view", "add", "change", "delete"],
        "historicalcontact": ["view"],
        "organisationmember": ["view", "add", "change", "delete"],
        "joinrequest": ["view"],
        "governorate": ["view", "add", "change"],
        "subsector": ["view", "add", "change"],
        "targetgroup": ["view", "add", "change"],
    },
    "auth": {"user": ["view"]},
}


def load_vocabularies(apps, schema_editor):
    Governorate = apps.get_model("members", "Governorate")
    Subsector = apps.get_model("members", "Subsector")
    TargetGroup = apps.get_model("members", "TargetGroup")
    for pcode, ar, en in GOVERNORATES:
        Governorate.objects.update_or_create(
            pcode=pcode, defaults={"name": ar, "name_ar": ar, "name_en": en}
        )
    for position, (code, ar, en) in enumerate(SUBSECTORS):
        Subsector.objects.update_or_create(
            code=code, defaults={"name": ar, "name_ar": ar, "name_en": en, "position": position}
        )
    for position, (code, ar, en) in enumerate(TARGET_GROUPS):
        TargetGroup.objects.update_or_create(
            code=code, defaults={"name": ar, "name_ar": ar, "name_en": en, "position": position}
        )


def create_coordinators(apps, schema_editor):
    grant_coordinators(apps, COORDINATOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(load_vocabularies, migrations.RunPython.noop),
        migrations.RunPython(create_coordinators, migrations.RunPython.noop),
        postgres_search_indexes("members_organisation"),
    ]
