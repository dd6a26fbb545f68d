"""Audit deadlines for the calendar: the end of each audit period, the report due date
while the report is outstanding, and each improvement measure's due date for its owner
and the officers who see its plan, and each plan's report due date. Four queries,
whatever the number of rows."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from mamori.compliance.audits import rules
from mamori.compliance.audits.models import Audit, ImprovementItem, ImprovementPlan
from mamori.compliance.audits.workflow import AuditState, PlanState
from mamori.web.deadlines import Deadline


def provider(person, start, end):
    audits = Audit.objects.visible_to(person)
    rulebooks = person.organization.rulebooks  # visible audits are all of this organisation
    for audit in audits.filter(end_date__range=(start, end)):
        yield Deadline(
            uid=f"audits.audit.{audit.pk}.end",
            due=audit.end_date,
            title=_("監査期間の終了: %(number)s %(title)s")
            % {"number": audit.number, "title": audit.title},
            url=reverse("audits:detail", args=[audit.pk]),
            module="audits",
            citation=rules.kind_clause(audit.kind, audit.additional, rulebooks),
            done=audit.state in (AuditState.REPORTED, AuditState.CLOSED),
        )
    for audit in audits.filter(report_due__range=(start, end)):
        yield Deadline(
            uid=f"audits.audit.{audit.pk}.report",
            due=audit.report_due,
            title=_("監査報告書の提出期限: %(number)s %(title)s")
            % {"number": audit.number, "title": audit.title},
            url=reverse("audits:detail", args=[audit.pk]),
            module="audits",
            citation=rules.INSTRUCTION_CLAUSE,
            done=audit.reported_at is not None,
        )
    plans = (
        ImprovementPlan.objects.visible_to(person)
        .filter(due_date__range=(start, end))
        .select_related("audit")
    )
    for plan in plans:
        yield Deadline(
            uid=f"audits.plan.{plan.pk}",
            due=plan.due_date,
            title=_("改善計画の報告期限: %(number)s %(title)s")
            % {"number": plan.audit.number, "title": plan.audit.title},
            url=reverse("audits:plan", args=[plan.pk]),
            module="audits",
            citation=rules.CROSS_CUTTING_CLAUSE if plan.cross_cutting else rules.UNIT_CLAUSE,
            done=plan.state != PlanState.INSTRUCTED,
        )
    items = (
        ImprovementItem.objects.visible_to(person)
        .filter(due_date__range=(start, end))
        .select_related("plan__audit")
    )
    for item in items:
        yield Deadline(
            uid=f"audits.item.{item.pk}",
            due=item.due_date,
            title=_("改善措置の期限: %(measure)s") % {"measure": item.measure[:60]},
            url=reverse("audits:plan", args=[item.plan_id]),
            module="audits",
            citation=rules.CROSS_CUTTING_CLAUSE if item.plan.cross_cutting else rules.UNIT_CLAUSE,
            done=item.done_at is not None,
        )
