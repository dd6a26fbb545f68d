"""Evaluation of the self-assessment results: each 情報セキュリティ責任者 for their units
(統一基準(H30) 2.3.1(3)(a)), then the 統括 for the organisation, reported to the CISO
(2.3.1(3)(b)). One function per state change, each with its trail event in its own
transaction, as in services.py."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mamori.compliance.assessments import notify_bulk, permissions
from mamori.compliance.assessments.models import AssessmentPlan, OrgEvaluation, UnitEvaluation
from mamori.compliance.assessments.services import (
    CLAUSE_ORG_EVALUATION,
    CLAUSE_UNIT_EVALUATION,
    _chiefs,
    _event,
    _people_with_role,
)
from mamori.compliance.assessments.workflow import (
    EVALUATION_TRANSITIONS,
    EvaluationState,
    PlanState,
    check,
)
from mamori.errors import Forbidden, InvalidInput, InvalidTransition


def _mark_reported(evaluation: UnitEvaluation | OrgEvaluation, actor) -> None:
    """draft → reported, by `actor`, on a locked evaluation of an open plan."""
    _require_evaluable(evaluation.plan)
    check(EVALUATION_TRANSITIONS, EvaluationState, evaluation.state, EvaluationState.REPORTED)
    evaluation.state = EvaluationState.REPORTED
    evaluation.reported_at = timezone.now()
    evaluation.evaluator = actor
    evaluation.save(update_fields=["state", "reported_at", "evaluator", "updated_at"])


def _require_unit_evaluator(actor, unit) -> None:
    if not permissions.can_evaluate_unit(actor, unit):
        raise Forbidden(
            _(
                "この組織単位の自己点検結果を評価できるのは、担当する情報セキュリティ責任者"
                "だけです（%(clause)s）。"
            )
            % {"clause": CLAUSE_UNIT_EVALUATION}
        )


def _require_evaluable(plan: AssessmentPlan) -> None:
    if plan.state != PlanState.OPEN:
        raise InvalidTransition(_("評価は実施中の年度自己点検計画についてだけ行えます。"))


def save_unit_evaluation(
    plan: AssessmentPlan, unit, actor, *, summary: str, unit_issues: str = ""
) -> UnitEvaluation:
    """Write (or rewrite, until reported) the evaluation of a unit's results by its
    情報セキュリティ責任者 (統一基準(H30) 2.3.1(3)(a))."""
    if unit.organization_id != plan.organization_id:
        raise Forbidden(_("他の組織の組織単位は評価できません。"))
    _require_unit_evaluator(actor, unit)
    _require_evaluable(plan)
    summary = (summary or "").strip()
    if not summary:
        raise InvalidInput(_("評価の概要を入力してください。"), details={"summary": ""})
    with transaction.atomic():
        evaluation = UnitEvaluation.objects.select_for_update().filter(plan=plan, unit=unit).first()
        if evaluation is not None and evaluation.state == EvaluationState.REPORTED:
            raise InvalidTransition(_("報告済の評価は変更できません。"))
        if evaluation is None:
            evaluation = UnitEvaluation(plan=plan, unit=unit)
        evaluation.evaluator = actor
        evaluation.summary = summary
        evaluation.unit_issues = (unit_issues or "").strip()
        evaluation.save()
        _event(
            "unit_evaluation.saved",
            actor,
            evaluation,
            {"unit": unit.pk, "clause": CLAUSE_UNIT_EVALUATION},
            plan.organization_id,
        )
    return evaluation


def report_unit_evaluation(evaluation: UnitEvaluation, actor) -> UnitEvaluation:
    """Report the unit's evaluation to the 統括情報セキュリティ責任者 (2.3.1(3)(a))."""
    _require_unit_evaluator(actor, evaluation.unit)
    with transaction.atomic():
        evaluation = (
            UnitEvaluation.objects.select_for_update(of=("self",))
            .select_related("plan__organization", "unit")
            .get(pk=evaluation.pk)
        )
        _mark_reported(evaluation, actor)
        chiefs = _chiefs(evaluation.plan.organization)
        notify_bulk.notify_many(
            [(p.pk, p.email) for p in chiefs],
            gettext_noop("%(unit)sの自己点検結果の評価が報告されました: %(title)s"),
            {"unit": evaluation.unit.name, "title": evaluation.plan.title},
            reverse("assessments:org_evaluation", args=[evaluation.plan_id]),
        )
        _event(
            "unit_evaluation.reported",
            actor,
            evaluation,
            {
                "unit": evaluation.unit_id,
                "notified": len(chiefs),
                "clause": CLAUSE_UNIT_EVALUATION,
            },
            evaluation.plan.organization_id,
        )
    return evaluation


def _require_org_evaluator(plan: AssessmentPlan, actor) -> None:
    if (
        actor is None
        or actor.organization_id != plan.organization_id
        or not permissions.can_evaluate_organization(actor)
    ):
        raise Forbidden(
            _(
                "組織全体の自己点検結果を評価できるのは統括情報セキュリティ責任者だけです"
                "（%(clause)s）。"
            )
            % {"clause": CLAUSE_ORG_EVALUATION}
        )


def save_org_evaluation(
    plan: AssessmentPlan, actor, *, summary: str, common_issues: str = ""
) -> OrgEvaluation:
    """Write (or rewrite, until reported) the 統括's evaluation of the organisation's
    results, looking for issues common to the organisation (2.3.1(3)(b))."""
    _require_org_evaluator(plan, actor)
    _require_evaluable(plan)
    summary = (summary or "").strip()
    if not summary:
        raise InvalidInput(_("評価の概要を入力してください。"), details={"summary": ""})
    with transaction.atomic():
        evaluation = OrgEvaluation.objects.select_for_update().filter(plan=plan).first()
        if evaluation is not None and evaluation.state == EvaluationState.REPORTED:
            raise InvalidTransition(_("報告済の評価は変更できません。"))
        if evaluation is None:
            evaluation = OrgEvaluation(plan=plan)
        evaluation.evaluator = actor
        evaluation.summary = summary
        evaluation.common_issues = (common_issues or "").strip()
        evaluation.save()
        _event(
            "org_evaluation.saved",
            actor,
            evaluation,
            {"clause": CLAUSE_ORG_EVALUATION},
            plan.organization_id,
        )
    return evaluation


def report_org_evaluation(evaluation: OrgEvaluation, actor) -> OrgEvaluation:
    """Report the organisation's evaluation to every CISO of the organisation
    (統一基準(H30) 2.3.1(3)(b))."""
    _require_org_evaluator(evaluation.plan, actor)
    with transaction.atomic():
        evaluation = (
            OrgEvaluation.objects.select_for_update(of=("self",))
            .select_related("plan__organization")
            .get(pk=evaluation.pk)
        )
        _mark_reported(evaluation, actor)
        cisos = _people_with_role(evaluation.plan.organization_id, ("ciso",))
        notify_bulk.notify_many(
            [(p.pk, p.email) for p in cisos],
            gettext_noop("組織全体の自己点検結果の評価が報告されました: %(title)s"),
            {"title": evaluation.plan.title},
            reverse("assessments:org_evaluation", args=[evaluation.plan_id]),
        )
        _event(
            "org_evaluation.reported",
            actor,
            evaluation,
            {"notified": len(cisos), "clause": CLAUSE_ORG_EVALUATION},
            evaluation.plan.organization_id,
        )
    return evaluation
