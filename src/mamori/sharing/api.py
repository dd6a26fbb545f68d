"""The sharing hub over the API: reports (list, file, add a version), alerts (list,
acknowledge). The same access rules (sharing.access) and services as the pages.

An alert's JSON carries only the alert itself: never its source reports, their
reporter or contact (別添2.2)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from mamori.errors import Forbidden, NotFound
from mamori.sharing import access, services, services_alerts
from mamori.sharing.models import Delivery, ReportStatus, Tlp

router = Router(tags=["sharing"])


class ContentIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field(..., min_length=1, max_length=20000)
    event_type: str = Field(..., max_length=30)
    cause_type: str = Field(..., max_length=30)
    cause_detail: str = Field("", max_length=60)
    impact_c: bool = False
    impact_i: bool = False
    impact_a: bool = False
    service: str = Field("", max_length=40)
    figures: dict[str, float] = Field(default_factory=dict)
    occurred_at: datetime | None = None
    legally_required: bool = False
    legal_basis: str = Field("", max_length=200)
    contact_means: str = Field(..., min_length=1, max_length=200)
    contact_person: str = Field(..., min_length=1, max_length=120)
    contact_phone: str = Field("", max_length=40)
    contact_email: str = Field("", max_length=254)
    uncertain: bool = False


class RangeIn(Schema):
    tlp: Tlp = Tlp.AMBER
    share_same_sector: bool = False
    share_same_ceptoar: bool = False
    share_all_operators: bool = False
    share_ceptoars: bool = False
    share_ministries: bool = False
    share_government: bool = False
    share_relevant_orgs: bool = False
    share_vendors: bool = False
    share_org_ids: list[int] = Field(default_factory=list, max_length=500)


class ReportIn(Schema):
    content: ContentIn
    range: RangeIn = Field(default_factory=RangeIn)
    voluntary: bool = True


class VersionIn(Schema):
    content: ContentIn
    change_note: str = Field("", max_length=300)
    range: RangeIn | None = None


class VersionOut(Schema):
    number: int
    created: datetime
    title: str
    summary: str
    event_type: str
    cause_type: str
    cause_detail: str
    impact_c: bool
    impact_i: bool
    impact_a: bool
    service: str
    figures: dict
    exceeds_level: bool | None
    level_citation: str
    occurred_at: datetime | None
    legally_required: bool
    legal_basis: str
    contact_means: str
    contact_person: str
    contact_phone: str
    contact_email: str
    uncertain: bool
    change_note: str


class ReportOut(Schema):
    id: int
    number: str
    organization: str
    sector: str
    status: ReportStatus
    tlp: Tlp
    handled_as_voluntary: bool
    created: datetime
    updated: datetime
    current: VersionOut

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.name


class ReportPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[ReportOut]


class AlertOut(Schema):
    id: int
    number: str
    title: str
    body: str
    importance: str
    category: str
    tlp: str
    early_warning: bool
    sectors: list[str]
    mode: str
    issued_at: datetime | None
    acknowledged_at: datetime | None = None

    @staticmethod
    def resolve_acknowledged_at(obj) -> datetime | None:
        return getattr(obj, "my_ack", None)


class AlertPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[AlertOut]


class AckOut(Schema):
    alert: int
    acknowledged_at: datetime
    acknowledged_by: str

    @staticmethod
    def resolve_alert(obj) -> int:
        return obj.alert_id

    @staticmethod
    def resolve_acknowledged_by(obj) -> str:
        return str(obj.acknowledged_by)


def _hub(request):
    if access.organization_of(request.person) is None:
        raise Forbidden(_("情報共有の関係主体の担当者のみ利用できます。"))


def _content(payload: ContentIn) -> services.ReportContent:
    return services.ReportContent(**payload.dict())


def _range(payload: RangeIn) -> services.SharingRange:
    return services.SharingRange(**payload.dict())


def _reports(request):
    return access.reports_visible_to(request.person).select_related("current", "organization")


CONTACT_FIELDS = ("contact_means", "contact_person", "contact_phone", "contact_email")


def _without_contact(request, reports, versions=None):
    """Blank the contact means and person (別添3.2) for those off the report's route:
    they are for the liaison and NISC, not for everyone in the sharing range. In memory."""
    reports = list(reports)
    allowed = access.contact_report_ids(request.person, [r.pk for r in reports])
    for report in reports:
        if report.pk not in allowed:
            for version in versions if versions is not None else [report.current]:
                for name in CONTACT_FIELDS:
                    setattr(version, name, "")
    return reports


@router.get("/reports", response=ReportPage)
def list_reports(
    request,
    sector: str | None = Query(None, max_length=30),
    status: ReportStatus | None = None,
    offset: int = Query(0, ge=0, le=1_000_000_000),
    limit: int = Query(50, ge=1, le=500),
):
    _hub(request)
    queryset = _reports(request).order_by("-updated", "-id")
    if sector:
        queryset = queryset.filter(sector=sector)
    if status:
        queryset = queryset.filter(status=status)
    return {
        "count": queryset.count(),
        "offset": offset,
        "limit": limit,
        "items": _without_contact(request, queryset[offset : offset + limit]),
    }


@router.post("/reports", response={201: ReportOut})
def create_report(request, payload: ReportIn):
    _hub(request)
    made = services.submit_report(
        request.person,
        _content(payload.content),
        _range(payload.range),
        voluntary=payload.voluntary,
    )
    return Status(201, _reports(request).get(pk=made.pk))


@router.get("/reports/{pk}", response=ReportOut)
def get_report(request, pk: int):
    _hub(request)
    return _without_contact(request, [get_object_or_404(_reports(request), pk=pk)])[0]


@router.get("/reports/{pk}/versions", response=list[VersionOut])
def list_versions(request, pk: int):
    _hub(request)
    report = get_object_or_404(_reports(request), pk=pk)
    versions = list(report.versions.order_by("number"))
    _without_contact(request, [report], versions)
    return versions


@router.post("/reports/{pk}/versions", response={201: VersionOut})
def add_version(request, pk: int, payload: VersionIn):
    _hub(request)
    report = get_object_or_404(_reports(request), pk=pk)
    version = services.add_version(
        request.person,
        report,
        _content(payload.content),
        change_note=payload.change_note,
        sharing=_range(payload.range) if payload.range else None,
    )
    return Status(201, version)


def _alerts(request):
    org = access.organization_of(request.person)
    mine = Delivery.objects.filter(alert=OuterRef("pk"), recipient_id=org.pk if org else None)
    return access.alerts_visible_to(request.person).annotate(
        my_ack=Subquery(mine.values("acknowledged_at")[:1])
    )


@router.get("/alerts", response=AlertPage)
def list_alerts(
    request,
    pending: bool = False,
    offset: int = Query(0, ge=0, le=1_000_000_000),
    limit: int = Query(50, ge=1, le=500),
):
    _hub(request)
    queryset = _alerts(request).order_by("-created", "-id")
    if pending:
        queryset = queryset.filter(
            pk__in=Delivery.objects.filter(
                recipient_id=request.person.organization_id, acknowledged_at__isnull=True
            ).values("alert_id")
        )
    return {
        "count": queryset.count(),
        "offset": offset,
        "limit": limit,
        "items": list(queryset[offset : offset + limit]),
    }


@router.get("/alerts/{pk}", response=AlertOut)
def get_alert(request, pk: int):
    _hub(request)
    return get_object_or_404(_alerts(request), pk=pk)


@router.post("/alerts/{pk}/acknowledge", response=AckOut)
def acknowledge(request, pk: int):
    _hub(request)
    alert = get_object_or_404(_alerts(request), pk=pk)
    delivery = services_alerts.delivery_for(request.person, alert)
    if delivery is None:
        raise NotFound(_("この情報提供の提供先ではありません。"))
    return services_alerts.acknowledge(request.person, delivery)
