"""Evaluation of the results: each 情報セキュリティ責任者 for the units of their scope,
reported to the 統括 (2.3.1(3)(a)); the 統括 for the organisation, reported to the CISO
(2.3.1(3)(b))."""

from __future__ import annotations

import pytest

from mamori.compliance.assessments import permissions, services_evaluations
from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.notices.models import Notification

from .conftest import events


@pytest.fixture
def plan(make_plan, staff, other_staff, isec_officer):
    return make_plan()


def test_isec_officer_evaluates_and_reports_their_unit(plan, isec_officer, chief, units):
    assert [u.code for u in permissions.evaluation_units(isec_officer)] == ["b1"]
    evaluation = services_evaluations.save_unit_evaluation(
        plan, units["b1"], isec_officer, summary="提出率が低い。", unit_issues="会計課の未提出"
    )
    assert evaluation.state == "draft"
    # Rewriting a draft keeps one evaluation per unit.
    services_evaluations.save_unit_evaluation(
        plan, units["b1"], isec_officer, summary="再評価", unit_issues=""
    )
    assert plan.unit_evaluations.count() == 1
    services_evaluations.report_unit_evaluation(evaluation, isec_officer)
    evaluation.refresh_from_db()
    assert evaluation.state == "reported" and evaluation.reported_at is not None
    assert evaluation.summary == "再評価"
    notice = Notification.objects.get(recipient=chief, message__contains="評価が報告されました")
    assert "総務局" in notice.text
    assert events("assessments.unit_evaluation.reported")[0].data["notified"] == 1
    with pytest.raises(InvalidTransition):
        services_evaluations.save_unit_evaluation(plan, units["b1"], isec_officer, summary="変更")
    with pytest.raises(InvalidTransition):
        services_evaluations.report_unit_evaluation(evaluation, isec_officer)


def test_a_unit_below_the_scope_is_covered(plan, isec_officer, units):
    services_evaluations.save_unit_evaluation(plan, units["d2"], isec_officer, summary="会計課")


@pytest.mark.parametrize("who", ["outside", "section_officer", "staff", "chief"])
def test_no_evaluation_outside_ones_scope(
    plan, person_with, section_officer, staff, chief, units, who
):
    people = {
        "outside": person_with("isec_officer", unit="b2", scope="b2"),
        "section_officer": section_officer,
        "staff": staff,
        "chief": chief,
    }
    with pytest.raises(Forbidden) as refused:
        services_evaluations.save_unit_evaluation(plan, units["b1"], people[who], summary="x")
    assert "2.3.1(3)(a)" in str(refused.value.message)
    assert not plan.unit_evaluations.exists()


def test_evaluation_needs_a_summary(plan, isec_officer, units):
    with pytest.raises(InvalidInput):
        services_evaluations.save_unit_evaluation(plan, units["b1"], isec_officer, summary=" ")


def test_chief_evaluates_the_organisation_and_reports_to_every_ciso(
    plan, chief, ciso, person_with, isec_officer
):
    second_ciso = person_with("ciso", unit="b2")
    evaluation = services_evaluations.save_org_evaluation(
        plan, chief, summary="全体として実施されている。", common_issues="パスワード管理"
    )
    services_evaluations.report_org_evaluation(evaluation, chief)
    evaluation.refresh_from_db()
    assert evaluation.state == "reported"
    for person in (ciso, second_ciso):
        assert Notification.objects.filter(
            recipient=person, message__contains="組織全体の自己点検結果"
        ).exists()
    assert events("assessments.org_evaluation.reported")[0].data["notified"] == 2
    with pytest.raises(Forbidden):
        services_evaluations.save_org_evaluation(plan, isec_officer, summary="x")
    with pytest.raises(Forbidden):
        services_evaluations.save_org_evaluation(plan, ciso, summary="x")


def test_an_officer_for_the_whole_organisation_evaluates_every_top_unit(plan, person_with, units):
    officer = person_with("isec_officer", unit="b2")  # assigned for the organisation
    assert [u.code for u in permissions.evaluation_units(officer)] == ["b1", "b2"]
    services_evaluations.save_unit_evaluation(plan, units["b2"], officer, summary="情報局")


def test_in_a_defence_organisation_the_ia_officer_evaluates(org, person_with, make_plan, units):
    org.rulebooks = ["toitsu", "mod"]
    org.save()
    ia_officer = person_with("ia_officer", unit="b2", scope="b2")
    plan = make_plan()
    services_evaluations.save_unit_evaluation(plan, units["d3"], ia_officer, summary="情報課")
    with pytest.raises(Forbidden):
        services_evaluations.save_unit_evaluation(plan, units["d1"], ia_officer, summary="総務課")
