"""Audits over the API: list audits, findings and improvement measures (scoped like the
pages), and mark a measure done. The same service functions as the pages."""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from mamori.compliance.audits import services_plans
from mamori.compliance.audits.models import Audit, Finding, ImprovementItem

router = Router(tags=["audits"])


class AuditOut(Schema):
    id: int
    number: str
    title: str
    fiscal_year: int
    kind: str
    additional: bool
    state: str
    start_date: date
    end_date: date
    report_due: date
    rulebooks: list[str]
    sections: list[str]
    lead_id: int
    unit_ids: list[int]
    reported_at: datetime | None

    @staticmethod
    def resolve_unit_ids(obj) -> list[int]:
        return [u.pk for u in obj.units.all()]


class FindingOut(Schema):
    id: int
    audit_id: int
    number: int
    severity: str
    clause: str
    description: str
    cross_cutting: bool
    unit_id: int | None
    state: str
    plan_id: int | None


class ItemOut(Schema):
    id: int
    plan_id: int
    finding_id: int | None
    measure: str
    owner_id: int
    due_date: date
    done_at: datetime | None
    result: str
    is_overdue: bool


class Page(Schema):
    count: int
    offset: int
    limit: int


class AuditPage(Page):
    items: list[AuditOut]


class FindingPage(Page):
    items: list[FindingOut]


class ItemPage(Page):
    items: list[ItemOut]


class DoneIn(Schema):
    result: str = Field(..., min_length=1, max_length=4000)


def _page(queryset, offset, limit):
    return {
        "count": queryset.count(),
        "offset": offset,
        "limit": limit,
        "items": list(queryset[offset : offset + limit]),
    }


OFFSET = Query(0, ge=0, le=1_000_000_000)
LIMIT = Query(50, ge=1, le=500)


@router.get("", response=AuditPage)
def list_audits(
    request,
    year: int | None = Query(None, ge=1900, le=9999),
    kind: str | None = Query(None, max_length=20),
    state: str | None = Query(None, max_length=20),
    offset: int = OFFSET,
    limit: int = LIMIT,
):
    queryset = Audit.objects.visible_to(request.person).prefetch_related("units")
    if year:
        queryset = queryset.filter(fiscal_year=year)
    if kind:
        queryset = queryset.filter(kind=kind)
    if state:
        queryset = queryset.filter(state=state)
    return _page(queryset, offset, limit)


@router.get("/findings", response=FindingPage)
def list_findings(
    request,
    severity: str | None = Query(None, max_length=20),
    state: str | None = Query(None, max_length=20),
    offset: int = OFFSET,
    limit: int = LIMIT,
):
    queryset = Finding.objects.visible_to(request.person).order_by("audit_id", "number")
    if severity:
        queryset = queryset.filter(severity=severity)
    if state:
        queryset = queryset.filter(state=state)
    return _page(queryset, offset, limit)


@router.get("/items", response=ItemPage)
def list_items(request, open: bool = False, offset: int = OFFSET, limit: int = LIMIT):
    queryset = ImprovementItem.objects.visible_to(request.person).order_by("due_date", "id")
    if open:
        queryset = queryset.open()
    return _page(queryset, offset, limit)


@router.post("/items/{pk}/done", response=ItemOut)
def complete_item(request, pk: int, payload: DoneIn):
    item = get_object_or_404(
        ImprovementItem.objects.visible_to(request.person).select_related("plan__audit"), pk=pk
    )
    return services_plans.complete_item(item, request.person, result=payload.result)
