"""The 報告窓口: partial reports, instructions, attachments."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mamori.incidents.models import Evidence, Incident, TimelineEntry
from mamori.trail.models import Event

pytestmark = pytest.mark.django_db


def test_a_kind_and_one_sentence_is_a_report(staff, file_report):
    incident = file_report(staff, kind="lost_device", summary="ノートPCを電車に置き忘れた。")
    assert incident.number.endswith("-0001")
    assert incident.title == "ノートPCを電車に置き忘れた。"
    assert incident.reporter_unit == staff.unit
    assert incident.status == "reported"
    assert Event.objects.filter(action="incidents.incident.reported").count() == 1
    assert TimelineEntry.objects.filter(incident=incident, kind="reported").exists()


def test_numbers_count_up_within_the_organisation(staff, file_report):
    first = file_report(staff)
    second = file_report(staff)
    assert int(second.number.split("-")[1]) == int(first.number.split("-")[1]) + 1


def test_a_report_without_a_sentence_is_refused(staff, file_report):
    from mamori.errors import InvalidInput

    with pytest.raises(InvalidInput):
        file_report(staff, summary="  ")
    with pytest.raises(InvalidInput):
        file_report(staff, kind="no-such-kind")
    assert not Incident.objects.exists()


def test_the_form_accepts_kind_and_sentence_and_shows_the_instructions(client, login, staff):
    login(staff)
    response = client.post(
        reverse("incidents:report"), {"kind": "malware", "summary": "画面に警告が出た。"}
    )
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("incidents:reported", args=[incident.pk])
    page = client.get(response.url).content.decode()
    assert incident.number in page
    assert "LANケーブルを抜いて" in page
    assert "小冊子4章-5" in page


def test_the_report_page_lists_every_kind(client, login, staff):
    from mamori.rules import incident_kinds

    login(staff)
    page = client.get(reverse("incidents:report")).content.decode()
    for kind in incident_kinds.KINDS:
        assert f'value="{kind.code}"' in page
    assert len(incident_kinds.KINDS) >= 11


def test_every_page_links_to_the_report_form(client, login, staff):
    login(staff)
    page = client.get(reverse("web:dashboard")).content.decode()
    assert reverse("incidents:report") in page


def test_an_attachment_over_the_limit_is_refused_and_the_report_kept(
    client, login, staff, settings
):
    settings.UPLOAD_MAX_BYTES = 1024
    login(staff)
    big = SimpleUploadedFile("screen.png", b"x" * 2048, content_type="image/png")
    small = SimpleUploadedFile("log.txt", b"error log", content_type="text/plain")
    response = client.post(
        reverse("incidents:report"),
        {"kind": "malware", "summary": "警告が出た。", "attachments": [big, small]},
        follow=True,
    )
    incident = Incident.objects.get()
    assert incident.description == "警告が出た。"
    page = response.content.decode()
    assert "screen.png" in page and "大きすぎる" in page
    kept = Evidence.objects.get(incident=incident)
    assert kept.name == "log.txt"
    assert kept.sha256 == hashlib.sha256(b"error log").hexdigest()
    assert TimelineEntry.objects.filter(incident=incident, kind="attachment_refused").exists()


def test_files_past_the_attachment_limit_are_refused_and_the_report_kept(client, login, staff):
    from mamori.incidents.services import MAX_ATTACHMENTS

    login(staff)
    files = [
        SimpleUploadedFile(f"log{n:02d}.txt", b"line %d" % n, content_type="text/plain")
        for n in range(MAX_ATTACHMENTS + 2)
    ]
    response = client.post(
        reverse("incidents:report"),
        {"kind": "malware", "summary": "警告が出た。", "attachments": files},
        follow=True,
    )
    incident = Incident.objects.get()
    assert Evidence.objects.filter(incident=incident).count() == MAX_ATTACHMENTS
    page = response.content.decode()
    assert f"log{MAX_ATTACHMENTS + 1:02d}.txt" in page


def test_evidence_sha256_is_shown_on_the_case(client, login, staff, csirt, file_report):
    incident = file_report(staff)
    login(csirt)
    upload = SimpleUploadedFile("mail.txt", b"Received: from evil", content_type="text/plain")
    client.post(reverse("incidents:add_evidence", args=[incident.pk]), {"file": upload})
    digest = hashlib.sha256(b"Received: from evil").hexdigest()
    assert digest in client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    download = client.get(
        reverse("incidents:evidence_download", args=[incident.pk, Evidence.objects.get().pk])
    )
    assert b"".join(download.streaming_content) == b"Received: from evil"


def test_evidence_of_a_refused_type_is_refused(client, login, staff, csirt, file_report):
    incident = file_report(staff)
    login(csirt)
    upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        reverse("incidents:add_evidence", args=[incident.pk]), {"file": upload}, follow=True
    )
    assert "run.exe" in response.content.decode()
    assert not Evidence.objects.exists()


def test_pages_speak_english(client, login, staff, csirt, file_report):
    incident = file_report(staff, kind="malware", summary="x")
    login(csirt)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("incidents:reported", args=[incident.pk])).content.decode()
    assert "Unplug the LAN cable" in page
    assert "Staff report to the incident reception desk (CSIRT)" in page
    detail = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "Suspected malware infection" in detail
    assert client.get(reverse("incidents:board")).status_code == 200
    assert "Suspicious e-mail" in client.get(reverse("incidents:report")).content.decode()
