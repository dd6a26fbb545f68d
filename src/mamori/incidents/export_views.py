"""Downloads that take a case outside: the STIX 2.1 bundle, and for each chain item
addressed to an outside body its printable report (PDF) and the same content as JSON.

Only people who can see the case and handle it (CSIRT, 事案対処責任者, the case's
handler) may take it out; every export is written to the trail, because it is the
moment information leaves the organisation."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mamori.errors import Forbidden, InvalidInput
from mamori.incidents import pdf, permissions, stix
from mamori.incidents.models import ChainItem, Incident
from mamori.trail.services import record
from mamori.web.access import person_required
from mamori.web.pdf import content_disposition, pdf_response

STIX_CONTENT_TYPE = "application/stix+json;version=2.1"


def exportable_case(person, pk: int) -> Incident:
    """The case, if the person can see it (else 404) and handle it (else 403)."""
    incident = get_object_or_404(
        Incident.objects.visible_to(person).select_related("organization", "reporter_unit"),
        pk=pk,
    )
    if not permissions.can_handle(person, incident):
        raise Forbidden(
            _(
                "この事案を外部に出力する権限がありません（CSIRT又は事案対処責任者の役割が必要です）。"
            )
        )
    return incident


def outside_item(person, pk: int, item_pk: int) -> ChainItem:
    """A chain item of the case addressed to an outside body (internal items have no
    outside report: 404)."""
    incident = exportable_case(person, pk)
    item = get_object_or_404(ChainItem, pk=item_pk, incident=incident, internal=False)
    item.incident = incident
    return item


def tlp_level(value: str | None) -> str:
    level = (value or stix.DEFAULT_TLP).strip().lower()
    if level not in stix.TLP2_IDS:
        raise InvalidInput(
            _("TLPの指定が不正です: %(value)s") % {"value": value},
            details={"tlp": sorted(stix.TLP2_IDS)},
        )
    return level


def stix_bundle(person, incident: Incident, tlp: str) -> dict:
    bundle = stix.build_bundle(stix.facts_from_incident(incident), tlp)
    record(
        "incidents.export.stix",
        actor=person.user,
        obj=incident,
        data={"number": incident.number, "tlp": tlp},
        organization_id=incident.organization_id,
    )
    return bundle


def report_document(person, item: ChainItem, form: str) -> dict:
    content = pdf.report_content(item)
    _record_report(person, item, form)
    return content


def report_pdf(person, item: ChainItem) -> bytes:
    content = pdf.render_report_pdf(item)
    _record_report(person, item, "pdf")
    return content


def _record_report(person, item: ChainItem, form: str) -> None:
    record(
        "incidents.export.report",
        actor=person.user,
        obj=item.incident,
        data={
            "number": item.incident.number,
            "item": item.pk,
            "recipient": item.recipient,
            "format": form,
        },
        organization_id=item.incident.organization_id,
    )


# --- views ------------------------------------------------------------------------------


def _or_403(function, *args):
    try:
        return function(*args)
    except Forbidden as error:
        raise PermissionDenied(str(error.message)) from None


@require_GET
@person_required
def stix_download(request, pk: int):
    incident = _or_403(exportable_case, request.person, pk)
    try:
        tlp = tlp_level(request.GET.get("tlp"))
    except InvalidInput as error:
        return HttpResponseBadRequest(str(error.message))
    bundle = stix_bundle(request.person, incident, tlp)
    response = HttpResponse(stix.serialize(bundle), content_type=STIX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(f"{incident.number}.stix.json")
    return response


@require_GET
@person_required
def chain_report_pdf(request, pk: int, item_pk: int):
    item = _or_403(outside_item, request.person, pk, item_pk)
    return pdf_response(report_pdf(request.person, item), pdf.report_filename(item))


@require_GET
@person_required
def chain_report_json(request, pk: int, item_pk: int):
    item = _or_403(outside_item, request.person, pk, item_pk)
    content = report_document(request.person, item, "json")
    response = HttpResponse(
        json.dumps(content, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = pdf.report_filename(item).removesuffix(".pdf") + ".json"
    response["Content-Disposition"] = content_disposition(filename)
    return response
