"""Fixtures of the self-assessment tests: the 統括, a plan opened for the fixture
organisation of tests/conftest.py (総務局 b1: 総務課 d1, 会計課 d2; 情報局 b2: 情報課 d3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mamori.rules import deadlines


def plan_dates(today=None):
    """Due dates inside the current 年度, in order."""
    today = today or timezone.localdate()
    year = deadlines.fiscal_year(today)
    answer_due = min(today + timedelta(days=20), deadlines.fiscal_year_end(year))
    return {
        "fiscal_year": year,
        "answer_due": answer_due,
        "unit_evaluation_due": answer_due + timedelta(days=10),
        "org_evaluation_due": answer_due + timedelta(days=20),
    }


@pytest.fixture
def chief(person_with):
    """The 統括 (org-wide), with TOTP set up as MFA policy requires of the role."""
    from tests.conftest import with_totp

    person = person_with("chief_isec_officer", unit="b1", username="chief")
    with_totp(person)
    return person


@pytest.fixture
def make_plan(chief):
    from mamori.compliance.assessments import services

    def make(actor=None, *, open=True, **overrides):
        values = {"title": "自己点検", **plan_dates(), **overrides}
        plan = services.create_plan(actor or chief, **values)
        if open:
            services.open_plan(plan, actor or chief)
            plan.refresh_from_db()
        return plan

    return make


@pytest.fixture
def checklist_of():
    from mamori.compliance.assessments.models import Checklist

    def get(plan, person):
        return Checklist.objects.get(plan=plan, person=person)

    return get


@pytest.fixture
def answer_all(checklist_of):
    """Answer every item of the person's checklist with `value` (and a comment)."""
    from mamori.compliance.assessments import services_answers

    def answer(plan, person, value="done", *, submit=False):
        checklist = checklist_of(plan, person)
        services_answers.answer_items(
            checklist,
            person,
            {pk: (value, "理由") for pk in checklist.items.values_list("pk", flat=True)},
        )
        if submit:
            services_answers.submit_checklist(checklist, person)
        checklist.refresh_from_db()
        return checklist

    return answer


def events(action):
    from mamori.trail.models import Event

    return list(Event.objects.filter(action=action).order_by("seq"))
