"""Pages of the evaluations (統一基準(H30) 2.3.1(3)): a 情報セキュリティ責任者 evaluates their
units, the 統括 the organisation. Every change goes through services_evaluations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamori.compliance.assessments import permissions, queries, services_evaluations
from mamori.compliance.assessments.forms import OrgEvaluationForm, UnitEvaluationForm
from mamori.compliance.assessments.models import OrgEvaluation, UnitEvaluation
from mamori.compliance.assessments.rates import percent
from mamori.compliance.assessments.views import _due_state, _plan
from mamori.compliance.assessments.workflow import EvaluationState, PlanState
from mamori.errors import MamoriError
from mamori.org.models import OrgUnit
from mamori.web.access import person_required, report


def _rate_rows(tallies, units):
    return [
        {
            "unit": unit,
            "tally": tallies[unit.pk],
            "submission": percent(tallies[unit.pk].submission_rate),
            "answer": percent(tallies[unit.pk].answer_rate),
            "implementation": percent(tallies[unit.pk].implementation_rate),
        }
        for unit in units
    ]


def _unit(plan, unit_pk) -> OrgUnit:
    return get_object_or_404(OrgUnit, pk=unit_pk, organization_id=plan.organization_id)


@person_required
def unit_evaluation(request, pk, unit_pk):
    plan = _plan(request, pk)
    unit = _unit(plan, unit_pk)
    person = request.person
    may_edit = permissions.can_evaluate_unit(person, unit)
    if not may_edit and not permissions.sees_whole_organization(person):
        raise PermissionDenied(_("この組織単位の自己点検結果を評価する権限がありません。"))
    evaluation = (
        UnitEvaluation.objects.filter(plan=plan, unit=unit).select_related("evaluator").first()
    )
    editable = (
        may_edit
        and plan.state == PlanState.OPEN
        and (evaluation is None or evaluation.state == EvaluationState.DRAFT)
    )
    initial = (
        {"summary": evaluation.summary, "unit_issues": evaluation.unit_issues}
        if evaluation
        else None
    )
    form = UnitEvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("この組織単位の自己点検結果を評価する権限がありません。"))
        if form.is_valid():
            try:
                services_evaluations.save_unit_evaluation(
                    plan,
                    unit,
                    person,
                    summary=form.cleaned_data["summary"],
                    unit_issues=form.cleaned_data["unit_issues"],
                )
            except MamoriError as error:
                report(request, error, form)
            else:
                messages.success(request, _("評価を保存しました。"))
                return redirect("assessments:unit_evaluation", plan.pk, unit.pk)
    by_unit = queries.tallies_by_unit(plan)
    children = [unit, *OrgUnit.objects.filter(parent=unit).order_by("path")]
    tallies = queries.rolled_up(plan, children, by_unit)
    context = {
        "plan": plan,
        "unit": unit,
        "evaluation": evaluation,
        "form": form,
        "editable": editable,
        "rows": _rate_rows(tallies, children),
        "weak": queries.weak_requirements(plan, unit),
        "due_state": _due_state(
            plan.unit_evaluation_due,
            evaluation is not None and evaluation.state == EvaluationState.REPORTED,
        ),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/unit_evaluation.html", context, status=status)


@require_POST
@person_required
def unit_evaluation_report(request, pk, unit_pk):
    plan = _plan(request, pk)
    unit = _unit(plan, unit_pk)
    if not permissions.can_evaluate_unit(request.person, unit):
        raise PermissionDenied(_("この組織単位の自己点検結果を評価する権限がありません。"))
    evaluation = get_object_or_404(UnitEvaluation, plan=plan, unit=unit)
    try:
        services_evaluations.report_unit_evaluation(evaluation, request.person)
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(request, _("評価を統括情報セキュリティ責任者に報告しました。"))
    return redirect("assessments:unit_evaluation", plan.pk, unit.pk)


@person_required
def org_evaluation(request, pk):
    plan = _plan(request, pk)
    person = request.person
    if not permissions.sees_whole_organization(person):
        raise PermissionDenied(_("組織全体の評価を閲覧する権限がありません。"))
    may_edit = permissions.can_evaluate_organization(person)
    evaluation = OrgEvaluation.objects.filter(plan=plan).select_related("evaluator").first()
    editable = (
        may_edit
        and plan.state == PlanState.OPEN
        and (evaluation is None or evaluation.state == EvaluationState.DRAFT)
    )
    initial = (
        {"summary": evaluation.summary, "common_issues": evaluation.common_issues}
        if evaluation
        else None
    )
    form = OrgEvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(
                _("組織全体の自己点検結果を評価できるのは統括情報セキュリティ責任者だけです。")
            )
        if form.is_valid():
            try:
                services_evaluations.save_org_evaluation(
                    plan,
                    person,
                    summary=form.cleaned_data["summary"],
                    common_issues=form.cleaned_data["common_issues"],
                )
            except MamoriError as error:
                report(request, error, form)
            else:
                messages.success(request, _("評価を保存しました。"))
                return redirect("assessments:org_evaluation", plan.pk)
    by_unit = queries.tallies_by_unit(plan)
    top = list(
        OrgUnit.objects.filter(organization_id=plan.organization_id, parent__isnull=True).order_by(
            "path"
        )
    )
    tallies = queries.rolled_up(plan, top, by_unit)
    total = queries.organization_tally(by_unit)
    context = {
        "plan": plan,
        "evaluation": evaluation,
        "form": form,
        "editable": editable,
        "rows": _rate_rows(tallies, top),
        "total": total,
        "total_rates": {
            "submission": percent(total.submission_rate),
            "answer": percent(total.answer_rate),
            "implementation": percent(total.implementation_rate),
        },
        "unit_evaluations": UnitEvaluation.objects.filter(plan=plan).select_related(
            "unit", "evaluator"
        ),
        "weak": queries.weak_requirements(plan),
        "due_state": _due_state(
            plan.org_evaluation_due,
            evaluation is not None and evaluation.state == EvaluationState.REPORTED,
        ),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/org_evaluation.html", context, status=status)


@require_POST
@person_required
def org_evaluation_report(request, pk):
    plan = _plan(request, pk)
    if not permissions.can_evaluate_organization(request.person):
        raise PermissionDenied(
            _("組織全体の自己点検結果を評価できるのは統括情報セキュリティ責任者だけです。")
        )
    evaluation = get_object_or_404(OrgEvaluation, plan=plan)
    try:
        services_evaluations.report_org_evaluation(evaluation, request.person)
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(request, _("評価を最高情報セキュリティ責任者に報告しました。"))
    return redirect("assessments:org_evaluation", plan.pk)
