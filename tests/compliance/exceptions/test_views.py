"""The 例外措置 pages: request form, ledger (filters, CSV, 期限切れ), detail, CISO page, API."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mamori.compliance.exceptions import services
from mamori.compliance.exceptions.models import ExceptionRecord, RecordState

pytestmark = pytest.mark.django_db


def test_staff_files_a_request_and_sees_the_procedure(client, login, staff, permit_authority, ciso):
    services.set_procedure(ciso, "許可権限者は10営業日以内に審査する。")
    login(staff)
    page = client.get(reverse("exceptions:new"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "許可権限者は10営業日以内に審査する。" in text
    assert "toitsu:2.2.2(1)(a)" in text
    assert "toitsu:2.2.2(1)(b)" not in text  # （略） clauses are not offered
    start = date.today()
    response = client.post(
        reverse("exceptions:new"),
        {
            "requirement": "toitsu:2.2.2(1)(a)",
            "reason": "理由",
            "scope_text": "会計システム",
            "period_start": start.isoformat(),
            "period_end": (start + timedelta(days=10)).isoformat(),
            "measures": "代替措置",
            "submit": "1",
        },
    )
    from mamori.approvals.models import Request

    request = Request.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("approvals:detail", args=[request.pk])
    assert request.state == "submitted" and request.approver == permit_authority


def test_form_errors_are_shown_on_the_field(client, login, staff, permit_authority):
    login(staff)
    start = date.today()
    response = client.post(
        reverse("exceptions:new"),
        {
            "requirement": "toitsu:2.2.2(1)(a)",
            "reason": "理由",
            "scope_text": "範囲",
            "period_start": start.isoformat(),
            "period_end": (start + timedelta(days=400)).isoformat(),
            "measures": "代替措置",
            "submit": "1",
        },
    )
    assert response.status_code == 200
    assert "期間は最長366日までです。" in response.content.decode()


def test_permit_authority_approves_on_the_approvals_page(
    client, login, staff, permit_authority, file_request
):
    request = file_request(staff)
    login(permit_authority)
    page = client.get(reverse("approvals:detail", args=[request.pk])).content.decode()
    # The decider sees the requirement, reason, scope, period and measures there.
    for text in (
        "統一基準(H30) 2.2.2(1)(a)",
        "多要素認証を導入できない",
        "会計システム（総務課）",
        "接続元を課内端末に限定",
    ):
        assert text in page, text
    client.post(reverse("approvals:act", args=[request.pk]), {"action": "approve", "reason": ""})
    record = ExceptionRecord.objects.get()
    assert record.state == RecordState.ACTIVE
    page = client.get(reverse("exceptions:list")).content.decode()
    assert record.reference in page and "適用中" in page


def test_applicant_cannot_approve_own_on_the_page(client, login, person_with, file_request):
    first = person_with("permit_authority", unit="d1")
    person_with("permit_authority", unit="d2")
    request = file_request(first)
    login(first)
    client.post(reverse("approvals:act", args=[request.pk]), {"action": "approve", "reason": ""})
    request.refresh_from_db()
    assert request.state == "submitted"
    assert not ExceptionRecord.objects.exists()


def test_expired_exception_shows_as_expired_on_the_ledger(
    client, login, staff, permit_authority, granted
):
    record = granted(start=date.today() - timedelta(days=40), days=30)
    services.process_expiries()
    login(permit_authority)
    page = client.get(reverse("exceptions:list"), {"state": "expired"}).content.decode()
    assert record.reference in page and "期限切れ" in page
    login(staff)
    detail = client.get(reverse("exceptions:detail", args=[record.pk])).content.decode()
    assert "期限切れ" in detail and "終了を報告する" in detail


def test_ledger_scoping(client, login, staff, other_staff, permit_authority, granted, isec_officer):
    record = granted()
    login(other_staff)
    assert record.reference not in client.get(reverse("exceptions:list")).content.decode()
    assert client.get(reverse("exceptions:detail", args=[record.pk])).status_code == 404
    assert (
        client.post(
            reverse("exceptions:end", args=[record.pk]),
            {"ended_on": date.today().isoformat(), "restored": "x"},
        ).status_code
        == 404
    )
    login(isec_officer)  # not a ledger role
    assert record.reference not in client.get(reverse("exceptions:list")).content.decode()
    login(staff)
    assert record.reference in client.get(reverse("exceptions:list")).content.decode()


def test_unit_scoped_permit_authority_sees_only_their_units(
    client, login, person_with, staff, outsider, permit_authority, file_request
):
    from mamori.approvals import services as approvals

    own = file_request(staff)
    approvals.decide(own, permit_authority, "approve")
    far = file_request(outsider)
    approvals.decide(far, permit_authority, "approve")
    local = person_with("permit_authority", unit="b1", scope="b1")
    login(local)
    page = client.get(reverse("exceptions:list")).content.decode()
    assert own.exception_record.reference in page
    assert far.exception_record.reference not in page


def test_filters_sort_and_csv(client, login, staff, permit_authority, granted):
    soon = granted(days=5)
    later = granted(days=200)
    login(permit_authority)
    page = client.get(reverse("exceptions:list"), {"expiring_within": 30}).content.decode()
    assert soon.reference in page and later.reference not in page
    page = client.get(reverse("exceptions:list"), {"sort": "-period_end"}).content.decode()
    assert page.index(later.reference) < page.index(soon.reference)
    response = client.get(reverse("exceptions:export"), {"expiring_within": 30})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert soon.reference in body and later.reference not in body
    assert "統一基準(H30) 2.2.2(1)(a)" in body


def test_ledger_query_count_is_constant(client, login, permit_authority, granted):
    granted()
    login(permit_authority)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("exceptions:list"))
    for _ in range(8):
        granted()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("exceptions:list"))
    assert len(many) == len(few)


def test_end_report_on_the_page(client, login, staff, permit_authority, granted):
    record = granted()
    login(staff)
    response = client.post(
        reverse("exceptions:end", args=[record.pk]),
        {"ended_on": date.today().isoformat(), "restored": "復旧した", "remaining_issues": ""},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.state == RecordState.ENDED
    assert (
        "終了報告済み"
        in client.get(reverse("exceptions:detail", args=[record.pk])).content.decode()
    )


def test_revoke_on_the_page_needs_the_permit_authority(
    client, login, staff, permit_authority, granted
):
    record = granted()
    login(staff)
    assert (
        "取り消す"
        not in client.get(reverse("exceptions:detail", args=[record.pk])).content.decode()
    )
    client.post(reverse("exceptions:revoke", args=[record.pk]), {"reason": "x"})
    record.refresh_from_db()
    assert record.state == RecordState.ACTIVE
    login(permit_authority)
    client.post(reverse("exceptions:revoke", args=[record.pk]), {"reason": "守られていない"})
    record.refresh_from_db()
    assert record.state == RecordState.REVOKED


def test_ciso_page(client, login, ciso, staff, units):
    login(staff)
    assert client.get(reverse("exceptions:authorities")).status_code == 403
    assert (
        client.post(reverse("exceptions:authorities"), {"procedure": "1", "text": "x"}).status_code
        == 403
    )
    login(ciso)
    assert client.get(reverse("exceptions:authorities")).status_code == 200
    response = client.post(
        reverse("exceptions:authorities"),
        {
            "designate": "1",
            "person": staff.pk,
            "unit": units["d1"].pk,
            "valid_from": date.today().isoformat(),
        },
    )
    assert response.status_code == 302
    from mamori.org.models import RoleAssignment

    assignment = RoleAssignment.objects.get(person=staff, role="permit_authority")
    assert assignment.unit == units["d1"]
    client.post(
        reverse("exceptions:authorities"),
        {
            "procedure": "1",
            "text": "審査は10営業日以内",
            "effective_from": date.today().isoformat(),
        },
    )
    page = client.get(reverse("exceptions:authorities")).content.decode()
    assert "審査は10営業日以内" in page and str(staff) in page
    client.post(reverse("exceptions:end_designation", args=[assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.valid_to == date.today()


def test_menu_and_calendar(client, login, staff, permit_authority, granted):
    from mamori.web.deadlines import deadlines_for

    record = granted(days=20)
    login(staff)
    assert reverse("exceptions:list") in client.get(reverse("web:dashboard")).content.decode()
    found = deadlines_for(staff, date.today(), date.today() + timedelta(days=30), ["exceptions"])
    assert [d.uid for d in found] == [f"exceptions.record.{record.pk}"]
    assert deadlines_for(permit_authority, date.today(), record.period_end, ["exceptions"])


def test_api_lists_the_visible_ledger(client, login, staff, other_staff, permit_authority, granted):
    record = granted()
    login(staff)
    data = client.get("/api/exceptions/records").json()
    assert data["count"] == 1 and data["items"][0]["reference"] == record.reference
    assert client.get(f"/api/exceptions/records/{record.pk}").json()["state"] == "active"
    login(other_staff)
    assert client.get("/api/exceptions/records").json()["count"] == 0
    assert client.get(f"/api/exceptions/records/{record.pk}").status_code == 404
