"""Audit and plan state machines, the checklist drawn from the catalog, instructions,
improvement plans, trail events and notices."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.compliance.audits.conftest import soon

from mamori.errors import Forbidden, InvalidInput, InvalidTransition


def _actions():
    from mamori.trail.models import Event

    return list(Event.objects.order_by("seq").values_list("action", flat=True))


def test_checklist_comes_from_the_chosen_sections_and_the_units_roles(
    make_audit, isec_officer, section_officer
):
    audit = make_audit(sections=("2.3",))
    ids = set(audit.checklist.values_list("requirement_id", flat=True))
    # isec_officer of the bureau above 総務課 answers for it; the CISO's and the
    # auditor's own clauses are not questions for the audited unit.
    assert {"2.3.1(1)(b)", "2.3.1(3)(a)", "2.3.2(3)(c)"} <= ids
    assert "2.3.2(3)(a)" not in ids and "2.3.2(1)(b)" not in ids
    assert all(i.startswith("2.3") for i in ids)
    row = audit.checklist.get(requirement_id="2.3.2(3)(c)")
    assert row.citation == "統一基準(H30) 2.3.2(3)(c)" and row.result == "not_yet"


def test_unknown_section_is_refused(make_audit):
    with pytest.raises(InvalidInput) as refused:
        make_audit(sections=("9.9",))
    assert "9.9" in str(refused.value.message)


def test_state_machine_refuses_invalid_moves(make_audit, auditor):
    from mamori.compliance.audits import services, workflow

    audit = make_audit()
    with pytest.raises(InvalidTransition):
        services.issue_report(audit, auditor, summary="まだ実施していない")
    audit = services.start_audit(audit, auditor)
    with pytest.raises(InvalidTransition) as refused:
        services.start_audit(audit, auditor)
    assert "「実施中」から「実施中」" in str(refused.value.message)
    with pytest.raises(InvalidTransition):
        services.close_audit(audit, auditor)
    with pytest.raises(InvalidTransition):
        workflow.check_audit("closed", "planned")
    audit = services.issue_report(audit, auditor, summary="概要")
    assert audit.state == "reported"
    assert services.close_audit(audit, auditor).state == "closed"


def test_findings_need_a_running_audit_and_a_team_member(make_audit, auditor, staff, units):
    from mamori.compliance.audits import services

    audit = make_audit()
    with pytest.raises(InvalidInput):
        services.record_finding(
            audit, auditor, severity="minor", clause="c", description="d", unit=units["d1"]
        )
    services.start_audit(audit, auditor)
    audit.refresh_from_db()
    with pytest.raises(Forbidden):
        services.record_finding(
            audit, staff, severity="minor", clause="c", description="d", unit=units["d1"]
        )


def test_finding_evidence_is_checked_and_hashed(isec_officer, running_audit, auditor, units):
    from mamori.compliance.audits import services

    good = SimpleUploadedFile("記録.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    finding = services.record_finding(
        running_audit,
        auditor,
        severity="medium",
        requirement_id="2.3.1(3)(a)",
        description="評価記録がない",
        unit=units["d1"],
        attachments=[good],
    )
    assert finding.clause == "統一基準(H30) 2.3.1(3)(a)"
    evidence = finding.evidence.get()
    import hashlib

    assert evidence.sha256 == hashlib.sha256(b"%PDF-1.4 evidence").hexdigest()
    assert running_audit.checklist.get(requirement_id="2.3.1(3)(a)").result == "finding"
    bad = SimpleUploadedFile("tool.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(InvalidInput) as refused:
        services.record_finding(
            running_audit,
            auditor,
            severity="minor",
            clause="c",
            description="d",
            unit=units["d1"],
            attachments=[bad],
        )
    assert "tool.exe" in str(refused.value.message)
    assert running_audit.findings.count() == 1


def test_report_notifies_the_ciso_and_records_trail(reported_audit, ciso):
    from mamori.notices.models import Notification

    notice = Notification.objects.get(recipient=ciso)
    assert "監査報告書が提出されました" in notice.message
    assert notice.params["count"] == 2
    actions = _actions()
    assert actions.count("audits.finding.recorded") == 2
    assert {"audits.audit.planned", "audits.audit.started", "audits.audit.reported"} <= set(actions)


def test_only_the_ciso_issues_instructions(reported_audit, auditor, chief, isec_officer):
    from mamori.compliance.audits import services_plans

    for person in (auditor, chief, isec_officer):
        with pytest.raises(Forbidden) as refused:
            services_plans.issue_instructions(
                reported_audit, person, instruction="改善せよ", due_date=soon()
            )
        assert "2.3.2(3)(a)" in str(refused.value.message)
    assert not reported_audit.plans.exists()


def test_instructions_go_to_the_chief_and_the_units_officer(
    instructed, chief, isec_officer, person_with
):
    from mamori.notices.models import Notification

    by_officer = {plan.officer: plan for plan in instructed}
    assert set(by_officer) == {chief, isec_officer}
    assert by_officer[chief].cross_cutting
    assert by_officer[isec_officer].unit.code == "b1"
    assert by_officer[isec_officer].findings.get().severity == "major"
    for officer in (chief, isec_officer):
        assert Notification.objects.filter(
            recipient=officer, message__contains="改善計画の策定を指示されました"
        ).exists()
    assert "audits.plan.instructed" in _actions()


def test_the_closest_officer_gets_the_unit_finding(
    reported_audit, ciso, chief, isec_officer, person_with
):
    from mamori.compliance.audits import services_plans

    d1_officer = person_with("isec_officer", unit="d1", scope="d1")
    plans = services_plans.issue_instructions(
        reported_audit, ciso, instruction="改善せよ", due_date=soon()
    )
    assert {p.officer for p in plans} == {chief, d1_officer}


def test_a_plan_cannot_close_while_any_item_is_open(instructed, ciso, isec_officer, staff):
    from mamori.compliance.audits import services_plans

    plan = next(p for p in instructed if p.officer == isec_officer)
    first = services_plans.add_item(
        plan, isec_officer, measure="評価手順を定める", owner=isec_officer, due_date=soon(5)
    )
    services_plans.add_item(
        plan, isec_officer, measure="課員に周知する", owner=staff, due_date=soon(20)
    )
    services_plans.complete_item(first, isec_officer, result="手順を定めた")
    with pytest.raises(InvalidTransition) as refused:
        services_plans.close_plan(plan, ciso)
    assert "未完了の改善措置が1件" in str(refused.value.message)
    plan.refresh_from_db()
    assert plan.state == "instructed"
    with pytest.raises(Forbidden):
        services_plans.close_plan(plan, isec_officer)  # the CISO accepts the results


def test_a_plan_closes_once_every_item_is_done(instructed, ciso, isec_officer, staff, auditor):
    from mamori.compliance.audits import services, services_plans
    from mamori.notices.models import Notification

    plan = next(p for p in instructed if p.officer == isec_officer)
    item = services_plans.add_item(
        plan, isec_officer, measure="課員に周知する", owner=staff, due_date=soon(5)
    )
    assert Notification.objects.filter(recipient=staff).exists()
    with pytest.raises(Forbidden):
        services_plans.complete_item(item, ciso, result="x")
    services_plans.complete_item(item, staff, result="周知した")
    plan = services_plans.report_plan(plan, isec_officer, summary="措置を完了した")
    assert Notification.objects.filter(
        recipient=ciso, message__contains="改善計画と措置結果"
    ).exists()
    plan = services_plans.close_plan(plan, ciso)
    assert plan.state == "closed"
    assert set(plan.findings.values_list("state", flat=True)) == {"resolved"}
    audit = plan.audit
    with pytest.raises(InvalidTransition) as refused:  # the 統括's plan is still open
        services.close_audit(audit, ciso)
    assert "1件" in str(refused.value.message)
    with pytest.raises(InvalidTransition):
        services_plans.close_plan(plan, ciso)


def test_reported_plan_can_be_returned(instructed, ciso, isec_officer):
    from mamori.compliance.audits import services_plans

    plan = next(p for p in instructed if p.officer == isec_officer)
    services_plans.add_item(plan, isec_officer, measure="m", owner=isec_officer, due_date=soon())
    plan = services_plans.report_plan(plan, isec_officer, summary="s")
    plan = services_plans.return_plan(plan, ciso, note="期限を見直すこと")
    assert plan.state == "instructed"
    with pytest.raises(InvalidTransition):
        services_plans.return_plan(plan, ciso)


def test_report_pdf_contains_the_findings(client, login, reported_audit, ciso):
    import pypdfium2
    from django.urls import reverse

    login(ciso)
    response = client.get(reverse("audits:report_pdf", args=[reported_audit.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    document = pypdfium2.PdfDocument(io.BytesIO(response.content))
    text = "".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    text = "".join(text.split())
    assert "監査報告書" in text
    assert "自己点検結果の評価が行われていない" in text
    assert "全庁的に教育記録の様式が統一されていない" in text
    assert reported_audit.number in text


def test_a_personal_information_audit_reports_to_the_pii_chief_too(person_with, units, ciso):
    """総務省訓令 第41条: the 監査責任者 reports to the 総括保護管理者."""
    from datetime import timedelta

    from django.utils import timezone

    from mamori.compliance.audits import services
    from mamori.notices.models import Notification

    pii_auditor = person_with("pii_auditor", unit="d3")
    pii_chief = person_with("pii_chief", unit="b2")
    today = timezone.localdate()
    audit = services.plan_audit(
        pii_auditor,
        title="保有個人情報の管理状況の監査",
        kind="periodic",
        units=[units["d1"]],
        start_date=today,
        end_date=today + timedelta(days=3),
        rulebooks=["mic_pii"],
    )
    audit = services.start_audit(audit, pii_auditor)
    services.issue_report(audit, pii_auditor, summary="管理状況を監査した")
    assert Notification.objects.filter(recipient=pii_chief).exists()
    assert Notification.objects.filter(recipient=ciso).exists()


def test_a_plan_closes_only_once_reported_and_is_fixed_once_reported(
    instructed, ciso, isec_officer
):
    from mamori.compliance.audits import services_plans

    plan = next(p for p in instructed if p.officer == isec_officer)
    item = services_plans.add_item(
        plan, isec_officer, measure="m", owner=isec_officer, due_date=soon()
    )
    services_plans.complete_item(item, isec_officer, result="r")
    with pytest.raises(InvalidTransition) as refused:  # never reported to the CISO
        services_plans.close_plan(plan, ciso)
    assert "報告を受けてから" in str(refused.value.message)
    plan = services_plans.report_plan(plan, isec_officer, summary="s")
    with pytest.raises(InvalidInput):
        services_plans.add_item(
            plan, isec_officer, measure="後から", owner=isec_officer, due_date=soon()
        )
    assert plan.items.count() == 1
    with pytest.raises(InvalidTransition):  # done twice
        services_plans.complete_item(item, isec_officer, result="again")
    assert services_plans.close_plan(plan, ciso).state == "closed"


def test_an_item_due_in_the_past_is_refused(instructed, isec_officer):
    from mamori.compliance.audits import services_plans

    plan = next(p for p in instructed if p.officer == isec_officer)
    with pytest.raises(InvalidInput):
        services_plans.add_item(
            plan, isec_officer, measure="m", owner=isec_officer, due_date=soon(-1)
        )
    assert not plan.items.exists()


def test_an_audit_does_not_close_while_a_finding_waits_for_instruction(reported_audit, ciso):
    from mamori.compliance.audits import services

    with pytest.raises(InvalidTransition) as refused:
        services.close_audit(reported_audit, ciso)
    assert "改善が指示されていない指摘事項が2件" in str(refused.value.message)
    reported_audit.refresh_from_db()
    assert reported_audit.state == "reported"


def test_an_observation_alone_does_not_keep_the_audit_open(running_audit, auditor, units):
    from mamori.compliance.audits import services

    services.record_finding(
        running_audit,
        auditor,
        severity="observation",
        clause="c",
        description="参考までに",
        unit=units["d1"],
    )
    audit = services.issue_report(running_audit, auditor, summary="s")
    assert services.close_audit(audit, auditor).state == "closed"
