"""STIX 2.1 (JSON) downloads of one report or alert, for whoever may see it (else 404)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from mamori.sharing import access, exports
from mamori.sharing.views import hub_person
from mamori.web.access import person_required
from mamori.web.pdf import content_disposition


def _download(text: str, number: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type=exports.STIX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(f"{number}.stix.json")
    return response


@require_GET
@person_required
def report_stix(request, pk):
    hub_person(request)
    item = get_object_or_404(
        access.reports_visible_to(request.person).select_related("organization"), pk=pk
    )
    return _download(exports.report_bundle(request.person, item), item.number)


@require_GET
@person_required
def alert_stix(request, pk):
    hub_person(request)
    alert = get_object_or_404(
        access.alerts_visible_to(request.person).select_related("organization"), pk=pk
    )
    return _download(exports.alert_bundle(request.person, alert), alert.number)
