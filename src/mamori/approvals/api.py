"""Requests over the API: the same service functions as the pages."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from mamori.approvals import registry, services
from mamori.approvals.models import Request
from mamori.approvals.workflow import DECIDER_ACTIONS, State
from mamori.errors import InvalidInput

router = Router(tags=["approvals"])


class KindOut(Schema):
    code: str
    label: str
    citation: str
    approver_roles: list[str]
    requires_period: bool
    due_working_days: int


class RequestIn(Schema):
    kind: str = Field(..., max_length=60)
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=20000)
    period_start: date | None = None
    period_end: date | None = None
    conditions: str = Field("", max_length=5000)
    submit: bool = False


class RequestPatch(Schema):
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=20000)
    period_start: date | None = None
    period_end: date | None = None
    conditions: str | None = Field(None, max_length=5000)


class DecisionIn(Schema):
    action: str = Field(..., description="approve | reject | return | revoke")
    reason: str = Field("", max_length=5000)


class CommentIn(Schema):
    body: str = Field(..., max_length=5000)


class RequestOut(Schema):
    id: int
    reference: str
    kind: str
    title: str
    description: str
    state: str
    organization_id: int
    unit_id: int
    applicant_id: int
    approver_id: int | None
    approver_role: str
    period_start: date | None
    period_end: date | None
    conditions: str
    due_date: date | None
    submitted_at: datetime | None
    decided_at: datetime | None
    decision_reason: str
    created_at: datetime


class RequestPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[RequestOut]


def _get(request, pk: int) -> Request:
    return get_object_or_404(Request.objects.visible_to(request.person), pk=pk)


@router.get("/kinds", response=list[KindOut])
def list_kinds(request):
    return [
        KindOut(
            code=k.code,
            label=str(k.label),
            citation=k.citation,
            approver_roles=list(k.approver_roles),
            requires_period=k.requires_period,
            due_working_days=k.due_working_days,
        )
        for k in registry.all_kinds()
    ]


@router.get("/requests", response=RequestPage)
def list_requests(
    request,
    state: State | None = None,
    kind: str | None = None,
    mine: bool = False,
    to_decide: bool = False,
    offset: int = Query(0, ge=0, le=1_000_000_000),
    limit: int = Query(50, ge=1, le=500),
):
    queryset = Request.objects.visible_to(request.person).order_by("-created_at", "-id")
    if state:
        queryset = queryset.filter(state=state)
    if kind:
        queryset = queryset.filter(kind=kind)
    if mine:
        queryset = queryset.filter(applicant=request.person)
    if to_decide:
        queryset = queryset.filter(approver=request.person, state=State.SUBMITTED)
    return {
        "count": queryset.count(),
        "offset": offset,
        "limit": limit,
        "items": list(queryset[offset : offset + limit]),
    }


@router.post("/requests", response={201: RequestOut})
def create_request(request, payload: RequestIn):
    data = payload.dict()
    submit = data.pop("submit")
    with transaction.atomic():
        created = services.create(request.person, **data)
        if submit:
            created = services.submit(created, request.person)
    return Status(201, created)


@router.get("/requests/{pk}", response=RequestOut)
def get_request(request, pk: int):
    return _get(request, pk)


@router.patch("/requests/{pk}", response=RequestOut)
def update_request(request, pk: int, payload: RequestPatch):
    changes = payload.dict(exclude_unset=True)
    return services.update(_get(request, pk), request.person, **changes)


@router.post("/requests/{pk}/submit", response=RequestOut)
def submit_request(request, pk: int):
    return services.submit(_get(request, pk), request.person)


@router.post("/requests/{pk}/withdraw", response=RequestOut)
def withdraw_request(request, pk: int):
    return services.withdraw(_get(request, pk), request.person)


@router.post("/requests/{pk}/close", response=RequestOut)
def close_request(request, pk: int):
    return services.close(_get(request, pk), request.person)


@router.post("/requests/{pk}/decision", response=RequestOut)
def decide_request(request, pk: int, payload: DecisionIn):
    if payload.action not in DECIDER_ACTIONS:
        raise InvalidInput(
            _("不明な操作です: %(action)s") % {"action": payload.action},
            details={"action": payload.action},
        )
    return services.decide(_get(request, pk), request.person, payload.action, payload.reason)


@router.post("/requests/{pk}/comments", response={201: dict})
def comment_request(request, pk: int, payload: CommentIn):
    comment = services.add_comment(_get(request, pk), request.person, payload.body)
    return Status(201, {"id": comment.pk, "body": comment.body, "created_at": comment.created_at})
