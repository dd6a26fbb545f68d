"""例外措置 (統一基準(H30) 2.2.2): request → 許可権限者 → ledger; expiry, reminders, end report."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mamori.approvals import services as approvals
from mamori.compliance.exceptions import services
from mamori.compliance.exceptions.models import ExceptionRecord, ExceptionReminder, RecordState
from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.notices.models import Notification
from mamori.trail.models import Event

from .conftest import CLAUSE

pytestmark = pytest.mark.django_db


def actions(obj) -> list[str]:
    return list(
        Event.objects.filter(
            object_type=f"{obj._meta.app_label}.{obj._meta.model_name}", object_id=str(obj.pk)
        ).values_list("action", flat=True)
    )


def test_request_goes_to_the_permit_authority_and_enters_the_ledger(
    staff, permit_authority, file_request
):
    request = file_request(staff)
    assert request.state == "submitted"
    assert request.approver == permit_authority
    assert request.details["requirement"] == CLAUSE
    assert "compliance_exceptions.request.filed" in actions(request)
    assert not ExceptionRecord.objects.exists()

    approvals.decide(request, permit_authority, "approve", "妥当")
    record = ExceptionRecord.objects.get(request=request)
    assert record.state == RecordState.ACTIVE
    assert record.owner == staff and record.applicant == staff
    assert record.permitted_by == permit_authority
    assert record.requirement_citation == "統一基準(H30) 2.2.2(1)(a)"
    assert "許可権限者" in record.requirement_text
    assert record.measures.startswith("接続元を")
    assert record.period_end == request.period_end
    assert actions(record) == ["compliance_exceptions.record.created"]


def test_a_rejected_request_never_enters_the_ledger(staff, permit_authority, file_request):
    request = file_request(staff)
    approvals.decide(request, permit_authority, "reject", "代替措置が不十分")
    assert not ExceptionRecord.objects.exists()


def test_the_applicant_never_decides_their_own_request(person_with, file_request):
    first = person_with("permit_authority", unit="d1")
    second = person_with("permit_authority", unit="d2")
    request = file_request(first)
    assert request.approver == second  # separation of duties skips the applicant
    with pytest.raises(Forbidden) as refused:
        approvals.decide(request, first, "approve")
    assert refused.value.code == "separation_of_duties"
    request.refresh_from_db()
    assert request.state == "submitted"
    assert not ExceptionRecord.objects.exists()


def test_a_lone_permit_authority_cannot_file_to_themselves(person_with, file_request):
    only = person_with("permit_authority", unit="d1")
    with pytest.raises(InvalidInput) as error:
        file_request(only)
    assert error.value.code == "no_approver"


def test_someone_without_the_role_cannot_decide(staff, other_staff, permit_authority, file_request):
    request = file_request(staff)
    with pytest.raises(Forbidden):
        approvals.decide(request, other_staff, "approve")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"clause_id": "9.9.9(9)(z)"}, "requirement"),
        ({"clause_id": "2.2.2(1)(b)"}, "requirement"),  # （略）: no text of its own
        ({"rulebook": "mod", "clause_id": "第1の3(1)"}, "requirement"),  # not followed
        ({"reason": "  "}, "reason"),
        ({"measures": ""}, "measures"),
        ({"scope_text": ""}, "scope"),
        ({"days": 367}, "period_end"),
    ],
)
def test_bad_requests_are_refused_with_the_field(
    staff, permit_authority, file_request, overrides, field
):
    from mamori.approvals.models import Request

    with pytest.raises(InvalidInput) as error:
        file_request(staff, **overrides)
    assert field in error.value.details
    assert not Request.objects.exists()


def test_a_full_year_is_allowed(staff, permit_authority, file_request):
    assert file_request(staff, days=366).state == "submitted"


# --- expiry and reminders --------------------------------------------------------------------


def test_expired_exception_notifies_owner_and_permit_authority(staff, permit_authority, granted):
    record = granted(start=date.today() - timedelta(days=40), days=30)
    counts = services.process_expiries()
    assert counts["expired"] == 1
    record.refresh_from_db()
    assert record.state == RecordState.EXPIRED
    assert record.request.state == "expired"  # the approval is kept in step
    assert Notification.objects.filter(recipient=staff, message__contains="期限切れ").count() == 1
    assert (
        Notification.objects.filter(
            recipient=permit_authority, message__contains="期限切れ"
        ).count()
        == 1
    )
    assert "compliance_exceptions.record.expired" in actions(record)
    # A second run changes nothing and tells no one again.
    assert services.process_expiries()["expired"] == 0
    assert Notification.objects.filter(message__contains="期限切れ").count() == 2


def test_an_exception_on_its_last_day_is_still_active(granted):
    record = granted(start=date.today() - timedelta(days=9), days=10)
    services.process_expiries()
    record.refresh_from_db()
    assert record.state == RecordState.ACTIVE


def test_owner_is_reminded_once_per_reminder_date(staff, granted):
    from mamori.rules.deadlines import reminder_dates

    record = granted(start=date.today(), days=60)
    first, last = reminder_dates(record.period_end, services.REMINDER_WORKING_DAYS)

    def reminders():
        return Notification.objects.filter(recipient=staff, message__contains="終了します").count()

    services.process_expiries(first - timedelta(days=1))
    assert reminders() == 0
    services.process_expiries(first)
    services.process_expiries(first)
    assert reminders() == 1
    services.process_expiries(last)
    services.process_expiries(last)
    assert reminders() == 2
    assert list(ExceptionReminder.objects.values_list("remind_on", flat=True)) == [first, last]
    services.process_expiries(record.period_end)
    assert reminders() == 2


def test_catching_up_after_missed_days_sends_one_reminder(staff, granted):
    record = granted(start=date.today(), days=60)
    services.process_expiries(record.period_end)
    assert Notification.objects.filter(recipient=staff, message__contains="終了します").count() == 1
    assert ExceptionReminder.objects.count() == 2


def test_the_command_runs_the_expiries(granted, staff):
    from io import StringIO

    from django.core.management import call_command

    record = granted(start=date.today() - timedelta(days=40), days=30)
    out = StringIO()
    call_command("exception_expiries", stdout=out)
    assert "expired 1" in out.getvalue()
    record.refresh_from_db()
    assert record.state == RecordState.EXPIRED


# --- end report and revocation ----------------------------------------------------------------


def test_owner_reports_the_end(staff, permit_authority, granted):
    record = granted()
    services.report_end(
        record, staff, ended_on=date.today(), restored="多要素認証を導入した", remaining_issues=""
    )
    record.refresh_from_db()
    assert record.state == RecordState.ENDED
    assert record.end_reported_by == staff
    assert record.request.state == "closed"
    assert Notification.objects.filter(
        recipient=permit_authority, message__contains="終了報告"
    ).exists()
    assert "compliance_exceptions.record.ended" in actions(record)
    with pytest.raises(InvalidTransition):
        services.report_end(record, staff, ended_on=date.today(), restored="再度")


def test_an_expired_exception_can_still_be_reported_ended(staff, granted):
    record = granted(start=date.today() - timedelta(days=40), days=30)
    services.process_expiries()
    services.report_end(record, staff, ended_on=date.today(), restored="元に戻した")
    record.refresh_from_db()
    assert record.state == RecordState.ENDED


def test_only_the_owner_reports_the_end(other_staff, permit_authority, granted):
    record = granted()
    with pytest.raises(Forbidden):
        services.report_end(record, other_staff, ended_on=date.today(), restored="x")
    with pytest.raises(Forbidden):
        services.report_end(record, permit_authority, ended_on=date.today(), restored="x")


def test_end_report_needs_what_was_restored_and_a_sensible_date(staff, granted):
    record = granted()
    with pytest.raises(InvalidInput):
        services.report_end(record, staff, ended_on=date.today(), restored=" ")
    with pytest.raises(InvalidInput):
        services.report_end(record, staff, ended_on=date.today() + timedelta(days=1), restored="x")


def test_permit_authority_revokes(staff, permit_authority, granted):
    record = granted()
    with pytest.raises(Forbidden):
        services.revoke(record, staff, "自分で")
    services.revoke(record, permit_authority, "代替措置が守られていない")
    record.refresh_from_db()
    assert record.state == RecordState.REVOKED
    assert actions(record).count("compliance_exceptions.record.revoked") == 1
    assert record.request.state == "revoked"
    assert Notification.objects.filter(recipient=staff, message__contains="取り消され").exists()


def test_revocation_on_the_approvals_page_reaches_the_ledger(permit_authority, granted):
    record = granted()
    approvals.decide(record.request, permit_authority, "revoke", "取消し")
    record.refresh_from_db()
    assert record.state == RecordState.REVOKED  # at once, not at the next daily run
    assert actions(record).count("compliance_exceptions.record.revoked") == 1
    services.process_expiries()
    record.refresh_from_db()
    assert record.state == RecordState.REVOKED


# --- 許可権限者 and 審査手続 ----------------------------------------------------------------------


def test_ciso_designates_a_permit_authority(ciso, staff, units):
    assignment = services.designate_permit_authority(ciso, staff, unit=units["b1"])
    assert assignment.role == "permit_authority" and assignment.unit == units["b1"]
    assert actions(assignment) == ["compliance_exceptions.permit_authority.designated"]
    assert Notification.objects.filter(recipient=staff, message__contains="許可権限者").exists()
    services.end_permit_authority(ciso, assignment)
    assignment.refresh_from_db()
    assert assignment.valid_to == date.today()


def test_only_the_ciso_designates(isec_officer, staff):
    with pytest.raises(Forbidden):
        services.designate_permit_authority(isec_officer, staff)
    with pytest.raises(Forbidden):
        services.set_procedure(isec_officer, "手続")


def test_designation_is_validated(ciso, staff):
    with pytest.raises(InvalidInput):
        services.designate_permit_authority(
            ciso, staff, valid_from=date.today(), valid_to=date.today() - timedelta(days=1)
        )


def test_designated_permit_authority_decides(ciso, staff, person_with, file_request):
    chosen = person_with(unit="b1")
    services.designate_permit_authority(ciso, chosen)
    request = file_request(staff)
    assert request.approver == chosen


def test_procedure_versions_are_kept(ciso):
    first = services.set_procedure(ciso, "第1版", date.today() - timedelta(days=10))
    second = services.set_procedure(ciso, "第2版", date.today())
    services.set_procedure(ciso, "第3版（来月から）", date.today() + timedelta(days=30))
    assert services.current_procedure(ciso.organization_id) == second
    assert (
        services.current_procedure(ciso.organization_id, date.today() - timedelta(days=1)) == first
    )
    assert "compliance_exceptions.procedure.set" in actions(second)
