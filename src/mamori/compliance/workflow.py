"""The transition map of a violation report (DESIGN principle 3).

統一基準(R7) 2.2.1(2)(a): a member of staff reports a serious violation to their 情報
セキュリティ責任者; 統一基準(H30) 2.2.1(1)(d): the officer reports it to the 統括情報
セキュリティ責任者; 2.2.1(1)(e): the 統括 reports it to the CISO. When no officer covers the
reporter's unit the report goes straight to the 統括, who then reports to the CISO."""

from __future__ import annotations

from django.utils.translation import gettext

from mamori.compliance.models import StepKind, ViolationStatus
from mamori.errors import InvalidTransition
from mamori.rules.refs import TOITSU_H30, TOITSU_R7, cite

TRANSITIONS: dict[str, frozenset[str]] = {
    ViolationStatus.REPORTED: frozenset(
        {ViolationStatus.FORWARDED_TO_CHIEF, ViolationStatus.REPORTED_TO_CISO}
    ),
    ViolationStatus.FORWARDED_TO_CHIEF: frozenset({ViolationStatus.REPORTED_TO_CISO}),
    ViolationStatus.REPORTED_TO_CISO: frozenset({ViolationStatus.CLOSED}),
    ViolationStatus.CLOSED: frozenset(),
}

# The step each move creates, and its clause.
STEP_FOR = {
    ViolationStatus.REPORTED: StepKind.TO_OFFICER,
    ViolationStatus.FORWARDED_TO_CHIEF: StepKind.TO_CHIEF,
    ViolationStatus.REPORTED_TO_CISO: StepKind.TO_CISO,
}
CITATIONS = {
    StepKind.TO_OFFICER: cite(TOITSU_R7, "2.2.1(2)(a)"),
    StepKind.TO_CHIEF: cite(TOITSU_H30, "2.2.1(1)(d)"),
    StepKind.TO_CISO: cite(TOITSU_H30, "2.2.1(1)(e)"),
}
STATUS_BADGES = {
    ViolationStatus.REPORTED: "submitted",
    ViolationStatus.FORWARDED_TO_CHIEF: "submitted",
    ViolationStatus.REPORTED_TO_CISO: "returned",
    ViolationStatus.CLOSED: "closed",
}


def allowed(current: str) -> frozenset[str]:
    return TRANSITIONS.get(current, frozenset())


def check(current: str, target: str) -> None:
    if target not in allowed(current):
        raise InvalidTransition(
            gettext("「%(current)s」から「%(target)s」には進められません。")
            % {
                "current": ViolationStatus(current).label,
                "target": ViolationStatus(target).label,
            }
        )
