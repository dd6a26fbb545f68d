"""The report status transition map (DESIGN principle 3).

submitted: the operator has sent it to its ministry's sector liaison (別添3.3①);
forwarded: the liaison has passed it on to NISC (別添3.3②); closed: NISC has finished
with it. A report updated after forwarding goes back through the liaison, so
forwarded → submitted is allowed when a new version arrives."""

from __future__ import annotations

from django.utils.translation import gettext

from mamori.errors import InvalidTransition
from mamori.sharing.drill_models import DrillStatus
from mamori.sharing.models import ReportStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.SUBMITTED: frozenset({ReportStatus.FORWARDED}),
    ReportStatus.FORWARDED: frozenset({ReportStatus.SUBMITTED, ReportStatus.CLOSED}),
    ReportStatus.CLOSED: frozenset(),
}

# A drill is open until its initiator (or NISC) closes it (Ⅲ.3.2).
DRILL_TRANSITIONS: dict[str, frozenset[str]] = {
    DrillStatus.OPEN: frozenset({DrillStatus.CLOSED}),
    DrillStatus.CLOSED: frozenset(),
}

STATUS_BADGES = {
    ReportStatus.SUBMITTED: "submitted",
    ReportStatus.FORWARDED: "returned",
    ReportStatus.CLOSED: "closed",
}


def check(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, frozenset()):
        raise InvalidTransition(
            gettext("「%(current)s」から「%(target)s」には進めません。")
            % {
                "current": ReportStatus(current).label,
                "target": ReportStatus(target).label,
            }
        )
