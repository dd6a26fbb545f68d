"""Every audit URL tried by people who should not pass: plain staff, the officer of
another unit, and the CISO and an auditor of a second organisation. Also the evidence
download headers, POST-only changes and the unit officer's partial view of an audit."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.compliance.audits.conftest import soon
from tests.conftest import with_totp


@pytest.fixture
def full(isec_officer, chief, ciso, auditor, units, running_audit):
    """A reported and instructed audit of 総務課 with evidence on its unit finding and
    one measure in the unit plan."""
    from mamori.compliance.audits import services, services_plans

    finding = services.record_finding(
        running_audit,
        auditor,
        severity="major",
        clause="統一基準(H30) 2.3.1(3)(a)",
        description="総務課の評価記録がない",
        unit=units["d1"],
        attachments=[SimpleUploadedFile("記録.pdf", b"%PDF-1.4 x", "application/pdf")],
    )
    services.record_finding(
        running_audit,
        auditor,
        severity="minor",
        clause="c",
        description="横断的な様式の不統一",
        cross_cutting=True,
    )
    audit = services.issue_report(running_audit, auditor, summary="概要")
    plans = services_plans.issue_instructions(
        audit, ciso, instruction="改善せよ", due_date=soon(30)
    )
    plan = next(p for p in plans if p.officer == isec_officer)
    item = services_plans.add_item(
        plan, isec_officer, measure="様式を定める", owner=isec_officer, due_date=soon()
    )
    return {
        "audit": audit,
        "plan": plan,
        "item": item,
        "finding": finding,
        "evidence": finding.evidence.get(),
    }


def _gets(full):
    a, p, e = full["audit"].pk, full["plan"].pk, full["evidence"].pk
    return [
        ("audits:detail", [a]),
        ("audits:checklist", [a]),
        ("audits:finding_new", [a]),
        ("audits:evidence_download", [a, e]),
        ("audits:report", [a]),
        ("audits:report_pdf", [a]),
        ("audits:plan", [p]),
    ]


def _posts(full):
    a, p, i = full["audit"].pk, full["plan"].pk, full["item"].pk
    f = full["finding"].pk
    check = full["audit"].checklist.first().pk
    return [
        ("audits:assign", [a], {"auditor": full["plan"].officer_id}),
        ("audits:start", [a], {}),
        ("audits:check", [a, check], {"result": "conforming"}),
        ("audits:evidence_add", [a, f], {}),
        ("audits:issue_report", [a], {"summary": "s"}),
        ("audits:instruct", [a], {"instruction": "i", "due_date": soon().isoformat()}),
        ("audits:close", [a], {}),
        ("audits:item_add", [p], {"measure": "m", "owner": 1, "due_date": soon().isoformat()}),
        ("audits:item_done", [p, i], {"result": "r"}),
        ("audits:plan_report", [p], {"summary": "s"}),
        ("audits:plan_return", [p], {"note": "n"}),
        ("audits:plan_close", [p], {}),
    ]


def _trail_count():
    from mamori.trail.models import Event

    return Event.objects.count()


def _assert_locked_out(client, full, *, lists_forbidden: bool):
    for name, args in _gets(full):
        status = client.get(reverse(name, args=args)).status_code
        assert status in (403, 404), (name, status)
    before = _trail_count()
    for name, args, data in _posts(full):
        status = client.post(reverse(name, args=args), data).status_code
        assert status in (403, 404), (name, status)
    assert _trail_count() == before  # nothing changed
    for name in ("audits:index", "audits:findings", "audits:export", "audits:findings_export"):
        response = client.get(reverse(name))
        if lists_forbidden:
            assert response.status_code == 403, name
    page = client.get(reverse("audits:items")).content.decode()
    assert "様式を定める" not in page
    api = {
        url: client.get(url).json()["count"]
        for url in ("/api/audits", "/api/audits/findings", "/api/audits/items")
    }
    assert api == {"/api/audits": 0, "/api/audits/findings": 0, "/api/audits/items": 0}
    done = client.post(
        f"/api/audits/items/{full['item'].pk}/done",
        json.dumps({"result": "r"}),
        content_type="application/json",
    )
    assert done.status_code == 404
    full["item"].refresh_from_db()
    assert full["item"].done_at is None


def test_plain_staff_reach_nothing(client, login, full, staff):
    login(staff)
    _assert_locked_out(client, full, lists_forbidden=True)


def test_the_officer_of_another_unit_reaches_nothing(client, login, full, person_with):
    other_officer = person_with("isec_officer", unit="b2", scope="b2")
    login(other_officer)
    _assert_locked_out(client, full, lists_forbidden=False)
    page = client.get(reverse("audits:findings")).content.decode()
    assert "総務課の評価記録がない" not in page


def test_a_second_organisation_reaches_nothing(client, login, full):
    from django.contrib.auth import get_user_model

    from mamori.org.models import Organization, Person, RoleAssignment

    other = Organization.objects.create(
        code="other", name="別省", name_en="Other", kind="national", rulebooks=["toitsu"]
    )
    user = get_user_model().objects.create_user(username="foreign", password="x" * 20)
    foreigner = Person.objects.create(
        user=user, organization=other, family_name="別", given_name="省", email="f@other.go.jp"
    )
    for role in ("ciso", "isec_auditor", "chief_isec_officer"):
        RoleAssignment.objects.create(person=foreigner, role=role, organization=other)
    with_totp(foreigner)  # the CISO's MFA policy
    login(foreigner)
    _assert_locked_out(client, full, lists_forbidden=False)
    for name in ("audits:index", "audits:findings"):
        assert full["audit"].number not in client.get(reverse(name)).content.decode()
    csv = b"".join(client.get(reverse("audits:export")).streaming_content).decode()
    assert full["audit"].number not in csv


def test_changes_are_post_only(client, login, full, auditor, ciso):
    login(ciso)
    for name, args, _data in _posts(full):
        assert client.get(reverse(name, args=args)).status_code == 405, name


def test_evidence_download_is_an_attachment_that_is_not_sniffed(client, login, full, auditor):
    login(auditor)
    e = full["evidence"]
    response = client.get(reverse("audits:evidence_download", args=[full["audit"].pk, e.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"


def test_evidence_is_added_to_a_finding_from_the_audit_page(
    client, login, running_audit, auditor, units
):
    from mamori.compliance.audits import services

    finding = services.record_finding(
        running_audit, auditor, severity="minor", clause="c", description="d", unit=units["d1"]
    )
    login(auditor)
    url = reverse("audits:evidence_add", args=[running_audit.pk, finding.pk])
    page = client.get(reverse("audits:detail", args=[running_audit.pk])).content.decode()
    assert url in page
    before = _trail_count()
    refused = client.post(url, {"file": SimpleUploadedFile("x.exe", b"MZ")}, follow=True)
    assert "x.exe" in refused.content.decode() and not finding.evidence.exists()
    assert _trail_count() == before
    client.post(url, {"file": SimpleUploadedFile("追加.pdf", b"%PDF-1.4 y")})
    assert [e.name for e in finding.evidence.all()] == ["追加.pdf"]


def test_a_unit_officer_sees_only_their_units_part_of_an_audit(
    client, login, make_audit, units, isec_officer, person_with
):
    from mamori.compliance.audits import services

    lead = person_with("isec_auditor", unit="d2")  # independent of 総務課 and 情報課
    with_totp(lead)
    audit = services.start_audit(make_audit(unit=["d1", "d3"], planner=lead), lead)
    for unit, text in (("d1", "総務課の指摘"), ("d3", "情報課の指摘")):
        services.record_finding(
            audit, lead, severity="minor", clause="c", description=text, unit=units[unit]
        )
    services.issue_report(audit, lead, summary="概要")
    login(isec_officer)  # 総務局 only
    response = client.get(reverse("audits:detail", args=[audit.pk]))
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert "総務課の指摘" in page and "情報課の指摘" not in page
    assert reverse("audits:report", args=[audit.pk]) not in page
    for name in ("audits:report", "audits:report_pdf", "audits:checklist"):
        assert client.get(reverse(name, args=[audit.pk])).status_code == 403, name
    login(lead)
    page = client.get(reverse("audits:detail", args=[audit.pk])).content.decode()
    assert "総務課の指摘" in page and "情報課の指摘" in page


def test_an_officer_of_a_division_sees_the_audit_of_its_bureau(make_audit, person_with):
    from mamori.compliance.audits.models import Audit

    audit = make_audit(unit="b1")
    d1_officer = person_with("isec_officer", unit="d1", scope="d1")
    d3_officer = person_with("isec_officer", unit="d3", scope="d3")
    assert list(Audit.objects.visible_to(d1_officer)) == [audit]
    assert not Audit.objects.visible_to(d3_officer).exists()


def test_only_the_team_opens_the_finding_form(client, login, running_audit, ciso):
    login(ciso)
    url = reverse("audits:finding_new", args=[running_audit.pk])
    assert client.get(url).status_code == 403


def test_a_bad_year_in_the_export_is_ignored(client, login, full, ciso):
    login(ciso)
    response = client.get(reverse("audits:export") + "?year=abc")
    assert response.status_code == 200
    assert full["audit"].number in b"".join(response.streaming_content).decode()
