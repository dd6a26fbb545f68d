"""Send check: may these attachments go to these addresses? (総務省訓令 第12条の2)"""

from tests.assets.test_assets_api import bearer
from tests.assets.test_scan_api import MY_NUMBER, clean_txt, marked_docx, my_number_txt

from mamori.assets import scan_sending
from mamori.scan.types import FileResult, Finding
from mamori.trail.models import Event

API = "/api/scan/send-check"
PAGE = "/assets/scan/send/"


def test_a_my_number_to_an_outside_address_is_blocked(client, staff):
    response = client.post(
        API,
        {"recipients": "tanaka@example.co.jp", "files": [my_number_txt()]},
        **bearer(staff),
    )
    assert response.status_code == 200
    body = response.json()
    assert body["blocked"] is True
    assert body["external_recipients"] == ["tanaka@example.co.jp"]
    reason = body["reasons"][0]
    assert reason["code"] == "personal_information"
    assert "総務省訓令 第12条の2" in reason["citations"]
    assert "暗号化" in reason["message"]
    # No domain of the organisation's own is known: the answer says every address
    # was taken as outside, and reminds the sender to check the recipients.
    assert any("組織外として扱いました" in note for note in body["notes"])
    assert any("宛先" in note for note in body["notes"])
    assert MY_NUMBER not in response.content.decode()


def test_a_marked_attachment_to_an_outside_address_is_blocked(client, staff):
    body = client.post(
        API, {"recipients": "a@example.jp", "files": [marked_docx()]}, **bearer(staff)
    ).json()
    assert body["blocked"] is True
    assert body["reasons"][0]["code"] == "classification_marking"
    assert "統一基準(R7) 3.1.1(6)(b)" in body["reasons"][0]["citations"]


def test_a_clean_attachment_may_be_sent(client, staff):
    body = client.post(
        API, {"recipients": "a@example.jp, b@example.jp", "files": [clean_txt()]}, **bearer(staff)
    ).json()
    assert body["blocked"] is False and body["recipients"] == 2


def test_bad_addresses_are_refused(client, staff):
    response = client.post(
        API, {"recipients": "not-an-address", "files": [clean_txt()]}, **bearer(staff)
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_recipient"


def test_recipients_inside_the_own_domains_are_not_blocked():
    """The rule itself, for when the organisation's mail domains are known."""
    result = FileResult("名簿.txt", "scanned", findings=[Finding("my_number", 0, 12, 1, "x", 0.95)])
    inside = scan_sending.send_verdict([result], ["a@soumu.go.jp"], ["soumu.go.jp"])
    assert inside.blocked is False
    mixed = scan_sending.send_verdict([result], ["a@soumu.go.jp", "b@example.jp"], ["soumu.go.jp"])
    assert mixed.blocked is True and "b@example.jp" in str(mixed.reasons[0].message)
    assert "a@soumu.go.jp" not in str(mixed.reasons[0].message)


def test_the_page_blocks_and_the_trail_keeps_domains_not_addresses(client, login, staff):
    login(staff)
    response = client.post(PAGE, {"recipients": "suzuki@example.com", "files": [my_number_txt()]})
    page = response.content.decode()
    assert "このままでは送信できません" in page
    assert "総務省訓令 第12条の2" in page
    assert MY_NUMBER not in page
    event = Event.objects.get(action="assets.scan.send_checked")
    assert event.data["recipient_domains"] == ["example.com"]
    assert event.data["external_recipients"] == 1
    assert "suzuki" not in str(event.data) and MY_NUMBER not in str(event.data)


def test_the_page_needs_recipients(client, login, staff):
    login(staff)
    page = client.post(PAGE, {"recipients": "", "files": [clean_txt()]}).content.decode()
    assert "入力内容を確認してください" in page
    assert not Event.objects.filter(action="assets.scan.send_checked").exists()
