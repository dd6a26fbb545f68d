"""The improvement plans' pages (統一基準(H30) 2.3.2(3)): a plan with its measures, the
officer's report, the CISO's return and closure, and the list of measures. Every change
goes through services_plans."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamori.compliance.audits import rules, services_plans
from mamori.compliance.audits.forms import (
    DoneForm,
    ItemFilterForm,
    ItemForm,
    PlanReportForm,
    ReturnForm,
)
from mamori.compliance.audits.models import MENU_ROLES, Audit, ImprovementItem, ImprovementPlan
from mamori.compliance.audits.views import PAGE_SIZE, _post, _query
from mamori.compliance.audits.workflow import PlanState
from mamori.org import scope
from mamori.web.access import person_required
from mamori.web.export import csv_response


def _plan(request, pk) -> ImprovementPlan:
    return get_object_or_404(
        ImprovementPlan.objects.visible_to(request.person).select_related(
            "audit", "officer", "unit", "instructed_by"
        ),
        pk=pk,
    )


@person_required
def plan(request, pk):
    plan = _plan(request, pk)
    person = request.person
    items = list(plan.items.select_related("owner", "finding"))
    drafting = person.pk == plan.officer_id and plan.state == PlanState.INSTRUCTED
    is_ciso = scope.has_role(person, "ciso")
    for item in items:
        item.may_complete = (
            item.is_open
            and plan.state != PlanState.CLOSED
            and (person.pk in (item.owner_id, plan.officer_id))
        )
    return render(
        request,
        "audits/plan.html",
        {
            "plan": plan,
            "audit": plan.audit,
            "findings": plan.findings.select_related("unit"),
            "items": items,
            "open_count": sum(1 for i in items if i.is_open),
            # An item owner with no role may not see the audit page: no link then.
            "audit_visible": Audit.objects.visible_to(person).filter(pk=plan.audit_id).exists(),
            "menu": scope.has_role(person, *MENU_ROLES),
            "item_form": ItemForm(plan=plan) if drafting else None,
            "report_form": PlanReportForm(initial={"summary": plan.summary}) if drafting else None,
            "may_close": is_ciso and plan.state == PlanState.REPORTED,
            "return_form": ReturnForm() if is_ciso and plan.state == PlanState.REPORTED else None,
            "done_form": DoneForm(),
            "clause": rules.CROSS_CUTTING_CLAUSE if plan.cross_cutting else rules.UNIT_CLAUSE,
        },
    )


@person_required
@require_POST
def item_add(request, pk):
    plan = _plan(request, pk)
    form = ItemForm(request.POST, plan=plan)
    return _post(
        request,
        lambda: services_plans.add_item(plan, request.person, **form.cleaned_data),
        _("改善措置を登録しました。"),
        ("audits:plan", pk),
        form=form,
        invalid=_("改善措置、担当者と期限を入力してください。"),
    )


@person_required
@require_POST
def item_done(request, pk, item_pk):
    plan = _plan(request, pk)
    item = get_object_or_404(ImprovementItem.objects.select_related("plan"), pk=item_pk, plan=plan)
    form = DoneForm(request.POST)
    return _post(
        request,
        lambda: services_plans.complete_item(item, request.person, **form.cleaned_data),
        _("改善措置を完了にしました。"),
        ("audits:plan", pk),
        form=form,
        invalid=_("措置結果を書いてください。"),
    )


@person_required
@require_POST
def plan_report(request, pk):
    plan = _plan(request, pk)
    form = PlanReportForm(request.POST)
    return _post(
        request,
        lambda: services_plans.report_plan(plan, request.person, **form.cleaned_data),
        _("改善計画と措置結果を報告しました。"),
        ("audits:plan", pk),
        form=form,
        invalid=_("改善計画の概要を書いてください。"),
    )


@person_required
@require_POST
def plan_return(request, pk):
    plan = _plan(request, pk)
    form = ReturnForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _post(
        request,
        lambda: services_plans.return_plan(plan, request.person, note=note),
        _("改善計画を差し戻しました。"),
        ("audits:plan", pk),
    )


@person_required
@require_POST
def plan_close(request, pk):
    plan = _plan(request, pk)
    return _post(
        request,
        lambda: services_plans.close_plan(plan, request.person),
        _("改善計画を完了にしました。"),
        ("audits:plan", pk),
    )


def _items_list(person, form):
    return form.apply(
        ImprovementItem.objects.visible_to(person)
        .select_related("owner", "plan__audit", "plan__officer", "plan__unit")
        .order_by("due_date", "id"),
        timezone.localdate(),
    )


@person_required
def items(request):
    person = request.person
    form = ItemFilterForm(request.GET or None)
    page = Paginator(_items_list(person, form), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audits/items.html",
        {
            "form": form,
            "page": page,
            "query": _query(request),
            "menu": scope.has_role(person, *MENU_ROLES),
        },
    )


@person_required
def items_export(request):
    form = ItemFilterForm(request.GET or None)
    header = [
        _("監査番号"),
        _("改善措置"),
        _("担当者"),
        _("期限"),
        _("完了日時"),
        _("措置結果"),
        _("指示先"),
    ]
    rows = (
        [
            i.plan.audit.number,
            i.measure,
            i.owner,
            i.due_date,
            timezone.localtime(i.done_at).strftime("%Y-%m-%d %H:%M") if i.done_at else "",
            i.result,
            i.plan.officer,
        ]
        for i in _items_list(request.person, form)
    )
    return csv_response("audit-improvement-items.csv", header, rows)
