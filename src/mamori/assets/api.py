"""The information asset register over the API: the same service functions as the pages."""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from mamori.assets import publication, services
from mamori.assets.forms import CATEGORY_FILTERS, SORTS, filter_assets
from mamori.assets.models import AssetState, InformationAsset, Medium
from mamori.errors import InvalidInput
from mamori.org.models import OrgUnit
from mamori.systems.models import InformationSystem

router = Router(tags=["assets"])


class RestrictionIO(Schema):
    code: str = Field(..., max_length=60)
    detail: str | None = Field(None, max_length=100)


class AssetIn(Schema):
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=20000)
    unit_id: int | None = None
    decider_id: int | None = None
    confidentiality: int = 1
    integrity: int | None = None
    availability: int | None = None
    restrictions: list[RestrictionIO] = Field(default_factory=list, max_length=50)
    types: list[str] = Field(default_factory=list, max_length=10)
    marking_method: str = "header"
    medium: str = "electronic"
    system_id: int | None = None
    place: str = Field("", max_length=200)
    retention_until: date | None = None
    sources: list[int] = Field(default_factory=list, max_length=500)


class AssetPatch(Schema):
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=20000)
    unit_id: int | None = None
    decider_id: int | None = None
    confidentiality: int | None = None
    integrity: int | None = None
    availability: int | None = None
    restrictions: list[RestrictionIO] | None = Field(None, max_length=50)
    types: list[str] | None = Field(None, max_length=10)
    marking_method: str | None = None
    medium: str | None = None
    system_id: int | None = None
    place: str | None = Field(None, max_length=200)
    retention_until: date | None = None
    sources: list[int] | None = Field(None, max_length=500)


class AssetOut(Schema):
    id: int
    reference: str
    title: str
    description: str
    organization_id: int
    unit_id: int
    decider_id: int | None
    confidentiality: int
    integrity: int | None
    availability: int | None
    categories: list[str]
    restrictions: list[RestrictionIO]
    marking: str
    types: list[str]
    marking_method: str
    medium: str
    system_id: int | None
    place: str
    retention_until: date | None
    sources: list[int]
    state: str
    provided_to: str
    state_changed_on: date | None
    disposal_method: str
    disposal_certificate: str
    disposed_at: date | None
    created_by_id: int
    created_at: datetime
    updated_at: datetime
    inherited: dict | None = None

    @staticmethod
    def resolve_sources(obj) -> list[int]:
        return [s.pk for s in obj.sources.all()]

    @staticmethod
    def resolve_categories(obj) -> list[str]:
        return list(obj.categories)

    @staticmethod
    def resolve_inherited(obj) -> dict | None:
        return getattr(obj, "inherited", None)


class AssetPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[AssetOut]


class ProvideIn(Schema):
    recipient: str = Field(..., max_length=200)
    on: date | None = None


class DisposeIn(Schema):
    method: str = Field(..., max_length=40)
    certificate: str = Field("", max_length=200)
    on: date | None = None


_RENAMED = {"unit_id": "unit", "decider_id": "decider", "system_id": "system"}


def _fields(data: dict) -> dict:
    out = {_RENAMED.get(key, key): value for key, value in data.items()}
    if out.get("restrictions") is not None:
        out["restrictions"] = [
            {k: v for k, v in r.items() if v is not None} for r in out["restrictions"]
        ]
    return out


def _get(request, pk: int) -> InformationAsset:
    return get_object_or_404(
        InformationAsset.objects.visible_to(request.person).prefetch_related("sources"), pk=pk
    )


def _in_org(request, model, pk: int | None, field: str):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk, organization_id=request.person.organization_id).first()
    if found is None:
        raise InvalidInput(
            _("%(field)s に指定されたものが見つかりません: %(pk)s") % {"field": field, "pk": pk},
            details={field: pk},
        )
    return found


@router.get("", response=AssetPage)
def list_assets(
    request,
    q: str | None = Query(None, max_length=100),
    unit_id: int | None = None,
    confidentiality: int | None = Query(None, ge=1, le=3),
    category: str | None = Query(None, description=" | ".join(CATEGORY_FILTERS)),
    restriction: str | None = Query(None, max_length=60),
    state: AssetState | None = None,
    medium: Medium | None = None,
    system_id: int | None = None,
    sort: str | None = Query(None, description=" | ".join(SORTS)),
    offset: int = Query(0, ge=0, le=1_000_000_000),
    limit: int = Query(50, ge=1, le=500),
):
    if category and category not in CATEGORY_FILTERS:
        raise InvalidInput(
            _("category は %(values)s のいずれかです。") % {"values": ", ".join(CATEGORY_FILTERS)},
            details={"category": category},
        )
    if sort and sort not in SORTS:
        raise InvalidInput(
            _("sort は %(values)s のいずれかです。") % {"values": ", ".join(SORTS)},
            details={"sort": sort},
        )
    queryset = filter_assets(
        InformationAsset.objects.visible_to(request.person).prefetch_related("sources"),
        q=q,
        unit=_in_org(request, OrgUnit, unit_id, "unit_id"),
        confidentiality=confidentiality,
        category=category,
        restriction=restriction,
        state=state,
        medium=medium,
        system=_in_org(request, InformationSystem, system_id, "system_id"),
        sort=sort,
    )
    return {
        "count": queryset.count(),
        "offset": offset,
        "limit": limit,
        "items": list(queryset[offset : offset + limit]),
    }


@router.post("", response={201: AssetOut})
def create_asset(request, payload: AssetIn):
    data = _fields(payload.dict())
    if data.get("unit") is None:
        data.pop("unit")  # the caller's own unit
    if "decider_id" not in payload.model_fields_set:
        data.pop("decider")  # the caller decides
    return Status(201, services.create(request.person, **data))


@router.get("/{pk}", response=AssetOut)
def get_asset(request, pk: int):
    return _get(request, pk)


@router.patch("/{pk}", response=AssetOut)
def update_asset(request, pk: int, payload: AssetPatch):
    changes = _fields(payload.dict(exclude_unset=True))
    return services.update(_get(request, pk), request.person, **changes)


@router.post("/{pk}/publish", response=AssetOut)
def publish_asset(request, pk: int, files: File[list[UploadedFile]] = None):
    """Multipart: the file(s) being published, under `files`. They are scanned and the
    move is refused (400, code publish_refused, with reasons and citations) when one
    shows a 機密性２/３ marking or personal information (統一基準(R7) 3.1.1(5)(a))."""
    return publication.mark_published(_get(request, pk), request.person, files or [])


@router.post("/{pk}/provide", response=AssetOut)
def provide_asset(request, pk: int, payload: ProvideIn):
    return services.mark_provided(_get(request, pk), request.person, payload.recipient, payload.on)


@router.post("/{pk}/dispose", response=AssetOut)
def dispose_asset(request, pk: int, payload: DisposeIn):
    return services.dispose(
        _get(request, pk), request.person, payload.method, payload.certificate, payload.on
    )
