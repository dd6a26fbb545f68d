"""Menu items and calendar deadlines of the self-assessment."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.compliance.assessments import permissions
from mamori.web.deadlines import Deadline
from mamori.web.deadlines import register as register_deadlines
from mamori.web.nav import NavItem, register

# Everyone answers their own checklist; the officers also run and evaluate the plans.
register(
    NavItem(
        "self_assessment", gettext_lazy("自己点検"), "assessments:mine", None, 55, group="checks"
    )
)
register(
    NavItem(
        "self_assessment_plans",
        gettext_lazy("自己点検計画"),
        "assessments:plans",
        permissions.PLAN_VIEW_ROLES,
        56,
        group="checks",
    )
)
register(
    NavItem(
        "self_assessment_dashboard",
        gettext_lazy("自己点検の状況"),
        "assessments:dashboard",
        permissions.PLAN_VIEW_ROLES,
        57,
        group="checks",
    )
)


def _deadlines(person, start, end):
    """The answer due date of one's own checklists; the unit evaluation due date for the
    情報セキュリティ責任者; the organisation's evaluation due date for the 統括. At most
    five queries whatever the number of plans or checklists."""
    from mamori.compliance.assessments.models import (
        AssessmentPlan,
        Checklist,
        OrgEvaluation,
        UnitEvaluation,
    )
    from mamori.compliance.assessments.services import (
        CLAUSE_ANSWER,
        CLAUSE_ORG_EVALUATION,
        CLAUSE_UNIT_EVALUATION,
    )
    from mamori.compliance.assessments.workflow import (
        ChecklistState,
        EvaluationState,
        PlanState,
    )

    if person is None:
        return []
    found = []
    for checklist in Checklist.objects.filter(
        person=person, plan__state=PlanState.OPEN, due_date__range=(start, end)
    ).select_related("plan"):
        found.append(
            Deadline(
                uid=f"assessments.checklist.{checklist.pk}",
                due=checklist.due_date,
                title=_("自己点検票の回答期限: %(title)s") % {"title": checklist.plan.title},
                url=reverse("assessments:checklist", args=[checklist.pk]),
                module="assessments",
                citation=CLAUSE_ANSWER,
                done=checklist.state == ChecklistState.SUBMITTED,
            )
        )
    open_plans = AssessmentPlan.objects.filter(
        organization_id=person.organization_id, state=PlanState.OPEN
    )
    units = permissions.evaluation_units(person)
    if units:
        plans = list(open_plans.filter(unit_evaluation_due__range=(start, end)))
        reported = set(
            UnitEvaluation.objects.filter(
                plan__in=plans, unit__in=units, state=EvaluationState.REPORTED
            ).values_list("plan_id", "unit_id")
        )
        for plan in plans:
            for unit in units:
                found.append(
                    Deadline(
                        uid=f"assessments.unit_evaluation.{plan.pk}.{unit.pk}",
                        due=plan.unit_evaluation_due,
                        title=_("自己点検結果の評価（%(unit)s）: %(title)s")
                        % {"unit": unit.name, "title": plan.title},
                        url=reverse("assessments:unit_evaluation", args=[plan.pk, unit.pk]),
                        module="assessments",
                        citation=CLAUSE_UNIT_EVALUATION,
                        done=(plan.pk, unit.pk) in reported,
                    )
                )
    if permissions.can_evaluate_organization(person):
        plans = list(open_plans.filter(org_evaluation_due__range=(start, end)))
        reported_plans = set(
            OrgEvaluation.objects.filter(
                plan__in=plans, state=EvaluationState.REPORTED
            ).values_list("plan_id", flat=True)
        )
        for plan in plans:
            found.append(
                Deadline(
                    uid=f"assessments.org_evaluation.{plan.pk}",
                    due=plan.org_evaluation_due,
                    title=_("組織全体の自己点検結果の評価: %(title)s") % {"title": plan.title},
                    url=reverse("assessments:org_evaluation", args=[plan.pk]),
                    module="assessments",
                    citation=CLAUSE_ORG_EVALUATION,
                    done=plan.pk in reported_plans,
                )
            )
    return found


register_deadlines("assessments", _deadlines)
