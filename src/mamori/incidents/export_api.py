"""Exports over the API (mounted under /api/incidents): the STIX 2.1 bundle of a case and
the structured report for a chain item addressed to an outside body. Same checks and
trail events as the download pages (export_views)."""

from __future__ import annotations

import json

from django.http import HttpResponse
from ninja import Router

from mamori.incidents import export_views, stix

router = Router(tags=["incidents"])


@router.get(
    "/{pk}/stix",
    summary="STIX 2.1 bundle of a case",
    description=(
        "An incident with the OASIS Incident Core Extension, the reporting organisation "
        "as an identity and notes for the response, marked TLP 2.0 (tlp: clear, green, "
        "amber, amber+strict, red; default amber). No person's name or contact is included."
    ),
)
def case_stix(request, pk: int, tlp: str = stix.DEFAULT_TLP):
    incident = export_views.exportable_case(request.person, pk)
    bundle = export_views.stix_bundle(request.person, incident, export_views.tlp_level(tlp))
    return HttpResponse(
        stix.serialize(bundle).encode("utf-8"), content_type=export_views.STIX_CONTENT_TYPE
    )


@router.get(
    "/{pk}/chain/{item_pk}/report.json",
    summary="Report to an outside body, as structured data",
    description=(
        "The content of the printable report for one chain item addressed to an outside "
        "body (NISC, supervising ministry, police, 個人情報保護委員会 …): as sent when the "
        "item has been sent, otherwise the case as it stands."
    ),
)
def chain_report(request, pk: int, item_pk: int):
    item = export_views.outside_item(request.person, pk, item_pk)
    content = export_views.report_document(request.person, item, "json")
    return HttpResponse(
        json.dumps(content, ensure_ascii=False).encode("utf-8"),
        content_type="application/json; charset=utf-8",
    )
