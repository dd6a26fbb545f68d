"""Violation reports: staff → 情報セキュリティ責任者 → 統括 → CISO, each step sent,
acknowledged and noticed; invalid moves refused; the reporter's identity only for the
chain; the officers' list scoped and with a constant number of queries; the calendar."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mamori.compliance import services_violations, workflow
from mamori.compliance.models import StepKind, ViolationReport, ViolationStatus
from mamori.errors import Forbidden, InvalidTransition
from mamori.notices.models import Notification
from mamori.trail.models import Event


@pytest.fixture
def chief(person_with):
    from tests.conftest import with_totp

    person = person_with("chief_isec_officer", unit="b1", username="chief")
    with_totp(person)
    return person


def file(client, login, person, title="私物USBでの持ち出し"):
    login(person)
    response = client.post(
        reverse("compliance:violation_report"),
        {"title": title, "description": "要機密情報を私物USBに複製していた。"},
    )
    assert response.status_code == 302
    return ViolationReport.objects.latest("pk")


def test_staff_report_to_the_officer_covering_their_unit(client, login, staff, isec_officer, chief):
    login(staff)
    page = client.get(reverse("compliance:violation_report")).content.decode()
    assert f"報告先: {isec_officer}" in page
    report = file(client, login, staff)
    (step,) = report.steps.all()
    assert (report.status, step.kind, step.recipient, step.sender) == (
        ViolationStatus.REPORTED,
        StepKind.TO_OFFICER,
        isec_officer,
        staff,
    )
    assert step.citation == "統一基準(R7) 2.2.1(2)(a)"
    assert Notification.objects.filter(recipient=isec_officer).count() == 1
    assert Event.objects.filter(action="compliance.violation.reported").count() == 1
    mine = client.get(reverse("compliance:violation_mine")).content.decode()
    assert "私物USBでの持ち出し" in mine


def test_the_chain_moves_up_to_the_ciso_and_closes(client, login, staff, isec_officer, chief, ciso):
    report = file(client, login, staff)
    detail = reverse("compliance:violation_detail", args=[report.pk])
    login(isec_officer)
    assert "統括情報セキュリティ責任者に報告する" in client.get(detail).content.decode()
    client.post(reverse("compliance:violation_acknowledge", args=[report.pk]))
    client.post(
        reverse("compliance:violation_escalate", args=[report.pk]), {"note": "事実を確認した"}
    )
    report.refresh_from_db()
    first, second = report.steps.all()
    assert report.status == ViolationStatus.FORWARDED_TO_CHIEF
    assert first.acknowledged_at and first.note == "事実を確認した"
    assert (second.kind, second.sender, second.recipient, second.acknowledged_at) == (
        StepKind.TO_CHIEF,
        isec_officer,
        chief,
        None,
    )
    assert second.citation == "統一基準(H30) 2.2.1(1)(d)"
    assert Notification.objects.filter(recipient=chief).exists()
    login(chief)
    client.post(reverse("compliance:violation_escalate", args=[report.pk]))
    report.refresh_from_db()
    third = report.steps.get(order=3)
    assert report.status == ViolationStatus.REPORTED_TO_CISO
    assert (third.recipient, third.citation) == (ciso, "統一基準(H30) 2.2.1(1)(e)")
    login(ciso)
    assert "完了にする" in client.get(detail).content.decode()
    client.post(reverse("compliance:violation_close", args=[report.pk]), {"note": "処分を検討"})
    report.refresh_from_db()
    assert report.status == ViolationStatus.CLOSED and report.closing_note == "処分を検討"
    assert report.steps.get(order=3).acknowledged_at is not None
    assert Notification.objects.filter(recipient=staff).count() == 1
    actions = list(
        Event.objects.filter(action__startswith="compliance.violation").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "compliance.violation.reported",
        "compliance.violation.acknowledged",
        "compliance.violation.escalated",
        "compliance.violation.escalated",
        "compliance.violation.closed",
    ]


def test_invalid_moves_are_refused(client, login, staff, isec_officer, chief, ciso):
    report = file(client, login, staff)
    # the reporter cannot move their own report
    with pytest.raises(Forbidden):
        services_violations.escalate(staff, report)
    login(staff)
    client.post(reverse("compliance:violation_escalate", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ViolationStatus.REPORTED
    # nobody closes a report the CISO has not received
    with pytest.raises(InvalidTransition):
        services_violations.close(isec_officer, report)
    services_violations.escalate(isec_officer, report)
    # the officer's step is done: they cannot report it up again
    with pytest.raises(Forbidden):
        services_violations.escalate(isec_officer, report)
    with pytest.raises(InvalidTransition):
        services_violations.close(chief, report)
    services_violations.escalate(chief, report)
    services_violations.close(ciso, report)
    with pytest.raises(InvalidTransition):
        services_violations.close(ciso, report)
    with pytest.raises(InvalidTransition):
        workflow.check(ViolationStatus.REPORTED, ViolationStatus.CLOSED)
    with pytest.raises(InvalidTransition):
        services_violations.acknowledge(ciso, ViolationReport.objects.get(pk=report.pk))


def test_without_an_officer_the_report_goes_to_the_chief_then_the_ciso(
    client, login, outsider, chief, ciso
):
    report = file(client, login, outsider)
    (step,) = report.steps.all()
    assert (step.kind, step.recipient) == (StepKind.TO_CHIEF, chief)
    services_violations.escalate(chief, report)
    report.refresh_from_db()
    assert report.status == ViolationStatus.REPORTED_TO_CISO
    assert report.steps.get(order=2).recipient == ciso


def test_the_reporter_is_shown_only_to_the_chain(
    client, login, staff, isec_officer, chief, person_with
):
    report = file(client, login, staff)
    detail = reverse("compliance:violation_detail", args=[report.pk])
    second_officer = person_with("isec_officer", unit="b1", scope="b1", username="second")
    b2_officer = person_with("isec_officer", unit="b2", scope="b2", username="b2-officer")
    login(isec_officer)
    assert str(staff) in client.get(detail).content.decode()
    for person in (second_officer, chief):
        login(person)
        page = client.get(detail).content.decode()
        assert response_ok(page) and str(staff) not in page
        listing = client.get(reverse("compliance:violation_list")).content.decode()
        assert "私物USBでの持ち出し" in listing and str(staff) not in listing
    login(b2_officer)
    assert client.get(detail).status_code == 404
    assert (
        "私物USBでの持ち出し"
        not in client.get(reverse("compliance:violation_list")).content.decode()
    )
    login(staff)
    assert client.get(reverse("compliance:violation_list")).status_code == 403
    # once the 統括 is in the chain, they see who reported
    services_violations.escalate(isec_officer, report)
    login(chief)
    assert str(staff) in client.get(detail).content.decode()


def response_ok(page: str) -> bool:
    return "報告の経路" in page


def test_the_officers_list_runs_a_constant_number_of_queries(
    client, login, staff, other_staff, isec_officer, chief
):
    login(chief)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("compliance:violation_list")).status_code == 200
        return len(ctx)

    services_violations.report_violation(staff, title="一件目", description="内容")
    few = count()
    for n in range(6):
        reporter = staff if n % 2 else other_staff
        report = services_violations.report_violation(reporter, title=f"件{n}", description="内容")
        services_violations.escalate(isec_officer, report)
    assert count() == few


def test_unacknowledged_steps_are_due_the_next_working_day(staff, isec_officer, chief):
    from mamori.rules.deadlines import add_working_days
    from mamori.web.deadlines import deadlines_for

    report = services_violations.report_violation(staff, title="違反", description="内容")
    today = timezone.localdate()  # the calendar's day is Tokyo's, whatever the machine's zone
    found = deadlines_for(isec_officer, today, today + datetime.timedelta(days=10), ["compliance"])
    (deadline,) = found
    sent_on = timezone.localtime(report.steps.get().sent_at).date()
    assert deadline.due == add_working_days(sent_on, 1)
    assert deadline.citation == "統一基準(R7) 2.2.1(2)(a)" and not deadline.done
    services_violations.acknowledge(isec_officer, report)
    (deadline,) = deadlines_for(
        isec_officer, today, today + datetime.timedelta(days=10), ["compliance"]
    )
    assert deadline.done
    assert deadlines_for(staff, today, today + datetime.timedelta(days=10), ["compliance"]) == []


def test_the_api_files_and_lists_reports(client, login, staff, isec_officer, person_with):
    login(staff)
    response = client.post(
        "/api/compliance/violations",
        json.dumps({"title": "API経由", "description": "内容"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "reported" and body["reporter_id"] == staff.pk
    assert body["steps"][0]["recipient_id"] == isec_officer.pk
    second = person_with("isec_officer", unit="b1", scope="b1", username="second")
    login(second)
    listing = client.get("/api/compliance/violations").json()
    assert listing["count"] == 1 and listing["items"][0]["reporter_id"] is None
    assert (
        client.get("/api/compliance/requirements?rulebook=toitsu&section=2.2.1").status_code == 200
    )
    login(staff)
    assert client.get("/api/compliance/requirements").status_code == 403


def test_an_officer_for_the_whole_organisation_receives_and_sees_reports(
    client, login, outsider, person_with
):
    officer = person_with("isec_officer", unit="b1", username="org-officer")  # org-wide scope
    report = services_violations.report_violation(outsider, title="違反", description="内容")
    assert report.steps.get().recipient == officer
    login(officer)
    assert client.get(reverse("compliance:violation_detail", args=[report.pk])).status_code == 200
    body = b"".join(client.get(reverse("compliance:violation_csv")).streaming_content).decode()
    assert body.startswith("\ufeff番号,件名") and "違反" in body and str(outsider) in body
