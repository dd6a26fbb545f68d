"""Reports to outside bodies: a printable A4 PDF and the same content as JSON, from what
was sent once the chain item is sent, naming the CSIRT (never the reporter) as contact."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pypdfium2
import pytest
from django.urls import reverse
from django.utils import timezone
from tests.incidents.test_stix import make_case


def pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(content))
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def make_item(incident, *, internal=False, recipient="nisc", **fields):
    from mamori.incidents.models import ChainItem

    values = {
        "incident": incident,
        "step_key": f"test.{recipient}.{ChainItem.objects.count()}",
        "order": 10,
        "sender": "csirt",
        "recipient": recipient,
        "internal": internal,
        "title_ja": "NISCへの報告",
        "title_en": "Report to NISC",
        "citation": "統一基準(R7) 2.2.4(1)(d)",
        "due_at": timezone.now() + timedelta(hours=4),
    }
    values.update(fields)
    return ChainItem.objects.create(**values)


@pytest.fixture
def csirt(person_with):
    from tests.conftest import with_totp

    person = person_with("csirt", unit="b2", username="csirt-member")
    with_totp(person)
    return person


@pytest.fixture
def case(staff, org):
    from mamori.systems.models import InformationSystem

    system = InformationSystem.objects.create(organization=org, code="web", name="広報Webサーバ")
    case = make_case(
        staff,
        kind="defacement",
        title="Webサイトの改ざん",
        description="トップページが書き換えられている。",
        occurred_at=timezone.now() - timedelta(hours=5),
        discovered_at=timezone.now() - timedelta(hours=3),
        damage_types=["d2"],
        impact_i=True,
        importance="alert",
        containment="Webサーバをネットワークから切り離した。",
        status="responding",
    )
    case.affected_systems.add(system)
    return case


@pytest.fixture
def nisc_item(case):
    return make_item(case)


def test_csirt_prints_the_report_for_nisc(client, login, csirt, staff, case, nisc_item):
    login(csirt)
    response = client.get(f"/incidents/{case.pk}/chain/{nisc_item.pk}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    text = pdf_text(response.content)
    for expected in (
        case.number,
        "内閣官房内閣サイバーセキュリティセンター（NISC） 御中",
        "統一基準(R7) 2.2.4(1)(d)",
        "テスト省",
        "Webサイトの改ざん",
        "トップページが書き換えられている。",
        "②ホームページの改ざん",
        "広報Webサーバ",
        "Webサーバをネットワークから切り離した。",
        "警報",
        "完全性",
    ):
        assert expected in text, expected
    # The contact is the CSIRT, not the member of staff who reported it.
    assert "CSIRT" in text
    assert staff.given_name not in text and staff.email not in text


def test_json_export_has_the_same_content(client, login, csirt, case, nisc_item):
    login(csirt)
    for url in (
        f"/api/incidents/{case.pk}/chain/{nisc_item.pk}/report.json",
        f"/incidents/{case.pk}/chain/{nisc_item.pk}/report.json",
    ):
        response = client.get(url)
        assert response.status_code == 200, response.content
        content = json.loads(response.content)
        assert content["recipient"] == {
            "code": "nisc",
            "name": "内閣官房内閣サイバーセキュリティセンター（NISC）",
        }
        assert content["citation"] == "統一基準(R7) 2.2.4(1)(d)"
        assert content["source"] == "current"
        assert content["case"]["number"] == case.number
        assert content["case"]["damage_types"] == ["d2"]
        assert content["case"]["affected_systems"] == ["広報Webサーバ"]
        assert "reporter" not in json.dumps(content)


def test_a_sent_report_shows_what_was_sent(client, login, csirt, case, nisc_item):
    from mamori.incidents import chain

    nisc_item.snapshot = chain._snapshot(case)  # what sending records
    nisc_item.sent_at = timezone.now()
    nisc_item.sent_by = csirt
    nisc_item.save()
    case.description = "後から判明: 管理画面のパスワードが推測された。"
    case.save()
    login(csirt)
    content = client.get(f"/api/incidents/{case.pk}/chain/{nisc_item.pk}/report.json").json()
    assert content["source"] == "snapshot"
    assert content["case"]["summary"] == "トップページが書き換えられている。"
    text = pdf_text(client.get(f"/incidents/{case.pk}/chain/{nisc_item.pk}/report.pdf").content)
    assert "トップページが書き換えられている。" in text
    assert "後から判明" not in text
    assert "送付時点" in text


def test_report_for_the_commission(client, login, csirt, staff):
    case = make_case(staff, kind="pii_leak", title="個人情報を含むメールの誤送信")
    item = make_item(
        case,
        recipient="ppc",
        title_ja="個人情報保護委員会への報告",
        citation="総務省訓令 第39条",
    )
    login(csirt)
    text = pdf_text(client.get(f"/incidents/{case.pk}/chain/{item.pk}/report.pdf").content)
    assert "個人情報保護委員会 御中" in text
    assert "総務省訓令 第39条" in text
    assert case.number in text


def test_staff_without_csirt_role_cannot_print(client, login, staff, other_staff, case, nisc_item):
    login(staff)  # the reporter: sees the case, may not send it outside
    assert client.get(f"/incidents/{case.pk}/chain/{nisc_item.pk}/report.pdf").status_code == 403
    assert (
        client.get(f"/api/incidents/{case.pk}/chain/{nisc_item.pk}/report.json").status_code == 403
    )
    login(other_staff)  # cannot even see it
    assert client.get(f"/incidents/{case.pk}/chain/{nisc_item.pk}/report.pdf").status_code == 404


def test_internal_items_and_other_cases_items_have_no_outside_report(
    client, login, csirt, staff, case
):
    internal = make_item(case, internal=True, recipient="csirt")
    other_case = make_case(staff)
    foreign = make_item(other_case)
    login(csirt)
    assert client.get(f"/incidents/{case.pk}/chain/{internal.pk}/report.pdf").status_code == 404
    assert client.get(f"/incidents/{case.pk}/chain/{foreign.pk}/report.pdf").status_code == 404


def test_every_report_download_is_on_the_trail(client, login, csirt, case, nisc_item):
    from mamori.trail.models import Event

    login(csirt)
    client.get(f"/incidents/{case.pk}/chain/{nisc_item.pk}/report.pdf")
    client.get(f"/api/incidents/{case.pk}/chain/{nisc_item.pk}/report.json")
    formats = [e.data["format"] for e in Event.objects.filter(action="incidents.export.report")]
    assert sorted(formats) == ["json", "pdf"]


def test_items_missing_from_an_older_snapshot_are_named(client, login, csirt, case, nisc_item):
    nisc_item.snapshot = {"number": case.number, "description": "送付時の概要。"}
    nisc_item.sent_at = timezone.now()
    nisc_item.save()
    login(csirt)
    content = client.get(f"/api/incidents/{case.pk}/chain/{nisc_item.pk}/report.json").json()
    assert content["case"]["summary"] == "送付時の概要。"
    assert "containment" in content["fields_from_current"]
    assert "summary" not in content["fields_from_current"]
    text = pdf_text(client.get(f"/incidents/{case.pk}/chain/{nisc_item.pk}/report.pdf").content)
    assert "送付時の概要。" in text
    assert "作成時点の内容" in text and "封じ込め措置" in text


def test_filed_malware_case_reported_to_nisc_through_the_chain(client, login, csirt, staff):
    """The whole way: staff file a report, the chain asks for NISC, the CSIRT records
    sending it, and the printed report is what was sent."""
    from mamori.incidents import services

    incident = services.file_report(staff, kind="malware", summary="PCが勝手に再起動する。")
    nisc = incident.chain_items.get(recipient="nisc", internal=False, cancelled_at__isnull=True)
    services.send_item(nisc, csirt)
    incident.refresh_from_db()
    services.add_note(incident, csirt, "LANケーブルを抜いた。", containment=True)
    login(csirt)
    response = client.get(reverse("incidents:chain-pdf", args=[incident.pk, nisc.pk]))
    text = pdf_text(response.content)
    assert incident.number in text
    assert "NISC" in text and nisc.citation in text
    assert "PCが勝手に再起動する。" in text
    assert "送付時点" in text
    assert "LANケーブル" not in text  # recorded after sending
    content = client.get(reverse("incidents:chain-json", args=[incident.pk, nisc.pk])).json()
    assert content["source"] == "snapshot" and content["sent_at"]
