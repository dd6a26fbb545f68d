"""The indicators page of 行動計画 Ⅴ.1.4 (/sharing/indicators/) and its Excel export,
for NISC and the ministries' liaisons (their sectors)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mamori.errors import Forbidden
from mamori.rules.deadlines import fiscal_year
from mamori.sharing import indicators
from mamori.sharing.views import hub_person, page
from mamori.web.access import person_required
from mamori.web.pdf import content_disposition

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request) -> int:
    current = fiscal_year(timezone.localdate())
    try:
        year = int(request.GET.get("fy", current))
    except ValueError:
        return current
    return year if 2000 <= year <= current + 1 else current


def _compute(request) -> indicators.Indicators:
    hub_person(request)
    try:
        return indicators.compute(request.person, _year(request))
    except Forbidden as error:
        raise PermissionDenied(str(error.message)) from error


@require_GET
@person_required
def indicators_page(request):
    figures = _compute(request)
    return page(
        request,
        "sharing/indicators.html",
        {
            "ind": figures,
            "table": indicators.table(figures),
            "headers": [(figures.labels[name], cite) for name, cite in indicators.FIGURES],
            "years": indicators.years(),
            "charts": indicators.chart_configs(figures),
            "no_ranking_citation": indicators.NO_RANKING_CITATION,
        },
    )


@require_GET
@person_required
def indicators_xlsx(request):
    figures = _compute(request)
    response = HttpResponse(indicators.workbook_bytes(figures), content_type=XLSX)
    response["Content-Disposition"] = content_disposition(
        _("共有の指標_%(year)s年度.xlsx") % {"year": figures.year}
    )
    return response
