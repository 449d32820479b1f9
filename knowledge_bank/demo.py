"""Demo programmes and resources for `manage.py seed_demo`."""

import random
from datetime import date

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from knowledge_bank.models import Programme, ReportSeries, Resource
from members.demo import COORDINATOR_EMAIL
from members.models import Governorate, Organisation, Subsector, TargetGroup

TITLES = [
    ("صفوف تعلّم مسرَّع للأطفال المتسرّبين", "Accelerated learning classes for dropouts"),
    ("تدريب المعلّمين على الدعم النفسي الاجتماعي", "Psychosocial support training for teachers"),
    ("إعادة تأهيل مدارس متضررة", "Rehabilitation of damaged schools"),
    ("رياض أطفال مجتمعية", "Community kindergartens"),
    ("منح نقدية لإعادة الأطفال إلى المدرسة", "Cash grants to bring children back to school"),
    ("تعليم مهني للشباب", "Vocational training for young people"),
    ("حقائب تعليمية للصفوف الأولى", "Learning kits for the early grades"),
]


def _pdf(title: str) -> bytes:
    """A tiny but valid one-page PDF."""
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out


def seed() -> list[str]:
    if Programme.objects.exists():
        return [f"Demo programmes: {Programme.objects.count()} (already there)"]
    rng = random.Random(7)
    organisations = list(Organisation.objects.active().order_by("pk"))
    governorates = {g.pcode: g for g in Governorate.objects.all()}
    subsectors = {s.code: s for s in Subsector.objects.all()}
    target_groups = list(TargetGroup.objects.all())
    for index, organisation in enumerate(organisations):
        for n in range(2):
            title_ar, title_en = TITLES[(index + n) % len(TITLES)]
            start = date(2024 + (index + n) % 3, 1 + (index * 5 + n) % 12, 1)
            status = ["ongoing", "ongoing", "completed", "planned"][(index + n) % 4]
            programme = Programme.objects.create(
                organisation=organisation,
                title_ar=title_ar,
                title_en=title_en,
                start_date=start,
                end_date=None if status != "completed" else date(start.year + 1, start.month, 1),
                status=status,
                targeted=rng.randrange(200, 5000, 50),
                reached=rng.randrange(100, 4000, 50),
                funders="صندوق تجريبي" if n else "Demo Fund",
                visibility="members" if (index + n) % 7 == 0 else "public",
            )
            # Idleb and Aleppo with non-formal education are crowded on purpose.
            crowded = index % 3 == 0
            programme.governorates.set(
                [governorates["SY07"], governorates["SY02"]]
                if crowded
                else rng.sample(list(governorates.values()), 2)
            )
            programme.subsectors.set(
                [subsectors["nfe"]] if crowded else rng.sample(list(subsectors.values()), 2)
            )
            programme.target_groups.set(rng.sample(target_groups, 2))
    coordinator = get_user_model().objects.get(email=COORDINATOR_EMAIL)
    for index, (title_ar, title_en, kind) in enumerate(
        [
            ("دليل التعلّم المسرَّع", "Accelerated learning guide", "guide"),
            ("تقرير تقييم احتياجات التعليم", "Education needs assessment report", "report"),
            ("أداة متابعة الحضور", "Attendance monitoring tool", "tool"),
        ]
    ):
        resource = Resource(
            title_ar=title_ar,
            title_en=title_en,
            kind=kind,
            language="both",
            summary_ar="وثيقة تجريبية لأغراض العرض.",
            summary_en="A demo document.",
            publisher=organisations[index],
            published_on=date(2025, 3 + index, 1),
            featured=index == 0,
            uploaded_by=coordinator,
            file_type="pdf",
        )
        resource.file.save(f"demo-{index + 1}.pdf", ContentFile(_pdf(title_en)), save=False)
        resource.save()
        resource.subsectors.set([subsectors["alp"], subsectors["nfe"]])
    _seed_series(coordinator)
    return [f"Demo programmes: {Programme.objects.count()}; resources: {Resource.objects.count()}"]


def _seed_series(coordinator) -> None:
    """One report series with two editions (the network's joint research)."""
    series, created = ReportSeries.objects.get_or_create(
        title_ar="المدارس في سوريا",
        defaults={
            "title_en": "Schools in Syria",
            "description_ar": (
                "بحث مشترك تنشره الشبكة عن واقع المدارس في سوريا: الأبنية والمعلّمون والطلاب "
                "والاحتياجات. (بيانات تجريبية)"
            ),
            "description_en": (
                "Joint research published by the network on the state of schools in Syria: "
                "buildings, teachers, pupils and needs. (Demo data)"
            ),
        },
    )
    if not created:
        return
    for edition, year in ((1, 2024), (2, 2025)):
        resource = Resource(
            title_ar=f"المدارس في سوريا {year}",
            title_en=f"Schools in Syria {year}",
            kind="report",
            language="both",
            summary_ar="تقرير تجريبي لأغراض العرض.",
            summary_en="A demo report.",
            published_on=date(year, 9, 1),
            uploaded_by=coordinator,
            file_type="pdf",
            series=series,
            edition=edition,
        )
        resource.file.save(
            f"schools-in-syria-{year}.pdf",
            ContentFile(_pdf(f"Schools in Syria {year}")),
            save=False,
        )
        resource.save()
