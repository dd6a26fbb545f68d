"""This app's due dates for the calendar (mamori.web.deadlines): violation-report steps
waiting for their recipient, and the review dates of 対策基準 documents."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.rules.deadlines import add_working_days
from mamori.rules.refs import TOITSU_H30, cite

# A report up the chain is expected to be taken up the next working day: 2.2.1 asks the
# officers to pass problems on promptly (統一基準(H30) 2.2.1(1)(d)(e)).
STEP_WORKING_DAYS = 1
STEP_CITATION = cite(TOITSU_H30, "2.2.1(1)(d)")
REVIEW_CITATION = cite(TOITSU_H30, "2.1.2(1)(a)")


def step_due(sent_at):
    return add_working_days(timezone.localtime(sent_at).date(), STEP_WORKING_DAYS)


def _violation_steps(person, start, end):
    from mamori.compliance.models import ViolationStep

    # A step sent up to two weeks before `start` can still fall due inside the range.
    since = start - timedelta(days=14)
    steps = ViolationStep.objects.filter(
        recipient=person,
        report__organization_id=person.organization_id,
        sent_at__date__gte=since,
        sent_at__date__lte=end,
    ).select_related("report")
    for step in steps:
        yield _deadline(step)


def _deadline(step):
    from mamori.web.deadlines import Deadline

    return Deadline(
        uid=f"compliance.violation_step.{step.pk}",
        due=step_due(step.sent_at),
        title=_("違反の報告の受領確認: %(title)s") % {"title": step.report.title},
        url=reverse("compliance:violation_detail", args=[step.report_id]),
        module="compliance",
        citation=step.citation or STEP_CITATION,
        done=step.acknowledged_at is not None,
    )


def _policy_reviews(person, start, end):
    from mamori.compliance.models import PolicyDocument, PolicyState
    from mamori.web.deadlines import Deadline

    documents = (
        PolicyDocument.objects.visible_to(person)
        .filter(review_date__range=(start, end))
        .exclude(state=PolicyState.RETIRED)
    )
    for document in documents:
        yield Deadline(
            uid=f"compliance.policy_review.{document.pk}",
            due=document.review_date,
            title=_("対策基準の見直し: %(title)s") % {"title": str(document)},
            url=reverse("compliance:policy_document", args=[document.pk]),
            module="compliance",
            citation=REVIEW_CITATION,
        )


def provider(person, start, end):
    if person is None:
        return []
    return [*_violation_steps(person, start, end), *_policy_reviews(person, start, end)]


def register_deadlines() -> None:
    from django.utils.translation import gettext_lazy

    from mamori.web.deadlines import register

    register("compliance", provider, label=gettext_lazy("対策基準と違反の報告"))
