"""The demo's self-assessment: made through the services on the fixtures' organisation,
a dozen people submit, one unit evaluation is reported, and a second run adds nothing."""

from __future__ import annotations

import pytest

from mamori.compliance.assessments.demo import build_assessments
from mamori.compliance.assessments.models import (
    AssessmentPlan,
    Checklist,
    ChecklistItem,
    UnitEvaluation,
)
from mamori.rules import deadlines
from mamori.trail.models import Event


@pytest.fixture
def people(person_with, staff, other_staff, outsider, isec_officer, section_officer):
    everyone = {
        "chief-isec": person_with("chief_isec_officer", unit="b1", username="chief-isec"),
        "ciso": person_with("ciso", unit="b1", username="ciso"),
        "staff": staff,
        "other-staff": other_staff,
        "outsider": outsider,
        "isec-officer": isec_officer,
        "section-officer": section_officer,
    }
    for n in range(12):
        username = f"member{n:02d}"
        everyone[username] = person_with(unit=("d1", "d2", "d3")[n % 3], username=username)
    return everyone


def test_demo_plan_is_open_answered_and_evaluated(org, people, units):
    from django.utils import timezone

    distributed = build_assessments(org, people)
    plan = AssessmentPlan.objects.get(organization=org)
    assert plan.state == "open"
    assert plan.fiscal_year == deadlines.fiscal_year(timezone.localdate())
    assert plan.created_by == people["chief-isec"]
    assert distributed == len(people) == Checklist.objects.filter(plan=plan).count()

    submitted = Checklist.objects.filter(plan=plan, state="submitted")
    assert submitted.count() == 12
    # members of staff without a role answer first
    assert not submitted.filter(person__role_assignments__isnull=False).exists()
    assert Checklist.objects.filter(plan=plan, state="in_progress").count() == 3
    answers = set(
        ChecklistItem.objects.filter(checklist__plan=plan).values_list("answer", flat=True)
    )
    assert {"done", "partial", "not_done", "na", ""} <= answers
    assert not ChecklistItem.objects.filter(
        checklist__plan=plan, answer__in=["partial", "not_done"], comment=""
    ).exists()

    evaluation = UnitEvaluation.objects.get(plan=plan)
    assert evaluation.state == "reported"
    assert evaluation.evaluator == people["isec-officer"]
    assert evaluation.unit == units["b1"]
    actions = set(Event.objects.values_list("action", flat=True))
    assert {
        "assessments.plan.created",
        "assessments.plan.opened",
        "assessments.checklist.submitted",
        "assessments.unit_evaluation.reported",
    } <= actions


def test_a_second_run_adds_nothing(org, people):
    build_assessments(org, people)
    items = ChecklistItem.objects.count()
    assert build_assessments(org, people) == 0
    assert AssessmentPlan.objects.count() == 1
    assert ChecklistItem.objects.count() == items


def test_without_a_chief_nothing_is_made(org, staff, other_staff):
    assert build_assessments(org, {"staff": staff, "other": other_staff}) == 0
    assert not AssessmentPlan.objects.exists()


def test_the_demo_dashboard_shows_the_figures(client, login, org, people):
    from tests.conftest import with_totp

    build_assessments(org, people)
    ciso = people["ciso"]
    with_totp(ciso)
    login(ciso)
    response = client.get("/self-assessment/dashboard/")
    assert response.status_code == 200
    total = Checklist.objects.count()
    assert f"12 / {total}" in response.content.decode()
    assert 'id="asd-evaluations">1 / 1<' in response.content.decode()
