"""The self-assessment over the API: one's checklists, one checklist with its items, and
answering (統一基準(H30) 2.3.1). The same service functions as the pages."""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from mamori.compliance.assessments import services_answers
from mamori.compliance.assessments.dashboards import requirement_label
from mamori.compliance.assessments.models import Checklist
from mamori.compliance.assessments.workflow import PlanState

router = Router(tags=["self-assessment"])


class ChecklistOut(Schema):
    id: int
    plan_id: int
    fiscal_year: int
    title: str
    state: str
    due_date: date
    item_count: int
    answered_count: int
    submitted_at: datetime | None


class ItemOut(Schema):
    id: int
    rulebook: str
    requirement_id: str
    citation: str
    text: str
    answer: str
    comment: str
    answered_at: datetime | None
    added_in_revision: int


class ChecklistDetail(ChecklistOut):
    person_id: int
    unit_id: int | None
    roles: list[str]
    items: list[ItemOut]


class AnswerIn(Schema):
    item_id: int
    answer: str = Field(..., max_length=20, description="done | partial | not_done | na | ''")
    comment: str = Field("", max_length=10000)


class AnswersIn(Schema):
    answers: list[AnswerIn] = Field(..., max_length=2000)


def _get(request, pk: int) -> Checklist:
    return get_object_or_404(
        Checklist.objects.visible_to(request.person)
        .exclude(plan__state=PlanState.DRAFT)
        .select_related("plan"),
        pk=pk,
    )


def _summary(checklist: Checklist) -> dict:
    return {
        "id": checklist.pk,
        "plan_id": checklist.plan_id,
        "fiscal_year": checklist.plan.fiscal_year,
        "title": checklist.plan.title,
        "state": checklist.state,
        "due_date": checklist.due_date,
        "item_count": checklist.item_count,
        "answered_count": checklist.answered_count,
        "submitted_at": checklist.submitted_at,
    }


def _detail(checklist: Checklist) -> dict:
    items = []
    catalogs: dict = {}  # each catalog read once (an imported catalog costs a query)
    for item in checklist.items.order_by("position", "id"):
        citation, text = requirement_label(item.rulebook, item.requirement_id, catalogs)
        items.append(
            {
                "id": item.pk,
                "rulebook": item.rulebook,
                "requirement_id": item.requirement_id,
                "citation": citation,
                "text": text,
                "answer": item.answer,
                "comment": item.comment,
                "answered_at": item.answered_at,
                "added_in_revision": item.added_in_revision,
            }
        )
    return {
        **_summary(checklist),
        "person_id": checklist.person_id,
        "unit_id": checklist.unit_id,
        "roles": checklist.roles,
        "items": items,
    }


@router.get("/checklists", response=list[ChecklistOut])
def my_checklists(request):
    """The caller's own checklists, newest 年度 first."""
    return [
        _summary(checklist)
        for checklist in Checklist.objects.filter(person=request.person)
        .exclude(plan__state=PlanState.DRAFT)
        .select_related("plan")
        .order_by("-plan__fiscal_year", "-id")
    ]


@router.get("/checklists/{pk}", response=ChecklistDetail)
def get_checklist(request, pk: int):
    return _detail(_get(request, pk))


@router.post("/checklists/{pk}/answers", response=ChecklistDetail)
def answer(request, pk: int, payload: AnswersIn):
    """Save answers of one's own checklist; nothing is saved if any answer is invalid."""
    checklist = _get(request, pk)
    services_answers.answer_items(
        checklist,
        request.person,
        {a.item_id: (a.answer, a.comment) for a in payload.answers},
    )
    checklist.refresh_from_db()
    return _detail(checklist)


@router.post("/checklists/{pk}/submit", response=ChecklistDetail)
def submit(request, pk: int):
    checklist = services_answers.submit_checklist(_get(request, pk), request.person)
    return _detail(checklist)
