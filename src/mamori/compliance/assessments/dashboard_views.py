"""The self-assessment dashboard (/self-assessment/dashboard/) and its Excel and PDF exports.

One page, two scopes: the CISO, 副CISO and 統括 see the whole organisation; a
情報セキュリティ責任者 or 課室情報セキュリティ責任者 sees their units and the people there
who have not submitted yet; anyone else gets 403 with a message naming the roles. Every
export is written to the trail: it is the moment the results leave the application."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mamori.compliance.assessments import dashboards, exports, permissions
from mamori.trail.services import record
from mamori.web.access import person_required
from mamori.web.pdf import content_disposition, pdf_response


def _year(request) -> int | None:
    try:
        return int(request.GET.get("fy", ""))
    except ValueError:
        return None


def _dashboard(request):
    """(scope, plans, dashboard or None) for the reader; 403 for anyone without the role."""
    scope = dashboards.scope_for(request.person)
    plans = dashboards.plans_for(scope.organization_id)
    plan = dashboards.choose_plan(plans, _year(request))
    if plan is None:
        return scope, plans, None
    figures = dashboards.compute(plan, scope)
    figures.plans = plans
    return scope, plans, figures


@require_GET
@person_required
def dashboard(request):
    scope, plans, figures = _dashboard(request)
    context = {
        "scope": scope,
        "plans": plans,
        "figures": figures,
        "can_manage": permissions.can_manage_plans(request.person),
    }
    if figures is not None:
        context["charts"] = dashboards.chart_configs(figures)
        if not scope.whole_org:
            paginator = Paginator(
                dashboards.not_submitted(figures.plan, scope), dashboards.NOT_SUBMITTED_PER_PAGE
            )
            context["not_submitted"] = paginator.get_page(request.GET.get("page"))
            context["query"] = f"fy={figures.plan.fiscal_year}"
    return render(request, "assessments/dashboard/dashboard.html", context)


def _exported(request, figures, form: str) -> None:
    record(
        "assessments.results.exported",
        actor=request.user,
        obj=figures.plan,
        data={
            "format": form,
            "fiscal_year": figures.plan.fiscal_year,
            "scope": "organization" if figures.scope.whole_org else list(figures.scope.paths),
        },
        organization_id=figures.plan.organization_id,
    )


def _figures_or_404(request):
    from django.http import Http404

    _scope, _plans, figures = _dashboard(request)
    if figures is None:
        raise Http404(_("年度自己点検計画がありません。"))
    return figures


@require_GET
@person_required
def dashboard_xlsx(request):
    figures = _figures_or_404(request)
    handle = exports.workbook_file(figures)
    _exported(request, figures, "xlsx")
    response = FileResponse(handle, content_type=exports.XLSX)
    response["Content-Disposition"] = content_disposition(exports.xlsx_filename(figures))
    return response


@require_GET
@person_required
def dashboard_pdf(request):
    figures = _figures_or_404(request)
    content = exports.render_results_pdf(figures)
    _exported(request, figures, "pdf")
    return pdf_response(content, exports.pdf_filename(figures))
