"""Reminders of unsubmitted self-assessment checklists (統一基準(H30) 2.3.1), run daily by
`mamori assessment_reminders`. Same rules as services.py: one transaction per plan with
its trail event."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from mamori.compliance.assessments import notify_bulk
from mamori.compliance.assessments.models import AssessmentPlan, Checklist
from mamori.compliance.assessments.services import _event
from mamori.compliance.assessments.workflow import ChecklistState, PlanState
from mamori.rules import deadlines


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def send_reminders(plan: AssessmentPlan | None = None, today: date | None = None) -> int:
    """Remind the owners of unsubmitted checklists on the reminder days before the
    answer due date (mamori.rules.deadlines.reminder_dates) and every day once overdue;
    at most once a day each. Returns how many people were reminded."""
    today = today or timezone.localdate()
    plans = AssessmentPlan.objects.filter(state=PlanState.OPEN)
    if plan is not None:
        plans = plans.filter(pk=plan.pk)
    reminded = 0
    for current in plans:
        overdue = today > current.answer_due
        if not overdue and today not in deadlines.reminder_dates(current.answer_due):
            continue
        with transaction.atomic():
            pending = list(
                Checklist.objects.select_for_update(of=("self",))
                .filter(plan=current)
                .exclude(state=ChecklistState.SUBMITTED)
                .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=_start_of(today)))
                .values_list("pk", "person_id", "person__email")
            )
            if not pending:
                continue
            Checklist.objects.filter(pk__in=[pk for pk, _p, _e in pending]).update(
                # A run for a given day (the command's --date) counts as that day's.
                last_reminded_at=max(timezone.now(), _start_of(today))
            )
            message = (
                gettext_noop("自己点検票の回答期限を過ぎています: %(title)s（回答期限 %(due)s）")
                if overdue
                else gettext_noop(
                    "自己点検票の回答期限が近づいています: %(title)s（回答期限 %(due)s）"
                )
            )
            notify_bulk.notify_many(
                [(person_id, email) for _pk, person_id, email in pending],
                message,
                {"title": current.title, "due": current.answer_due.isoformat()},
                reverse("assessments:mine"),
            )
            _event(
                "plan.reminded",
                None,
                current,
                {"reminded": len(pending), "overdue": overdue, "date": today.isoformat()},
                current.organization_id,
            )
            reminded += len(pending)
    return reminded
