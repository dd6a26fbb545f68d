"""A sample yearly self-assessment for the demo, run through the services like a real one:
the 統括情報セキュリティ責任者 drafts and opens this 年度's plan (every member of staff gets
a checklist), a dozen people answer with a mix of answers and submit, a few more are half
way, and one 情報セキュリティ責任者 evaluates their unit and reports it.

Called by mamori.org.demo for an organisation that has no plan yet, so a second
`mamori demo` run adds nothing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from mamori.compliance.assessments import (
    permissions,
    services,
    services_answers,
    services_evaluations,
)
from mamori.compliance.assessments.models import AssessmentPlan, Checklist
from mamori.compliance.assessments.workflow import Answer, ChecklistState
from mamori.org import scope
from mamori.rules import deadlines

SUBMITTERS = 12  # people who answer everything and submit
IN_PROGRESS = 3  # people who have answered some items only
COMMENTS = {
    Answer.PARTIAL: "一部の端末で対応が完了していないため、年度内に完了させる予定です。",
    Answer.NOT_DONE: "担当者の異動により未対応です。次回の課内会議で対応を決めます。",
}


def _answer(item_index: int, person_index: int) -> str:
    """A fixed mix: about 70% 実施している, 15% 一部実施, 10% 実施していない, 5% 該当しない."""
    value = (item_index * 7 + person_index * 3) % 20
    if value < 14:
        return Answer.DONE
    if value < 17:
        return Answer.PARTIAL
    if value < 19:
        return Answer.NOT_DONE
    return Answer.NA


def _holder(people: dict, role: str, *, org_wide: bool):
    for person in people.values():
        for assignment in scope.active_assignments(person):
            if assignment.role == role and (assignment.unit_id is None) == org_wide:
                return person
    return None


def _due_dates(year: int):
    today = timezone.localdate()
    end = deadlines.fiscal_year_end(year)
    latest = end + timedelta(days=services.EVALUATION_GRACE_DAYS)
    answer_due = min(today + timedelta(days=30), end)
    unit_due = min(answer_due + timedelta(days=14), latest)
    org_due = min(unit_due + timedelta(days=14), latest)
    return answer_due, unit_due, org_due


def _answer_all(checklist: Checklist, person, person_index: int, *, upto: int | None = None):
    items = list(checklist.items.order_by("position").values_list("pk", flat=True))
    chosen = items if upto is None else items[:upto]
    answers = {}
    for index, item_id in enumerate(chosen):
        answer = _answer(index, person_index)
        answers[item_id] = (answer, COMMENTS.get(answer, ""))
    if answers:
        services_answers.answer_items(checklist, person, answers)


def build_assessments(org, people: dict) -> int:
    """Create, open and partly answer this 年度's self-assessment of `org`; returns the
    number of checklists distributed (0 when the organisation already has a plan, or no
    統括情報セキュリティ責任者 among `people`). `people` maps usernames to Person rows."""
    if AssessmentPlan.objects.filter(organization=org).exists():
        return 0
    chief = _holder(people, "chief_isec_officer", org_wide=True)
    if chief is None:
        return 0
    year = deadlines.fiscal_year(timezone.localdate())
    answer_due, unit_due, org_due = _due_dates(year)
    plan = services.create_plan(
        chief,
        fiscal_year=year,
        title=f"{year}年度 情報セキュリティ対策の自己点検",
        answer_due=answer_due,
        unit_evaluation_due=unit_due,
        org_evaluation_due=org_due,
        notes="各職員等は回答期限までに自己点検票に回答し、提出してください。",
    )
    distributed = services.open_plan(plan, chief)

    checklists = {
        c.person_id: c for c in Checklist.objects.filter(plan=plan).select_related("person")
    }
    # Members of staff without a role answer first (they are the many), officers after.
    ordered = sorted(
        (p for p in people.values() if p.pk in checklists),
        key=lambda p: bool(scope.active_assignments(p)),
    )
    submitters = ordered[: min(SUBMITTERS, max(0, len(ordered) - 2))]
    partial = ordered[len(submitters) : len(submitters) + IN_PROGRESS]
    for index, person in enumerate(submitters):
        checklist = checklists[person.pk]
        _answer_all(checklist, person, index)
        services_answers.submit_checklist(checklist, person)
    for index, person in enumerate(partial, start=len(submitters)):
        checklist = checklists[person.pk]
        _answer_all(checklist, person, index, upto=max(1, checklist.item_count // 2))

    _evaluate_one_unit(plan, people, {p.pk for p in submitters})
    return distributed


def _evaluate_one_unit(plan, people: dict, submitted_ids: set[int]) -> None:
    """The 情報セキュリティ責任者 whose unit has most submitted checklists reports on it."""
    best = None
    paths = dict(
        Checklist.objects.filter(plan=plan, state=ChecklistState.SUBMITTED).values_list(
            "person_id", "unit__path"
        )
    )
    for person in people.values():
        for unit in permissions.evaluation_units(person):
            count = sum(1 for pid in submitted_ids if (paths.get(pid) or "").startswith(unit.path))
            if count and (best is None or count > best[0]):
                best = (count, person, unit)
    if best is None:
        return
    _count, officer, unit = best
    evaluation = services_evaluations.save_unit_evaluation(
        plan,
        unit,
        officer,
        summary="提出された自己点検票を確認した。大半の項目は実施されているが、"
        "一部実施・未実施の項目が残っている。",
        unit_issues="端末の設定変更が一部で遅れている。課室情報セキュリティ責任者を通じて"
        "期限を定めて対応させる。",
    )
    services_evaluations.report_unit_evaluation(evaluation, officer)
