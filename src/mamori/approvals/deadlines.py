"""The calendar's view of requests (mamori.web.deadlines).

For a person: the decisions they are asked to make (処理期限, set on submission as
the kind's working days by mamori.rules.deadlines.add_working_days), the decision
dates of their own requests, and the end of the permitted period (許可期間の終了) of
their approved requests. One query, whatever the number of requests."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from mamori.approvals import registry
from mamori.approvals.models import Request
from mamori.approvals.workflow import State
from mamori.web.deadlines import Deadline, register

MODULE = "approvals"
# An approved request's period matters while it runs and once it has run its course;
# a revoked or withdrawn one no longer ends on that date.
PERIOD_STATES = (State.APPROVED, State.EXPIRED, State.CLOSED)
DECISION = gettext_noop("%(request)s の処理期限（判断）")
AWAITED = gettext_noop("%(request)s の処理期限（自分の申請）")
PERIOD_END = gettext_noop("%(request)s の許可期間の終了")


def _citation(request: Request) -> str:
    try:
        return str(registry.get(request.kind).citation)
    except registry.UnknownKind:
        return ""


def request_deadlines(person, start: date, end: date):
    due = Q(due_date__gte=start, due_date__lte=end)
    rows = (
        Request.objects.filter(organization_id=person.organization_id)
        .filter(
            (Q(approver=person) & due)
            | (Q(applicant=person) & due)
            | Q(
                applicant=person,
                state__in=PERIOD_STATES,
                period_end__gte=start,
                period_end__lte=end,
            )
        )
        .exclude(state=State.DRAFT)
        .only(
            "pk",
            "kind",
            "title",
            "state",
            "applicant_id",
            "approver_id",
            "due_date",
            "period_end",
        )
        .order_by("pk")
    )
    for request in rows:
        in_range = request.due_date is not None and start <= request.due_date <= end
        # Once decided (or withdrawn) nothing is left to do by the decision date.
        decided = request.state != State.SUBMITTED
        if in_range and request.approver_id == person.pk:
            yield _deadline(request, "decision", request.due_date, DECISION, decided)
        elif in_range and request.applicant_id == person.pk:
            yield _deadline(request, "awaited", request.due_date, AWAITED, decided)
        if (
            request.applicant_id == person.pk
            and request.state in PERIOD_STATES
            and request.period_end is not None
            and start <= request.period_end <= end
        ):
            done = request.state != State.APPROVED
            yield _deadline(request, "period_end", request.period_end, PERIOD_END, done)


def _deadline(request: Request, what: str, due: date, title: str, done: bool) -> Deadline:
    return Deadline(
        uid=f"approvals.request.{request.pk}.{what}",
        due=due,
        title=_(title) % {"request": f"{request.reference} {request.title}"},
        url=reverse("approvals:detail", args=[request.pk]),
        module=MODULE,
        citation=_citation(request),
        done=done,
    )


register(MODULE, request_deadlines, label=gettext_lazy("申請と承認"))
