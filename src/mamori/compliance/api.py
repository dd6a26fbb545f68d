"""Compliance over the API: the effective catalog's requirements (filtered), the coverage
of a 対策基準, and violation reports (create, list). The same functions as the pages."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from mamori.compliance import catalogs, coverage, permissions, services_violations
from mamori.compliance.models import PolicyDocument, ViolationReport, ViolationStep
from mamori.compliance.views_catalog import filter_entries
from mamori.errors import Forbidden, InvalidInput
from mamori.rules.requirements import FILES

router = Router(tags=["compliance"])


class RequirementOut(Schema):
    rulebook: str
    id: str
    kind: str
    parent: str | None
    title: str | None
    text: str | None
    citation: str
    edition: str | None
    abbreviated: bool
    checkable: bool
    roles: list[str]
    org_kinds: list[str]
    staff_facing: bool
    rules: list[str]


class RequirementFilter(Schema):
    rulebook: str = "toitsu"
    section: str = Field("", max_length=40)
    role: str = Field("", max_length=40)
    q: str = Field("", max_length=100)
    checkable: bool = False
    limit: int = Field(200, ge=1, le=2000)
    offset: int = Field(0, ge=0)


class RequirementPage(Schema):
    count: int
    items: list[RequirementOut]


@router.get("/requirements", response=RequirementPage)
def list_requirements(request, filters: Query[RequirementFilter]):
    if not permissions.may_read_catalog(request.person):
        raise Forbidden(_("規程カタログを閲覧する権限がありません。"))
    if filters.rulebook not in FILES:
        raise InvalidInput(_("不明な規程です。"), details={"rulebook": filters.rulebook})
    entries = filter_entries(catalogs.effective_catalog(filters.rulebook), filters.dict())
    page = entries[filters.offset : filters.offset + filters.limit]
    return {
        "count": len(entries),
        "items": [
            {
                **catalogs.entry_to_json(e),
                "citation": e.citation,
                "checkable": e.checkable,
            }
            for e in page
        ],
    }


class CoverageRequirement(Schema):
    id: str
    citation: str


class WeakItemOut(Schema):
    item_id: int
    number: str
    requirement: str
    citation: str
    declared: bool
    findings: list[dict]


class CoverageOut(Schema):
    rulebook: str
    title: str
    required: int
    covered: int
    percent: float
    unmapped: list[CoverageRequirement]
    weaker: list[WeakItemOut]


@router.get("/policies/{pk}/coverage", response=list[CoverageOut])
def policy_coverage(request, pk: int):
    if not permissions.may_read_policy(request.person):
        raise Forbidden(_("対策基準を閲覧する権限がありません。"))
    document = get_object_or_404(
        PolicyDocument.objects.visible_to(request.person).select_related("organization"), pk=pk
    )
    return [
        {
            "rulebook": r.rulebook,
            "title": r.title,
            "required": len(r.required),
            "covered": r.covered_count,
            "percent": r.percent,
            "unmapped": [{"id": e.id, "citation": e.citation} for e in r.unmapped],
            "weaker": [
                {
                    "item_id": w.item.pk,
                    "number": w.item.number,
                    "requirement": w.requirement.id,
                    "citation": w.requirement.citation,
                    "declared": w.declared,
                    "findings": [
                        {"code": f.code, "detail": f.detail, "citation": f.citation}
                        for f in w.findings
                    ],
                }
                for w in r.weaker
            ],
        }
        for r in coverage.coverage(document)
    ]


class ViolationIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1, max_length=20000)
    occurred_on: date | None = None
    rules_concerned: str = Field("", max_length=300)


class StepOut(Schema):
    order: int
    kind: str
    recipient_id: int
    sent_at: datetime
    acknowledged_at: datetime | None
    citation: str


class ViolationOut(Schema):
    id: int
    title: str
    status: str
    reported_at: datetime
    reporter_id: int | None
    reporter_unit_id: int | None
    steps: list[StepOut]


class ViolationPage(Schema):
    count: int
    items: list[ViolationOut]


def _out(person, report: ViolationReport) -> dict:
    steps = list(report.steps.all())
    return {
        "id": report.pk,
        "title": report.title,
        "status": report.status,
        "reported_at": report.reported_at,
        # the reporter's identity only for the reporter and the chain
        "reporter_id": report.reporter_id if services_violations.in_chain(person, report) else None,
        "reporter_unit_id": report.reporter_unit_id,
        "steps": steps,
    }


@router.post("/violations", response={201: ViolationOut})
def create_violation(request, payload: ViolationIn):
    report = services_violations.report_violation(request.person, **payload.dict())
    return Status(201, _out(request.person, report))


@router.get("/violations", response=ViolationPage)
def list_violations(
    request,
    status: str = "",
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
):
    reports = ViolationReport.objects.visible_to(request.person)
    if status:
        reports = reports.filter(status=status)
    reports = reports.prefetch_related(
        Prefetch("steps", queryset=ViolationStep.objects.order_by("order"))
    )
    return {
        "count": reports.count(),
        "items": [_out(request.person, r) for r in reports[offset : offset + limit]],
    }
