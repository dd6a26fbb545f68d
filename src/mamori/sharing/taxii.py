"""TAXII 2.1 server of the sharing hub (OASIS TAXII 2.1, read-only).

    /taxii2/                                            discovery
    /taxii2/sharing/                                    the API root
    /taxii2/sharing/collections/                        two collections:
        reports  情報連絡: incidents, report objects and notes of every report version
        alerts   情報提供: NISC's issued alerts, anonymised (別添2.2)
    …/collections/{id}/objects/                         envelope, paged
    …/collections/{id}/objects/{object-id}/             one object's versions
    …/collections/{id}/objects/{object-id}/versions/    the versions list
    …/collections/{id}/manifest/                        manifest records, paged
    /taxii2/sharing/status/{id}/                        404: nothing is ever added

Requests and answers are `application/taxii+json;version=2.1`; another Accept is 406.
Every request is authenticated by an API token (taxii_auth) and a party reads only the
rows mamori.sharing.access lets it see (taxii_store.visible). Collections are read-only:
`can_write: false`, POST and DELETE answer 403.

Filters: added_after, match[id], match[type], match[version] (last by default; first,
all or timestamps), match[spec_version]; paging by `limit` (≤ MAX_LIMIT) and `next`, an
opaque keyset token (date_added, row id) so pages never shift when objects are added.
Objects are served from stored JSON in one query per page.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import UTC, datetime

from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from mamori.incidents.stix import NAMESPACE
from mamori.sharing import taxii_store
from mamori.sharing.taxii_auth import TaxiiError, authenticate

TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1"
STIX_MEDIA_TYPE = "application/stix+json;version=2.1"
API_ROOT = "sharing"
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_CONTENT_LENGTH = 10 * 1024 * 1024

COLLECTIONS = {
    str(uuid.uuid5(NAMESPACE, "taxii/sharing/reports")): {
        "key": taxii_store.REPORTS,
        "title": "情報連絡 (IT failure reports)",
        "description": (
            "Reports from critical-infrastructure operators (行動計画 別添3), every version; "
            "each party reads what the reporter's sharing range allows."
        ),
        "alias": "reports",
    },
    str(uuid.uuid5(NAMESPACE, "taxii/sharing/alerts")): {
        "key": taxii_store.ALERTS,
        "title": "情報提供 (alerts from NISC)",
        "description": (
            "Alerts issued by NISC (行動計画 別添2), anonymised; each recipient reads "
            "the alerts delivered to it."
        ),
        "alias": "alerts",
    },
}


# --- answers ---------------------------------------------------------------------------------


def _answer(body, status: int = 200, headers=None) -> HttpResponse:
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    response = HttpResponse(text, status=status, content_type=TAXII_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _error(error: TaxiiError) -> HttpResponse:
    body = {"title": error.title, "http_status": str(error.status)}
    if error.description:
        body["description"] = error.description
    return _answer(body, error.status, error.headers)


def _accepts_taxii(header: str) -> bool:
    for media_range in header.split(","):
        kind, *params = (part.strip() for part in media_range.split(";"))
        if kind.lower() != "application/taxii+json":
            continue
        versions = [p.split("=", 1)[1].strip() for p in params if p.lower().startswith("version=")]
        if not versions or versions[0] == "2.1":
            return True
    return False


def taxii_view(methods=("GET",)):
    """Authenticate, check Accept and the method, and turn TaxiiError into an envelope."""

    def decorate(view):
        @csrf_exempt
        def wrapper(request, *args, **kwargs):
            try:
                _person, organization = authenticate(request)
                if not _accepts_taxii(request.headers.get("Accept", "")):
                    raise TaxiiError(406, "Not Acceptable", f"Accept must be {TAXII_MEDIA_TYPE}.")
                if request.method not in methods:
                    if request.method in ("POST", "DELETE"):
                        raise TaxiiError(403, "Forbidden", "The collections are read-only.")
                    raise TaxiiError(405, "Method Not Allowed", request.method)
                return view(request, organization, *args, **kwargs)
            except TaxiiError as error:
                return _error(error)

        wrapper.__name__ = view.__name__
        wrapper.__doc__ = view.__doc__
        return wrapper

    return decorate


def timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_timestamp(text: str, name: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise TaxiiError(400, "Bad Request", f"{name} is not a timestamp: {text}") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _collection(collection_id: str) -> dict:
    if str(collection_id) not in COLLECTIONS:
        raise TaxiiError(404, "Not Found", "No such collection.")
    return COLLECTIONS[str(collection_id)]


def _collection_resource(collection_id: str) -> dict:
    meta = COLLECTIONS[collection_id]
    return {
        "id": collection_id,
        "title": meta["title"],
        "description": meta["description"],
        "alias": meta["alias"],
        "can_read": True,
        "can_write": False,
        "media_types": [STIX_MEDIA_TYPE],
    }


# --- discovery, API root, collections --------------------------------------------------------


@taxii_view()
def discovery(request, organization):
    root = request.build_absolute_uri(reverse("taxii:api_root", args=[API_ROOT]))
    return _answer(
        {
            "title": "mamori 重要インフラ情報共有 TAXII",
            "description": "Critical-infrastructure information sharing (行動計画) as STIX 2.1.",
            "default": root,
            "api_roots": [root],
        }
    )


def _api_root_name(name: str) -> None:
    if name != API_ROOT:
        raise TaxiiError(404, "Not Found", "No such API root.")


@taxii_view()
def api_root(request, organization, root):
    _api_root_name(root)
    return _answer(
        {
            "title": "重要インフラ情報共有 (sharing)",
            "description": "情報連絡 and 情報提供 of the sharing hub.",
            "versions": [TAXII_MEDIA_TYPE],
            "max_content_length": MAX_CONTENT_LENGTH,
        }
    )


@taxii_view()
def collections(request, organization, root):
    _api_root_name(root)
    return _answer({"collections": [_collection_resource(cid) for cid in COLLECTIONS]})


@taxii_view()
def collection(request, organization, root, collection_id):
    _api_root_name(root)
    _collection(collection_id)
    return _answer(_collection_resource(str(collection_id)))


@taxii_view()
def status(request, organization, root, status_id):
    _api_root_name(root)
    raise TaxiiError(404, "Not Found", "No such status: the collections are read-only.")


# --- filters and paging ----------------------------------------------------------------------


def _list_param(request, name: str) -> list[str]:
    values = []
    for raw in request.GET.getlist(name):
        values.extend(part.strip() for part in raw.split(",") if part.strip())
    return values


def _limit(request) -> int:
    raw = request.GET.get("limit")
    if raw in (None, ""):
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        raise TaxiiError(400, "Bad Request", "limit must be a positive integer.") from None
    if limit < 1:
        raise TaxiiError(400, "Bad Request", "limit must be a positive integer.")
    return min(limit, MAX_LIMIT)


def _encode_next(date_added: datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{timestamp(date_added)}|{pk}".encode()).decode()


def _decode_next(token: str) -> Q:
    try:
        text = base64.urlsafe_b64decode(token.encode()).decode()
        when, pk = text.split("|")
        date_added, row = _parse_timestamp(when, "next"), int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError, TaxiiError):
        raise TaxiiError(400, "Bad Request", "next is not a token this server gave.") from None
    return Q(date_added__gt=date_added) | Q(date_added=date_added, pk__gt=row)


def _filtered(request, organization, collection_id, *, object_id=None, default_version="last"):
    key = _collection(collection_id)["key"]
    taxii_store.sync()
    rows = taxii_store.visible(key, organization)
    if object_id is not None:
        rows = rows.filter(stix_id=object_id)
    else:
        ids = _list_param(request, "match[id]")
        if ids:
            rows = rows.filter(stix_id__in=ids)
    types = _list_param(request, "match[type]")
    if types:
        rows = rows.filter(stix_type__in=types)
    spec_versions = _list_param(request, "match[spec_version]")
    if spec_versions:
        rows = rows.filter(spec_version__in=spec_versions)
    added_after = request.GET.get("added_after")
    if added_after:
        rows = rows.filter(date_added__gt=_parse_timestamp(added_after, "added_after"))
    versions = _list_param(request, "match[version]") or [default_version]
    if "all" not in versions:
        query = Q(pk__in=[])
        stamps = []
        for value in versions:
            if value == "last":
                query |= Q(is_latest=True)
            elif value == "first":
                query |= Q(is_first=True)
            else:
                stamps.append(value)
        if stamps:
            query |= Q(version__in=stamps)
        rows = rows.filter(query)
    return rows


def _page(request, rows, fields):
    """One query: limit + 1 rows after the `next` key, in date_added order."""
    limit = _limit(request)
    token = request.GET.get("next")
    if token:
        rows = rows.filter(_decode_next(token))
    found = list(rows.order_by("date_added", "pk").values_list("pk", "date_added", *fields)[: limit + 1])  # fmt: skip
    more = len(found) > limit
    found = found[:limit]
    headers = {}
    envelope_extra = {"more": more}
    if found:
        headers["X-TAXII-Date-Added-First"] = timestamp(found[0][1])
        headers["X-TAXII-Date-Added-Last"] = timestamp(found[-1][1])
        if more:
            envelope_extra["next"] = _encode_next(found[-1][1], found[-1][0])
    return found, envelope_extra, headers


def _envelope(found, extra: dict, headers: dict) -> HttpResponse:
    # Stored payloads are already JSON: the envelope is assembled, not re-encoded.
    head = json.dumps(extra)[:-1]
    objects = ",".join(row[2] for row in found)
    body = f'{head},"objects":[{objects}]}}' if found else json.dumps(extra)
    return _answer(body, headers=headers)


# --- objects, manifest, versions -------------------------------------------------------------


@taxii_view()
def objects(request, organization, root, collection_id):
    _api_root_name(root)
    rows = _filtered(request, organization, collection_id)
    return _envelope(*_page(request, rows, ("payload",)))


@taxii_view()
def object_detail(request, organization, root, collection_id, object_id):
    _api_root_name(root)
    rows = _filtered(request, organization, collection_id, object_id=object_id)
    found, extra, headers = _page(request, rows, ("payload",))
    if not found and not request.GET.get("next"):
        raise TaxiiError(404, "Not Found", "No such object.")
    return _envelope(found, extra, headers)


@taxii_view()
def manifest(request, organization, root, collection_id):
    _api_root_name(root)
    rows = _filtered(request, organization, collection_id)
    found, extra, headers = _page(request, rows, ("stix_id", "version"))
    if found:
        extra["objects"] = [
            {
                "id": stix_id,
                "date_added": timestamp(date_added),
                "version": version,
                "media_type": STIX_MEDIA_TYPE,
            }
            for _pk, date_added, stix_id, version in found
        ]
    return _answer(extra, headers=headers)


@taxii_view()
def object_versions(request, organization, root, collection_id, object_id):
    _api_root_name(root)
    rows = _filtered(
        request, organization, collection_id, object_id=object_id, default_version="all"
    )
    found, extra, headers = _page(request, rows, ("version",))
    if not found and not request.GET.get("next"):
        raise TaxiiError(404, "Not Found", "No such object.")
    if found:
        extra["versions"] = [version for _pk, _added, version in found]
    return _answer(extra, headers=headers)
