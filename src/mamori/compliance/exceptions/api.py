"""The ledger of exceptions over the API: the same scoping as the pages."""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from mamori.compliance.exceptions.models import ExceptionRecord, RecordState

router = Router(tags=["exceptions"])


class RecordOut(Schema):
    id: int
    reference: str
    state: str
    request_id: int
    rulebook: str
    requirement_id: str
    requirement_citation: str
    unit_id: int
    applicant_id: int
    owner_id: int
    permitted_by_id: int
    reason: str
    scope: str
    measures: str
    period_start: date
    period_end: date
    granted_at: datetime
    ended_on: date | None
    end_reported_at: datetime | None


class RecordPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[RecordOut]


@router.get("/records", response=RecordPage)
def list_records(
    request,
    state: RecordState | None = None,
    offset: int = Query(0, ge=0, le=1_000_000_000),
    limit: int = Query(50, ge=1, le=500),
):
    queryset = ExceptionRecord.objects.visible_to(request.person).order_by("period_end", "id")
    if state:
        queryset = queryset.filter(state=state)
    return {
        "count": queryset.count(),
        "offset": offset,
        "limit": limit,
        "items": list(queryset[offset : offset + limit]),
    }


@router.get("/records/{pk}", response=RecordOut)
def get_record(request, pk: int):
    return get_object_or_404(ExceptionRecord.objects.visible_to(request.person), pk=pk)
