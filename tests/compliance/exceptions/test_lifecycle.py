"""A returned request corrected on this app's form, the approvals pages kept from
bypassing it (generic edit, 「終了する」), the ledger's transition map, and a second
organisation that sees and does nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from mamori.approvals import services as approvals
from mamori.compliance.exceptions import services, workflow
from mamori.compliance.exceptions.models import ExceptionRecord, RecordState
from mamori.errors import InvalidInput, InvalidTransition
from mamori.trail.models import Event

pytestmark = pytest.mark.django_db


def returned(request, decider):
    return approvals.decide(request, decider, "return", "対象範囲を具体的に")


def form_values(start, **overrides):
    values = {
        "requirement": "toitsu:2.2.2(1)(a)",
        "reason": "改めた理由",
        "scope_text": "会計システム（総務課）の端末10台",
        "period_start": start.isoformat(),
        "period_end": (start + timedelta(days=19)).isoformat(),
        "measures": "改めた代替措置",
        "submit": "1",
    }
    values.update(overrides)
    return values


def test_a_returned_request_is_corrected_and_the_ledger_takes_the_correction(
    client, login, staff, permit_authority, file_request, units
):
    request = returned(file_request(staff), permit_authority)
    login(staff)
    ledger = client.get(reverse("exceptions:list")).content.decode()
    edit = reverse("exceptions:edit", args=[request.pk])
    assert edit in ledger
    page = client.get(edit).content.decode()
    assert "旧システムの更改まで多要素認証を導入できないため" in page  # the form is filled in
    start = request.period_start
    response = client.post(edit, form_values(start, scope_units=[units["d1"].pk]))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == "submitted"
    assert "改めた理由" in request.description and "端末10台" in request.description
    assert Event.objects.filter(
        action="compliance_exceptions.request.updated", object_id=str(request.pk)
    ).exists()
    approvals.decide(request, permit_authority, "approve")
    record = ExceptionRecord.objects.get(request=request)
    assert record.reason == "改めた理由"
    assert record.scope == "会計システム（総務課）の端末10台"
    assert record.measures == "改めた代替措置"
    assert record.period_end == start + timedelta(days=19)
    assert list(record.scope_units.all()) == [units["d1"]]


def test_the_edit_page_is_the_applicants_and_only_while_editable(
    client, login, staff, other_staff, permit_authority, file_request
):
    request = file_request(staff)
    edit = reverse("exceptions:edit", args=[request.pk])
    login(other_staff)
    assert client.get(edit).status_code == 404
    login(permit_authority)
    assert client.get(edit).status_code == 404
    login(staff)
    assert client.get(edit).status_code == 302  # submitted: not editable
    returned(request, permit_authority)
    response = client.post(edit, form_values(date.today(), reason=""))
    assert response.status_code == 200  # the form again, nothing changed
    request.refresh_from_db()
    assert request.state == "returned"


def test_the_generic_edit_form_cannot_change_the_text_alone(
    client, login, staff, permit_authority, file_request
):
    request = returned(file_request(staff), permit_authority)
    login(staff)
    response = client.post(
        reverse("approvals:edit", args=[request.pk]),
        {
            "title": request.title,
            "description": "理由:\n書き換えた理由",
            "period_start": request.period_start.isoformat(),
            "period_end": request.period_end.isoformat(),
            "conditions": request.conditions,
        },
    )
    assert response.status_code == 200
    assert "申請を修正する" in response.content.decode()
    request.refresh_from_db()
    assert "書き換えた理由" not in request.description
    # The period and measures may change there: the ledger takes them from the request.
    response = client.post(
        reverse("approvals:edit", args=[request.pk]),
        {
            "title": request.title,
            "description": request.description.replace("\n", "\r\n"),
            "period_start": request.period_start.isoformat(),
            "period_end": (request.period_end + timedelta(days=5)).isoformat(),
            "conditions": "別の代替措置",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    approvals.decide(request, permit_authority, "approve")
    record = request.exception_record
    assert record.measures == "別の代替措置" and record.period_end == request.period_end


def test_closing_on_the_approvals_page_is_refused_and_points_to_the_end_report(
    client, login, staff, granted
):
    record = granted()
    login(staff)
    response = client.post(
        reverse("approvals:act", args=[record.request_id]), {"action": "close"}, follow=True
    )
    text = response.content.decode()
    assert "終了報告" in text and record.reference in text
    record.refresh_from_db()
    assert record.state == RecordState.ACTIVE and record.request.state == "approved"
    with pytest.raises(InvalidTransition):
        approvals.close(record.request, staff)
    services.report_end(record, staff, ended_on=date.today(), restored="多要素認証を導入した")
    record.refresh_from_db()
    assert record.state == RecordState.ENDED and record.request.state == "closed"


def test_the_ledger_moves_only_along_its_transitions(staff, permit_authority, granted):
    assert set(workflow.TRANSITIONS.values()) == {
        RecordState.ENDED,
        RecordState.EXPIRED,
        RecordState.REVOKED,
    }
    ended = granted()
    services.report_end(ended, staff, ended_on=date.today(), restored="戻した")
    with pytest.raises(InvalidTransition):
        services.revoke(ended, permit_authority, "遅い")
    with pytest.raises(InvalidTransition):
        services.report_end(ended, staff, ended_on=date.today(), restored="二度目")
    revoked = granted()
    services.revoke(revoked, permit_authority, "守られていない")
    with pytest.raises(InvalidTransition):
        services.report_end(revoked, staff, ended_on=date.today(), restored="x")
    ended.refresh_from_db()
    revoked.refresh_from_db()
    assert (ended.state, revoked.state) == (RecordState.ENDED, RecordState.REVOKED)


def test_a_bad_correction_changes_nothing(staff, permit_authority, file_request):
    request = returned(file_request(staff), permit_authority)
    before = request.description
    with pytest.raises(InvalidInput):
        services.update_request(
            request,
            staff,
            rulebook="toitsu",
            clause_id="2.2.2(1)(a)",
            reason="新しい理由",
            scope_text="範囲",
            measures="",
            period_start=date.today(),
            period_end=date.today(),
        )
    request.refresh_from_db()
    assert request.description == before


def test_a_second_organisation_sees_and_does_nothing(
    client, login, staff, permit_authority, granted, file_request, other_org_person
):
    record = granted()
    draft = file_request(staff, submit=False)
    stranger = other_org_person("ciso", "permit_authority")
    login(stranger)
    assert record.reference not in client.get(reverse("exceptions:list")).content.decode()
    assert client.get(reverse("exceptions:detail", args=[record.pk])).status_code == 404
    assert client.get(reverse("exceptions:edit", args=[draft.pk])).status_code == 404
    for name, data in (
        ("exceptions:end", {"ended_on": date.today().isoformat(), "restored": "x"}),
        ("exceptions:revoke", {"reason": "x"}),
    ):
        assert client.post(reverse(name, args=[record.pk]), data).status_code == 404
    assert client.get("/api/exceptions/records").json()["count"] == 0
    assert client.get(f"/api/exceptions/records/{record.pk}").status_code == 404
    export = client.get(reverse("exceptions:export"))
    assert record.reference not in b"".join(export.streaming_content).decode("utf-8-sig")
    # Their CISO page lists their own organisation only and cannot end our designations.
    from mamori.org.models import RoleAssignment

    ours = RoleAssignment.objects.get(person=permit_authority, role="permit_authority")
    assert (
        str(permit_authority) not in client.get(reverse("exceptions:authorities")).content.decode()
    )
    assert client.post(reverse("exceptions:end_designation", args=[ours.pk])).status_code == 404
    ours.refresh_from_db()
    assert ours.valid_to is None
    record.refresh_from_db()
    assert record.state == RecordState.ACTIVE


def test_a_permit_authority_of_another_unit_cannot_revoke(
    client, login, person_with, staff, permit_authority, granted
):
    record = granted()
    elsewhere = person_with("permit_authority", unit="d3", scope="b2")
    login(elsewhere)
    assert (
        client.post(reverse("exceptions:revoke", args=[record.pk]), {"reason": "x"}).status_code
        == 404
    )
    record.refresh_from_db()
    assert record.state == RecordState.ACTIVE
