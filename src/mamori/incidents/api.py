"""Incidents over the API: file a report, list and read cases, move them, and record
chain items. The same service functions as the pages."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from mamori.incidents import services
from mamori.incidents.export_api import router as export_router
from mamori.incidents.models import ChainItem, Incident
from mamori.incidents.workflow import Status as CaseStatus

router = Router(tags=["incidents"])


class ReportIn(Schema):
    kind: str = Field(..., max_length=40)
    summary: str = Field(..., min_length=1, max_length=20000)
    title: str = Field("", max_length=200)
    occurred_at: datetime | None = None
    discovered_at: datetime | None = None
    location: str = Field("", max_length=200)
    device: str = Field("", max_length=200)
    personal_info: bool = False
    my_number: bool = False
    people_count: int | None = Field(None, ge=0, le=100_000_000)


class ChainItemOut(Schema):
    id: int
    step_key: str
    order: int
    sender: str
    recipient: str
    internal: bool
    recipient_person_id: int | None
    title_ja: str
    title_en: str
    condition: str
    citation: str
    due_at: datetime | None
    sent_at: datetime | None
    acknowledged_at: datetime | None
    cancelled_at: datetime | None
    is_overdue: bool


class IncidentOut(Schema):
    id: int
    number: str
    kind: str
    title: str
    description: str
    status: str
    importance: str
    event_type: str
    cause: str
    damage_types: list[str]
    facts: dict
    reporter_id: int
    reporter_unit_id: int | None
    handler_id: int | None
    reported_at: datetime
    occurred_at: datetime | None
    first_response_at: datetime | None
    closed_at: datetime | None
    is_overdue: bool


class IncidentDetail(IncidentOut):
    impact_c: bool
    impact_i: bool
    impact_a: bool
    containment: str
    cause_analysis: str
    recurrence_prevention: str
    chain: list[ChainItemOut]

    @staticmethod
    def resolve_chain(obj) -> list:
        return list(obj.chain_items.all())


class IncidentPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[IncidentOut]


class TransitionIn(Schema):
    status: CaseStatus
    note: str = Field("", max_length=2000)


class TriageIn(Schema):
    event_type: str = Field("", max_length=40)
    cause: str = Field("", max_length=40)
    damage_types: list[str] = Field(default_factory=list, max_length=10)
    importance: str = Field("", max_length=10)
    impact_c: bool = False
    impact_i: bool = False
    impact_a: bool = False
    facts: dict[str, bool] = Field(default_factory=dict)


def _get(request, pk: int) -> Incident:
    return get_object_or_404(
        Incident.objects.visible_to(request.person).select_related("organization", "reporter_unit"),
        pk=pk,
    )


def _item(request, pk: int, item_pk: int) -> ChainItem:
    return get_object_or_404(ChainItem, pk=item_pk, incident=_get(request, pk))


@router.post("", response={201: IncidentDetail})
def file_report(request, payload: ReportIn):
    return Status(201, services.file_report(request.person, **payload.dict()))


@router.get("", response=IncidentPage)
def list_incidents(
    request,
    status: CaseStatus | None = None,
    kind: str | None = Query(None, max_length=40),
    overdue: bool = False,
    offset: int = Query(0, ge=0, le=1_000_000_000),
    limit: int = Query(50, ge=1, le=500),
):
    queryset = Incident.objects.visible_to(request.person)
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if overdue:
        queryset = queryset.overdue()
    return {
        "count": queryset.count(),
        "offset": offset,
        "limit": limit,
        "items": list(queryset[offset : offset + limit]),
    }


@router.get("/{pk}", response=IncidentDetail)
def get_incident(request, pk: int):
    return _get(request, pk)


@router.post("/{pk}/triage", response=IncidentDetail)
def triage(request, pk: int, payload: TriageIn):
    return services.triage(_get(request, pk), request.person, **payload.dict())


@router.post("/{pk}/transition", response=IncidentDetail)
def transition(request, pk: int, payload: TransitionIn):
    return services.transition(_get(request, pk), request.person, payload.status, payload.note)


@router.post("/{pk}/chain/{item_pk}/send", response=ChainItemOut)
def send_item(request, pk: int, item_pk: int):
    return services.send_item(_item(request, pk, item_pk), request.person)


@router.post("/{pk}/chain/{item_pk}/acknowledge", response=ChainItemOut)
def acknowledge_item(request, pk: int, item_pk: int):
    return services.acknowledge_item(_item(request, pk, item_pk), request.person)


router.add_router("", export_router)
