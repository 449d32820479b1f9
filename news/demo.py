"""Demo news for `manage.py seed_demo`: published in both languages, in Arabic only, for
members, for a working group, scheduled and draft."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from members.demo import COORDINATOR_EMAIL
from news.models import NewsItem
from working_groups.models import WorkingGroup

ITEMS = [
    # (title_ar, title_en, summary_ar, summary_en, days ago, status, visibility, group?)
    (
        "انعقاد الاجتماع الدوري للشبكة",
        "The network's regular meeting took place",
        "اجتمعت المنظمات الأعضاء لمراجعة خطة العمل وتحديث بنك المعلومات وتنسيق الاستجابة.",
        "Member organisations met to review the work plan, update the information bank and "
        "coordinate the response.",
        3,
        "published",
        "public",
        False,
    ),
    (
        "إطلاق الإصدار الثاني من تقرير «المدارس في سوريا»",
        "Second edition of the “Schools in Syria” report",
        "نُشر الإصدار الثاني من البحث المشترك للشبكة في بنك المعرفة.",
        "The second edition of the network's joint research is in the knowledge bank.",
        10,
        "published",
        "public",
        False,
    ),
    (
        "دعوة إلى ورشة عمل حول التعليم الدامج",
        "",
        "تدعو مجموعة العمل المنظمات الأعضاء إلى ورشة عمل حول دمج الأطفال ذوي الإعاقة.",
        "",
        20,
        "published",
        "public",
        True,
    ),
    (
        "تذكير للأعضاء: تحديث بيانات البرامج",
        "Reminder to members: update your programme data",
        "يرجى تحديث بيانات برامجكم قبل نهاية الشهر لإعداد مصفوفة التغطية.",
        "Please update your programmes before the end of the month for the coverage matrix.",
        25,
        "published",
        "members",
        False,
    ),
    (
        "جولة تحديد الأولويات المقبلة",
        "The next priority-setting round",
        "تفتح الجولة المقبلة لتحديد الأولويات الشهر القادم.",
        "The next priority-setting round opens next month.",
        -7,
        "published",
        "public",
        False,
    ),
    ("مسودة: بيان صحفي", "Draft: press release", "", "", 0, "draft", "public", False),
]


def seed() -> list[str]:
    if NewsItem.objects.exists():
        return []
    coordinator = get_user_model().objects.get(email=COORDINATOR_EMAIL)
    group = WorkingGroup.objects.order_by("pk").first()
    now = timezone.now()
    for title_ar, title_en, summary_ar, summary_en, days, status, visibility, for_group in ITEMS:
        NewsItem.objects.create(
            title_ar=title_ar,
            title_en=title_en,
            summary_ar=summary_ar,
            summary_en=summary_en,
            body_ar=summary_ar,
            body_en=summary_en,
            status=status,
            published_at=now - timedelta(days=days) if status == "published" else None,
            visibility=visibility,
            working_group=group if for_group else None,
            created_by=coordinator,
        )
    return [f"Demo news: {NewsItem.objects.count()} (one scheduled, one draft)."]
