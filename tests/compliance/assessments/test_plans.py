"""The yearly plan (統一基準(H30) 2.3.1(1)): who may make it, its due dates, its states."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mamori.compliance.assessments import services, services_evaluations
from mamori.compliance.assessments.models import AssessmentPlan
from mamori.errors import Forbidden, InvalidInput, InvalidTransition

from .conftest import events, plan_dates


def test_chief_creates_a_plan_for_the_organisations_rulebooks(chief):
    plan = services.create_plan(chief, title="令和8年度 自己点検", **plan_dates())
    assert plan.state == "draft"
    assert plan.rulebooks == ["toitsu", "mic_pii"]
    assert plan.created_by == chief
    event = events("assessments.plan.created")[0]
    assert event.data["clause"] == "統一基準(H30) 2.3.1(1)"


@pytest.mark.parametrize(
    "roles", [(), ("isec_officer",), ("section_isec_officer",), ("ciso",), ("ia_officer",)]
)
def test_others_may_not_create_plans(person_with, roles):
    person = person_with(*roles, unit="b1")
    with pytest.raises(Forbidden) as refused:
        services.create_plan(person, title="x", **plan_dates())
    assert "2.3.1(1)" in str(refused.value.message)
    assert not AssessmentPlan.objects.exists()


def test_a_unit_scoped_chief_is_not_enough(person_with):
    person = person_with("chief_isec_officer", unit="b1", scope="b1")
    with pytest.raises(Forbidden):
        services.create_plan(person, title="x", **plan_dates())


def test_in_a_defence_organisation_the_ia_officer_runs_it(org, person_with):
    org.rulebooks = ["toitsu", "mod"]
    org.save()
    officer = person_with("ia_officer", unit="b1", scope="b1")
    plan = services.create_plan(officer, title="情報保証 自己点検", **plan_dates())
    assert plan.rulebooks == ["toitsu", "mod"]
    services.open_plan(plan, officer)
    assert plan.checklists.count() == 1


def test_due_dates_must_be_in_order_and_in_the_year(chief):
    dates = plan_dates()
    with pytest.raises(InvalidInput) as refused:
        services.create_plan(
            chief,
            title="x",
            **{**dates, "unit_evaluation_due": dates["answer_due"] - timedelta(days=1)},
        )
    assert "unit_evaluation_due" in refused.value.details
    with pytest.raises(InvalidInput) as refused:
        services.create_plan(
            chief,
            title="x",
            **{**dates, "org_evaluation_due": dates["unit_evaluation_due"] - timedelta(days=1)},
        )
    assert "org_evaluation_due" in refused.value.details
    with pytest.raises(InvalidInput) as refused:
        services.create_plan(chief, title="x", **{**dates, "fiscal_year": dates["fiscal_year"] + 1})
    assert "answer_due" in refused.value.details
    assert not AssessmentPlan.objects.exists()


def test_one_plan_per_year_and_only_the_organisations_rulebooks(chief):
    services.create_plan(chief, title="x", **plan_dates())
    with pytest.raises(InvalidInput):
        services.create_plan(chief, title="y", **plan_dates())
    with pytest.raises(InvalidInput) as refused:
        services.create_plan(
            chief, title="z", rulebooks=["mod"], **{**plan_dates(), "fiscal_year": 2000}
        )
    assert refused.value.details["rulebooks"] == ["mod"]


def test_open_distributes_and_cannot_be_repeated(make_plan, chief, staff):
    plan = make_plan(open=False)
    assert services.open_plan(plan, chief) >= 2
    assert plan.state == "open" and plan.opened_at is not None
    with pytest.raises(InvalidTransition):
        services.open_plan(plan, chief)


def test_staff_cannot_open_a_plan(make_plan, staff):
    plan = make_plan(open=False)
    with pytest.raises(Forbidden):
        services.open_plan(plan, staff)
    plan.refresh_from_db()
    assert plan.state == "draft"


def test_close_waits_for_the_report_to_the_ciso(make_plan, chief):
    plan = make_plan()
    with pytest.raises(InvalidInput) as refused:
        services.close_plan(plan, chief)
    assert "2.3.1(3)(b)" in str(refused.value.message)
    evaluation = services_evaluations.save_org_evaluation(
        plan, chief, summary="概ね実施されている。"
    )
    services_evaluations.report_org_evaluation(evaluation, chief)
    services.close_plan(plan, chief)
    plan.refresh_from_db()
    assert plan.state == "closed" and plan.closed_at is not None
    assert events("assessments.plan.closed")[0].data["total"] == plan.checklists.count()
