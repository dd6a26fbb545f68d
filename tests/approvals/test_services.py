from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from mamori.approvals import registry, services
from mamori.approvals.models import Attachment, Request
from mamori.approvals.workflow import TRANSITIONS, Action, State
from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.notices.models import Notification, Outbox
from mamori.trail.models import Event

PERIOD = {"period_start": date(2026, 12, 1), "period_end": date(2026, 12, 31)}


def draft(person, kind="general.permission", **extra):
    return services.create(person, kind=kind, title="USBメモリの使用", **{**PERIOD, **extra})


def submitted(person, **extra):
    return services.submit(draft(person, **extra), person)


def actions_of(request):
    return list(
        Event.objects.filter(
            object_type="approvals.request", object_id=str(request.pk)
        ).values_list("action", flat=True)
    )


# --- approver resolution walks up the unit tree --------------------------------------------


def test_section_officer_of_own_division_is_the_approver(staff, section_officer, isec_officer):
    request = submitted(staff)
    assert request.approver == section_officer
    assert request.approver_role == "section_isec_officer"


def test_resolution_walks_up_to_the_bureau_when_division_has_no_officer(
    other_staff, section_officer, isec_officer
):
    # d2 (会計課) has no 課室情報セキュリティ責任者; its bureau b1 has an 情報セキュリティ責任者.
    request = submitted(other_staff)
    assert request.approver == isec_officer
    assert request.approver_role == "isec_officer"


def test_an_officer_applying_is_decided_by_the_next_one_up(section_officer, isec_officer):
    request = submitted(section_officer)
    assert request.approver == isec_officer


def test_org_wide_holder_is_found_last(staff, permit_authority, person_with):
    request = submitted(staff, kind="general.exception")
    assert request.approver == permit_authority


def test_no_approver_anywhere_is_a_clear_error_and_leaves_a_draft(outsider):
    request = draft(outsider)
    with pytest.raises(InvalidInput) as caught:
        services.submit(request, outsider)
    assert caught.value.code == "no_approver"
    request.refresh_from_db()
    assert request.state == State.DRAFT


# --- separation of duties -------------------------------------------------------------------


def test_nobody_approves_their_own_request(section_officer, person_with):
    # A second section officer for d1 applies; the first may decide, the applicant may not.
    other_officer = person_with("section_isec_officer", unit="d1", scope="d1")
    request = submitted(other_officer)
    assert request.approver == section_officer
    with pytest.raises(Forbidden) as caught:
        services.decide(request, other_officer, Action.APPROVE)
    assert caught.value.code == "separation_of_duties"
    assert "2.1.1(8)(a)(ア)" in caught.value.details["citation"]


def test_an_officer_of_another_unit_cannot_decide(staff, section_officer, person_with):
    elsewhere = person_with("section_isec_officer", unit="d3", scope="d3")
    request = submitted(staff)
    with pytest.raises(Forbidden):
        services.decide(request, elsewhere, Action.APPROVE)
    request.refresh_from_db()
    assert request.state == State.SUBMITTED


def test_audit_kinds_refuse_an_auditor_of_their_own_unit(person_with, units):
    kind = registry.register(
        registry.Kind(
            code="test.audit",
            label="監査",
            approver_roles=("isec_auditor",),
            citation="x",
            audit=True,
        )
    )
    own = person_with("isec_auditor", unit="d1")
    independent = person_with("isec_auditor", unit="d3")
    applicant = person_with(unit="d1")
    request = services.submit(
        services.create(applicant, kind=kind.code, title="監査計画"), applicant
    )
    assert request.approver == independent  # the one from d1 was skipped
    verdict = services.decider_verdict(own, request)
    assert not verdict.allowed and verdict.separation_of_duties
    assert "2.1.1(8)(a)(イ)" in verdict.citation


# --- transitions --------------------------------------------------------------------------------


def test_full_happy_path_records_every_step_in_the_trail(staff, section_officer):
    request = submitted(staff)
    request = services.decide(request, section_officer, Action.APPROVE, "問題なし")
    assert request.state == State.APPROVED
    assert request.decided_by == section_officer
    assert actions_of(request) == [
        "approvals.request.created",
        "approvals.request.submitted",
        "approvals.request.approved",
    ]
    from mamori.trail.verify import verify

    assert verify().ok


def test_due_date_is_counted_in_working_days(staff, section_officer):
    request = submitted(staff)
    assert request.due_date > request.submitted_at.date()
    assert request.due_date.weekday() < 5


@pytest.mark.parametrize(
    "state,action",
    [
        (State.DRAFT, Action.APPROVE),
        (State.APPROVED, Action.SUBMIT),
        (State.REJECTED, Action.APPROVE),
        (State.WITHDRAWN, Action.SUBMIT),
    ],
)
def test_moves_outside_the_map_raise(staff, section_officer, state, action):
    request = draft(staff)
    Request.objects.filter(pk=request.pk).update(state=state, approver=section_officer)
    request.refresh_from_db()
    with pytest.raises(InvalidTransition):
        if action == Action.SUBMIT:
            services.submit(request, staff)
        else:
            services.decide(request, section_officer, action, "理由")
    request.refresh_from_db()
    assert request.state == state
    assert (state, action) not in TRANSITIONS


def test_reject_needs_a_reason(staff, section_officer):
    request = submitted(staff)
    with pytest.raises(InvalidInput):
        services.decide(request, section_officer, Action.REJECT, "  ")
    request = services.decide(request, section_officer, Action.RETURN, "期間を短くしてください")
    assert request.state == State.RETURNED
    request = services.update(request, staff, period_end=date(2026, 12, 15))
    request = services.submit(request, staff)
    assert request.state == State.SUBMITTED


def test_only_the_applicant_submits_or_withdraws(staff, other_staff, section_officer):
    request = draft(staff)
    with pytest.raises(Forbidden):
        services.submit(request, other_staff)
    with pytest.raises(Forbidden):
        services.withdraw(request, section_officer)


def test_period_rules(staff):
    with pytest.raises(InvalidInput):
        services.create(staff, kind="general.permission", title="x")  # period required
    with pytest.raises(InvalidInput):
        services.create(
            staff,
            kind="general.permission",
            title="x",
            period_start=date(2026, 12, 2),
            period_end=date(2026, 12, 1),
        )
    with pytest.raises(InvalidInput):
        services.create(
            staff,
            kind="general.exception",
            title="x",
            period_start=date(2026, 1, 1),
            period_end=date(2027, 6, 1),
        )
    assert not Request.objects.exists()


def test_approved_requests_expire_after_their_period(staff, section_officer):
    request = services.decide(submitted(staff), section_officer, Action.APPROVE)
    assert services.expire_lapsed(today=PERIOD["period_end"]) == 0
    assert services.expire_lapsed(today=PERIOD["period_end"] + timedelta(days=1)) == 1
    request.refresh_from_db()
    assert request.state == State.EXPIRED
    assert "approvals.request.expired" in actions_of(request)


# --- notifications and mail -----------------------------------------------------------------------


def test_approver_is_notified_in_app_and_by_mail(
    staff, section_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = submitted(staff)
    notice = Notification.objects.get(recipient=section_officer)
    assert request.title in notice.text
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [section_officer.email]
    assert Outbox.objects.get().sent_at is not None


def test_mail_failure_keeps_the_mail_for_retry(
    staff, section_officer, settings, django_capture_on_commit_callbacks
):
    from mamori.notices.services import deliver_due

    settings.EMAIL_BACKEND = "tests.approvals.failing_mail.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        submitted(staff)
    queued = Outbox.objects.get()
    assert queued.sent_at is None and queued.attempts == 1 and "refused" in queued.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sent, failed = deliver_due(now=queued.next_attempt_at)
    assert (sent, failed) == (1, 0)
    assert Outbox.objects.get().sent_at is not None


# --- attachments --------------------------------------------------------------------------------------


def test_oversized_attachment_is_refused_and_nothing_is_saved(staff, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    request = draft(staff)
    big = SimpleUploadedFile("plan.pdf", b"x" * 2048, content_type="application/pdf")
    with pytest.raises(InvalidInput) as caught:
        services.add_attachment(request, staff, big)
    assert caught.value.code == "file_too_large"
    assert not Attachment.objects.exists()


def test_disallowed_type_is_refused(staff):
    request = draft(staff)
    with pytest.raises(InvalidInput) as caught:
        services.add_attachment(request, staff, SimpleUploadedFile("run.exe", b"MZ"))
    assert caught.value.code == "file_type_not_allowed"


def test_attachment_is_stored_under_its_hash(staff):
    request = draft(staff)
    attachment = services.add_attachment(request, staff, SimpleUploadedFile("計画.pdf", b"%PDF-1"))
    assert attachment.original_name == "計画.pdf"
    assert attachment.file.name == f"approvals/{attachment.sha256[:2]}/{attachment.sha256}"
    assert "approvals.request.attached" in actions_of(request)


# --- scoping ----------------------------------------------------------------------------------------------


def test_a_person_without_a_role_sees_no_request_of_another_unit(
    staff, other_staff, outsider, section_officer, isec_officer
):
    mine = draft(outsider)
    theirs = submitted(staff)
    visible = set(Request.objects.visible_to(outsider))
    assert visible == {mine}
    assert theirs not in set(Request.objects.visible_to(other_staff))


def test_officers_see_their_subtree_and_org_wide_roles_see_all(
    staff, other_staff, outsider, section_officer, isec_officer, ciso
):
    a, b, c = submitted(staff), submitted(other_staff), draft(outsider)
    assert set(Request.objects.visible_to(section_officer)) == {a}
    assert set(Request.objects.visible_to(isec_officer)) == {a, b}
    assert set(Request.objects.visible_to(ciso)) == {a, b, c}
