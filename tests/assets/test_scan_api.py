"""POST /api/scan: the scanner for mail gateways and other tools."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from tests.assets.test_assets_api import bearer

from mamori.trail.models import Event

URL = "/api/scan"
MY_NUMBER = "123456789018"  # 12 digits with a valid check digit
CLEAN_TEXT = "会議の開催について\n来週の定例会議は予定どおり開催します。\n".encode()
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def make_docx(header: str = "", body: str = "本文です。") -> bytes:
    import docx

    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    for line in body.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def marked_docx(name: str = "報告書.docx"):
    return upload(name, make_docx(header="機密性２", body="今年度の報告です。"), DOCX_TYPE)


def my_number_txt(name: str = "名簿.txt"):
    text = f"職員名簿\n個人番号: {MY_NUMBER}\n"
    return upload(name, text.encode(), "text/plain")


def clean_txt(name: str = "お知らせ.txt"):
    return upload(name, CLEAN_TEXT, "text/plain")


def test_a_docx_marked_in_its_header_is_blocked_with_the_line(client, staff):
    response = client.post(URL, {"files": [marked_docx()]}, **bearer(staff))
    assert response.status_code == 200
    body = response.json()
    assert body["blocked"] is True
    assert body["reasons"][0]["code"] == "classification_marking"
    assert "統一基準(R7) 3.1.1(5)(a)" in body["reasons"][0]["citations"]
    (found,) = [f for f in body["files"][0]["findings"] if f["type"] == "classification_marking"]
    assert (found["where"], found["line"], found["label"]) == ("ヘッダー", 1, "機密性２")
    assert body["summary"]["classification_marking"] == 1


def test_a_clean_text_file_is_not_blocked(client, staff):
    body = client.post(URL, {"files": [clean_txt()]}, **bearer(staff)).json()
    assert body["blocked"] is False and body["reasons"] == []
    assert body["files"] == [
        {"path": "お知らせ.txt", "status": "scanned", "reason": None, "findings": []}
    ]


def test_the_answer_never_holds_the_full_my_number(client, staff):
    response = client.post(URL, {"files": [my_number_txt()]}, **bearer(staff))
    body = response.json()
    assert body["blocked"] is True
    assert body["reasons"][0]["code"] == "personal_information"
    assert "総務省訓令 第12条の2" in body["reasons"][0]["citations"]
    assert any(f["type"] == "my_number" for f in body["files"][0]["findings"])
    assert MY_NUMBER not in response.content.decode()
    # Nor does the trail: counts and digests only.
    event = Event.objects.get(action="assets.scan.checked")
    assert MY_NUMBER not in str(event.data)
    assert event.data["files"][0]["name"] == "名簿.txt"
    assert len(event.data["files"][0]["sha256"]) == 64
    assert event.data["summary"]["my_number"] == 1
    assert event.data["channel"] == "api"


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_an_oversized_upload_is_refused_with_its_limit(client, staff):
    big = upload("大きい.txt", b"a" * 2048, "text/plain")
    response = client.post(URL, {"files": [big]}, **bearer(staff))
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "upload_too_large"
    assert "上限" in body["message"]
    assert not Event.objects.filter(action="assets.scan.checked").exists()


def test_too_many_files_or_none_is_a_400(client, staff):
    files = [clean_txt(f"{n}.txt") for n in range(21)]
    response = client.post(URL, {"files": files}, **bearer(staff))
    assert response.status_code == 400
    assert response.json()["code"] == "too_many_files"
    assert client.post(URL, {}, **bearer(staff)).status_code == 400


def test_unknown_types_are_refused_and_known_ones_narrow_the_scan(client, staff):
    bad = client.post(URL, {"files": [marked_docx()], "types": "secrets"}, **bearer(staff))
    assert bad.status_code == 400
    only_phone = client.post(URL, {"files": [marked_docx()], "types": "phone"}, **bearer(staff))
    assert only_phone.json()["blocked"] is False


def test_an_unreadable_file_is_reported_and_blocks(client, staff):
    broken = upload("壊れた.docx", b"PK\x03\x04 not really a zip", DOCX_TYPE)
    body = client.post(URL, {"files": [broken]}, **bearer(staff)).json()
    assert body["files"][0]["status"] == "unscannable"
    assert body["blocked"] is True and body["reasons"][0]["code"] == "unscannable"


def test_without_credentials_the_answer_is_401(client):
    response = client.post(URL, {"files": [clean_txt()]})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("path", [URL, f"{URL}/send-check"])
def test_the_session_caller_needs_the_csrf_token(path, login, staff):
    from django.test import Client

    browser = login(staff, Client(enforce_csrf_checks=True))
    response = browser.post(path, {"files": [clean_txt()], "recipients": "a@example.jp"})
    assert response.status_code == 403


def test_a_marked_document_inside_a_zip_is_found_and_blocks(client, staff):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("資料/報告書.docx", make_docx(header="機密性３"))
        archive.writestr("readme.txt", CLEAN_TEXT)
    body = client.post(
        URL,
        {"files": [upload("送付資料.zip", buffer.getvalue(), "application/zip")]},
        **bearer(staff),
    ).json()
    assert body["blocked"] is True
    assert body["reasons"][0]["files"] == ["送付資料.zip!資料/報告書.docx"]
    paths = [f["path"] for f in body["files"]]
    assert paths[0] == "送付資料.zip" and "送付資料.zip!readme.txt" in paths


def test_a_number_in_a_file_name_is_masked_in_the_answer_and_the_trail(client, staff):
    name = f"個人番号_{MY_NUMBER}_名簿.txt"
    response = client.post(
        URL, {"files": [upload(name, CLEAN_TEXT, "text/plain")]}, **bearer(staff)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert MY_NUMBER not in body
    assert MY_NUMBER[-4:] in response.json()["files"][0]["path"]
    event = Event.objects.filter(action="assets.scan.checked").latest("pk")
    assert MY_NUMBER not in str(event.data)
