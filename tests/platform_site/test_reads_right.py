"""Pages and e-mails read right in Arabic: statistics, dates, account texts, statements."""

import re
import time
from datetime import datetime

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.utils import formats, translation
from django.utils.timezone import make_aware

from knowledge_bank.views import _bars, _legend
from members.models import Subsector
from tests.advocacy.test_statements import make_statement
from tests.conftest import PASSWORD, make_organisation

pytestmark = pytest.mark.django_db


def test_statistics_has_a_row_for_every_sub_sector_and_a_link_in_the_menu(client):
    make_organisation(org_type="network").subsectors.add(Subsector.objects.get(code="pss"))
    html = client.get("/ar/knowledge-bank/statistics/").content.decode()
    section = html.split("المنظمات حسب القطاع الفرعي", 1)[1].split("</table>", 1)[0]
    assert section.count('<th scope="row"') == Subsector.objects.count() == 18
    assert (
        'href="/ar/knowledge-bank/statistics/"'
        in client.get("/ar/knowledge-bank/").content.decode()
    )
    assert 'aria-current="page"' in html


def test_bars_are_relative_to_the_largest_and_none_gets_no_bar():
    bars = _bars([("a", 10), ("b", 5), ("c", None), ("d", 0)])
    assert [bar["width"] for bar in bars] == ["85.0", "42.5", None, "0.0"]


def test_a_row_too_small_to_show_reads_fewer_than_three(client, rf):
    from django.template.loader import render_to_string

    with translation.override("ar"):
        html = render_to_string(
            "knowledge_bank/statistics.html",
            {"charts": [("T", _bars([("حلب", None), ("إدلب", 4)]))]},
            request=rf.get("/ar/knowledge-bank/statistics/"),
        )
    row = html.split("حلب", 1)[1].split("</tr>", 1)[0]
    assert "أقل من 3" in row and "<svg" not in row


def test_coverage_legend_names_the_counts_of_each_shade(client):
    """Cells of one or two organisations read «<3» in the lightest shade: the legend says the
    same, and no range of counts starts below three."""
    assert _legend(8) == [
        {"level": 1, "few": True},
        {"level": 2, "low": 3, "high": 4},
        {"level": 3, "low": 5, "high": 6},
        {"level": 4, "low": 7, "high": 8},
    ]
    assert _legend(2) == [{"level": 1, "few": True}]
    assert _legend(40)[1] == {"level": 1, "low": 3, "high": 10}
    html = client.get("/en/coverage/").content.decode()
    assert 'class="table-responsive coverage-scroll' in html


def test_dates_have_one_style_in_arabic_the_admin_included():
    moment = make_aware(datetime(2026, 11, 30, 9, 19))
    with translation.override("ar"):
        assert formats.date_format(moment, "DATETIME_FORMAT") == "30 تشرين الثاني 2026، 09:19"
        assert formats.date_format(moment.date(), "DATE_FORMAT") == "30 تشرين الثاني 2026"
        assert formats.date_format(moment.date(), "SHORT_DATE_FORMAT") == "30 تشرين الثاني 2026"
    with translation.override("en"):
        assert formats.date_format(moment, "DATETIME_FORMAT") == "30 November 2026, 09:19"


def test_admin_index_and_lists_use_arabic_plurals_and_levantine_dates(
    client, coordinator, settings
):
    settings.STAFF_REQUIRE_MFA = False
    make_organisation(name_en="Dated")
    client.force_login(coordinator)
    index = client.get("/ar/admin/").content.decode()
    assert "مجموعات العمل" in index
    listing = client.get("/ar/admin/members/organisation/").content.decode()
    assert not re.search(r"[تك][١٢]", listing)  # «ت٢ 30, 2026»
    assert re.search(r"\d{1,2} (كانون|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين)", listing)


def test_sign_up_e_mail_names_the_platform_not_the_host(client):
    client.post(
        "/ar/accounts/signup/",
        {
            "display_name": "رنا حداد",
            "email": "newcomer@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    message = mail.outbox[-1]
    assert message.subject == "يرجى تأكيد عنوان بريدك الإلكتروني"
    assert "المنصة التعليمية السورية" in message.body
    assert "testserver" not in message.body.split("http")[0]  # no host name as a greeting
    assert "مرحبا من موقع" not in message.body
    link = re.search(r"https?://\S+/confirm-email/[^\s\u200e]+", message.body).group(0)
    assert link + "\u200e\n" in message.body  # the link stays left-to-right in an Arabic message


def test_sign_up_pages_read_right_in_arabic(client):
    html = client.get("/ar/accounts/signup/").content.decode()
    assert "إنشاء حساب" in html and "الاشتراك" not in html
    assert "تأكيد كلمة المرور" in html
    client.post(
        "/ar/accounts/signup/",
        {
            "display_name": "سمير خوري",
            "email": "another@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    sent = client.get("/ar/accounts/confirm-email/").content.decode()
    assert "لم ترى" not in sent and "غضو" not in sent
    assert "إن لم ترَ الرسالة" in sent


def test_recovery_codes_page_leads_on_and_keeps_its_links_apart(client, editor):
    TOTP.activate(editor, generate_totp_secret())
    RecoveryCodes.activate(editor)
    client.force_login(editor)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session["account_authentication_methods_user"] = str(editor.pk)
    session.save()
    html = client.get("/ar/accounts/2fa/recovery-codes/").content.decode()
    assert "بقي لديك 10 رموز استرداد من أصل 10." in html
    actions = html.split('class="d-flex flex-wrap gap-2 recovery-actions"', 1)[1].split("</p>")[0]
    assert actions.count('class="btn') == 3
    assert 'href="/ar/dashboard/"' in actions  # a way on


def test_recovery_codes_sentence_agrees_with_the_number():
    with translation.override("ar"):
        texts = [
            translation.ngettext(
                "There is %(unused_count)s out of %(total_count)s recovery codes available.",
                "There are %(unused_count)s out of %(total_count)s recovery codes available.",
                n,
            )
            % {"unused_count": n, "total_count": 10}
            for n in (0, 1, 2, 5)
        ]
    assert texts == [
        "لم يبقَ لديك أي رمز استرداد صالح من أصل 10.",
        "بقي لديك رمز استرداد واحد من أصل 10.",
        "بقي لديك رمزا استرداد من أصل 10.",
        "بقي لديك 5 رموز استرداد من أصل 10.",
    ]


def test_statement_has_a_social_card_and_a_print_header(client, organisation, editor, coordinator):
    statement = make_statement(organisation, by=editor, publish_by=coordinator)
    html = client.get(f"/ar/priorities/{statement.slug}/").content.decode()
    assert re.search(
        r'<meta property="og:image" content="http[^"]+/static/img/og-card[^"]*\.png">', html
    )
    header = html.split('class="print-header', 1)[1].split("</div>", 1)[0]
    assert "المنصة التعليمية السورية" in header
    assert f"/ar/priorities/{statement.slug}/" in header
    assert "2026" in header or "202" in header


def test_formatting_help_keeps_the_link_example_left_to_right():
    from advocacy.models import PriorityStatement

    with translation.override("ar"):
        help_text = str(PriorityStatement._meta.get_field("body").help_text)
    assert "https://…\u200e)" in help_text
