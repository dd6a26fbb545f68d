"""Holes found in review, each pinned by a test that failed before its fix."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mamori.api import services as tokens
from mamori.approvals import registry, services
from mamori.approvals.workflow import Action, State
from mamori.errors import Forbidden, InvalidTransition
from mamori.org import scope
from mamori.org.models import RoleAssignment

PERIOD = {"period_start": date(2026, 12, 1), "period_end": date(2026, 12, 2)}


def submitted(person, title="持出し"):
    return services.submit(
        services.create(person, kind="general.permission", title=title, **PERIOD), person
    )


def test_an_approver_whose_role_has_ended_can_no_longer_decide(staff, section_officer):
    request = submitted(staff)
    RoleAssignment.objects.filter(person=section_officer).update(
        valid_from=date(2020, 1, 1), valid_to=date.today() - timedelta(days=1)
    )
    fresh = type(section_officer).objects.get(pk=section_officer.pk)
    with pytest.raises(Forbidden):
        services.decide(request, fresh, Action.APPROVE)


def test_a_token_without_the_approver_role_cannot_decide(client, staff, section_officer):
    request = submitted(staff)
    _token, text = tokens.create_token(section_officer, name="read only", roles=[])
    response = client.post(
        f"/api/approvals/requests/{request.pk}/decision",
        data={"action": "approve"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {text}",
    )
    assert response.status_code in (403, 404)
    request.refresh_from_db()
    assert request.state == State.SUBMITTED


def test_narrowing_a_token_never_weakens_the_own_unit_audit_check(person_with):
    kind = registry.register(
        registry.Kind(
            code="test.audit2",
            label="監査",
            approver_roles=("isec_auditor",),
            citation="x",
            audit=True,
        )
    )
    auditor = person_with("isec_auditor", unit="d3")
    RoleAssignment.objects.create(
        person=auditor,
        role="pii_manager",
        organization=auditor.organization,
        unit=person_with().unit,
    )
    applicant = person_with(unit="d1")
    request = services.create(applicant, kind=kind.code, title="監査")
    scope.limit_roles(auditor, ["isec_auditor"])
    assert not services.decider_verdict(auditor, request).allowed


def test_only_applicant_and_decider_attach_and_never_after_the_decision(
    staff, section_officer, ciso
):
    request = submitted(staff)
    file = SimpleUploadedFile("memo.pdf", b"%PDF")
    services.add_attachment(request, section_officer, file)  # the decider, while deciding
    with pytest.raises(Forbidden):
        services.add_attachment(request, ciso, SimpleUploadedFile("x.pdf", b"%PDF"))
    services.decide(request, section_officer, Action.APPROVE)
    with pytest.raises((Forbidden, InvalidTransition)):
        services.add_attachment(request, section_officer, SimpleUploadedFile("y.pdf", b"%PDF"))


def test_edits_are_checked_against_the_locked_row(staff, section_officer):
    request = services.create(staff, kind="general.permission", title="a", **PERIOD)
    stale = type(request).objects.get(pk=request.pk)
    services.submit(request, staff)
    with pytest.raises(InvalidTransition):
        services.update(stale, staff, title="changed after submission")


def test_inactive_accounts_are_never_chosen_as_approver(staff, section_officer, isec_officer):
    section_officer.user.is_active = False
    section_officer.user.save()
    assert submitted(staff).approver == isec_officer


def test_titles_are_one_line_so_notification_mail_goes_out(staff, section_officer):
    request = submitted(staff, title="持出し\r\nBcc: someone@example.com")
    assert "\n" not in request.title and "\r" not in request.title


def test_null_text_fields_over_the_api_are_not_a_500(client, staff):
    request = services.create(staff, kind="general.permission", title="a", **PERIOD)
    _token, text = tokens.create_token(staff, name="t")
    response = client.patch(
        f"/api/approvals/requests/{request.pk}",
        data={"description": None, "conditions": None},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {text}",
    )
    assert response.status_code == 200


def test_huge_offsets_are_refused_not_crashed(client, staff):
    _token, text = tokens.create_token(staff, name="t")
    response = client.get(
        "/api/approvals/requests", {"offset": 10**22}, HTTP_AUTHORIZATION=f"Bearer {text}"
    )
    assert response.status_code == 400


def test_roster_shows_only_what_the_roster_role_covers(client, login, section_officer, outsider):
    RoleAssignment.objects.create(
        person=section_officer, role="cymat", organization=section_officer.organization
    )
    login(section_officer)
    page = client.get("/org/people/").content.decode()
    assert outsider.display_name not in page


def test_api_docs_assets_are_served_locally(client, db):
    page = client.get("/api/docs").content.decode()
    assert "cdn.jsdelivr" not in page and "/static/ninja/" in page


def test_unknown_mfa_roles_stop_start_up():
    import os
    import subprocess
    import sys

    env = {**os.environ, "MAMORI_MFA_REQUIRED_ROLES": "ciso,cisoo"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "cisoo" in result.stderr
