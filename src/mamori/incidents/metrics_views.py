"""The incident figures page (/incidents/metrics/) and its Excel export, for the CSIRT
and the officers who answer for the whole organisation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mamori.incidents import metrics
from mamori.org import scope
from mamori.web.access import person_required
from mamori.web.pdf import content_disposition

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_reader(person) -> None:
    if not scope.has_org_wide_role(person, metrics.METRICS_ROLES):
        raise PermissionDenied(
            _("インシデントの統計を見る権限がありません（CSIRT、CISO又は統括の役割が必要です）。")
        )


def _year(request) -> int:
    current = metrics.fiscal_year(timezone.localdate())
    try:
        year = int(request.GET.get("fy", current))
    except ValueError:
        return current
    # Outside any sensible range means a mistyped address: show this year instead.
    return year if 2000 <= year <= current + 1 else current


def _compute(request, **options) -> metrics.Metrics:
    _require_reader(request.person)
    return metrics.compute(metrics.incidents_for(request.person), _year(request), **options)


@require_GET
@person_required
def metrics_page(request):
    figures = _compute(request)
    return render(
        request,
        "incidents/metrics.html",
        {
            "figures": figures,
            "charts": metrics.chart_configs(figures),
            "overdue_limit": metrics.OVERDUE_LIST_LIMIT,
        },
    )


@require_GET
@person_required
def metrics_xlsx(request):
    figures = _compute(request, overdue_limit=None)
    response = HttpResponse(metrics.workbook_bytes(figures), content_type=XLSX)
    response["Content-Disposition"] = content_disposition(
        _("インシデント統計_%(year)s年度.xlsx") % {"year": figures.year}
    )
    return response
