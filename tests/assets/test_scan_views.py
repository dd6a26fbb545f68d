"""公表前チェック: staff drop files and see what was found, where and in what context."""

import re

from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse
from tests.assets.test_scan_api import (
    MY_NUMBER,
    clean_txt,
    marked_docx,
    my_number_txt,
    upload,
)

from mamori.assets.scan_views import snippet
from mamori.scan.types import Finding
from mamori.trail.models import Event

URL = "/assets/scan/"


def test_the_page_is_in_the_menu_for_everyone(client, login, staff):
    login(staff)
    page = client.get(reverse("web:dashboard")).content.decode()
    assert f'href="{URL}"' in page and "公表前チェック" in page
    form = client.get(URL).content.decode()
    assert 'type="file"' in form and "multiple" in form
    assert 'enctype="multipart/form-data"' in form


def test_staff_see_the_marking_in_the_header_with_its_line(client, login, staff):
    login(staff)
    response = client.post(URL, {"files": [marked_docx()]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "公表できません" in page
    assert "統一基準(R7) 3.1.1(5)(a)" in page
    assert "ヘッダー 1行目" in page
    assert '<mark class="scan-mark">機密性２</mark>' in page


def test_a_clean_file_says_nothing_was_found(client, login, staff):
    login(staff)
    page = client.post(URL, {"files": [clean_txt()]}).content.decode()
    assert 'id="scan-verdict" data-blocked="false">検出なし' in page
    assert "公表できません" not in page


def test_personal_information_is_masked_in_context_and_cited(client, login, staff):
    login(staff)
    page = client.post(URL, {"files": [my_number_txt()]}).content.decode()
    assert MY_NUMBER not in page
    assert "個人番号（マイナンバー）" in page
    assert "総務省訓令 第12条の2" in page
    # The context around the number is shown, the number itself masked and highlighted.
    context = re.search(r'<td class="scan-context">(.*?)</td>', page, re.S).group(1)
    assert "個人番号" in context and '<mark class="scan-mark">' in context
    assert "9018</mark>" in context


def test_file_names_and_text_are_escaped(client, login, staff):
    login(staff)
    evil = upload("<b>x</b>.txt", "<script>alert(1)</script> 機密性３\n".encode(), "text/plain")
    page = client.post(URL, {"files": [evil]}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "<b>x</b>" not in page


def test_the_trail_records_who_checked_what_without_values(client, login, staff):
    login(staff)
    client.post(URL, {"files": [my_number_txt(), marked_docx()]})
    event = Event.objects.get(action="assets.scan.checked")
    assert event.actor_id == staff.user.pk
    assert [f["name"] for f in event.data["files"]] == ["名簿.txt", "報告書.docx"]
    assert all(f["size"] > 0 and len(f["sha256"]) == 64 for f in event.data["files"])
    assert event.data["summary"]["my_number"] == 1
    assert event.data["summary"]["classification_marking"] == 1
    assert event.data["blocked"] is True
    assert MY_NUMBER not in str(event.data) and "9018" not in str(event.data)


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_an_oversized_upload_is_shown_on_the_field(client, login, staff):
    login(staff)
    page = client.post(URL, {"files": [upload("a.txt", b"a" * 4096)]}).content.decode()
    assert "ファイルが大きすぎます" in page
    assert not Event.objects.filter(action="assets.scan.checked").exists()


def test_no_file_is_a_form_error(client, login, staff):
    login(staff)
    page = client.post(URL, {}).content.decode()
    assert "入力内容を確認してください" in page


def test_anonymous_people_are_sent_to_sign_in(client, db):
    response = client.post(URL, {"files": [clean_txt()]})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Event.objects.filter(action="assets.scan.checked").exists()


def test_a_user_not_on_the_roster_is_refused(client, org):
    user = get_user_model().objects.create_user(username="visitor", password="x" * 20)
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"files": [clean_txt()]}).status_code == 403
    assert client.get(f"{URL}send/").status_code == 403


def test_a_post_without_the_csrf_token_is_refused(login, staff):
    from django.test import Client

    browser = login(staff, Client(enforce_csrf_checks=True))
    assert browser.post(URL, {"files": [clean_txt()]}).status_code == 403


def test_the_context_masks_every_finding_in_view():
    text = "氏名 山田太郎 個人番号 123456789018 電話 03-1234-5678"
    number = Finding("my_number", 15, 27, 1, "********9018", 0.95)
    name = Finding("person_name", 3, 7, 1, "山***", 0.9)
    phone = Finding("phone", 31, 43, 1, "**-****-*678", 0.95)
    segments = snippet(text, number, [name, number, phone])
    shown = "".join(t for _k, t in segments)
    assert ("mark", "********9018") in segments
    assert ("masked", "山***") in segments and ("masked", "**-****-*678") in segments
    assert "山田太郎" not in shown and "1234-5678" not in shown and "123456789018" not in shown


def test_the_context_stays_within_its_part():
    text = "前の部分の文字列\n\n\n機密性２\n\n\n次の部分"
    start = text.index("機密性２")
    marking = Finding("classification_marking", start, start + 4, 1, "機密性２", 0.95)
    shown = "".join(t for _k, t in snippet(text, marking, [marking]))
    assert shown.strip() == "機密性２"


def test_a_long_list_is_cut_and_the_rest_counted(client, login, staff):
    login(staff)
    lines = "\n".join(f"電話 03-{1000 + n:04d}-{2000 + n:04d}" for n in range(60))
    page = client.post(URL, {"files": [upload("電話帳.txt", lines.encode())]}).content.decode()
    assert "電話番号 <small>（60）</small>" in page
    assert page.count('class="scan-finding') == 50
    assert "ほかに10件あります" in page
