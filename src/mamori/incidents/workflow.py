"""The incident status transition map (DESIGN principle 3: workflows are explicit maps).

A case moves only along these arrows; anything else raises InvalidTransition with a
translated message naming both states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mamori.errors import InvalidTransition


class Status(models.TextChoices):
    REPORTED = "reported", _("報告受付")
    TRIAGED = "triaged", _("初動判断済")
    RESPONDING = "responding", _("対処中")
    RECOVERING = "recovering", _("復旧中")
    CLOSED = "closed", _("終結")
    CANCELLED = "cancelled", _("取消（誤報）")
    MERGED = "merged", _("統合済")


# Where a case may go from each state. A closed case may be reopened when new facts
# come to light; cancelled and merged cases are final (a new report is filed instead).
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.REPORTED: frozenset({Status.TRIAGED, Status.CANCELLED, Status.MERGED}),
    Status.TRIAGED: frozenset(
        {Status.RESPONDING, Status.RECOVERING, Status.CLOSED, Status.CANCELLED, Status.MERGED}
    ),
    Status.RESPONDING: frozenset({Status.RECOVERING, Status.CLOSED}),
    Status.RECOVERING: frozenset({Status.RESPONDING, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.RESPONDING}),
    Status.CANCELLED: frozenset(),
    Status.MERGED: frozenset(),
}

# States in which the case is still being worked on (chain items can still fall due).
OPEN_STATES = frozenset({Status.REPORTED, Status.TRIAGED, Status.RESPONDING, Status.RECOVERING})
FINAL_STATES = frozenset({Status.CANCELLED, Status.MERGED})

# Badge styles of app.css that read right for each state.
STATUS_BADGES = {
    Status.REPORTED: "submitted",
    Status.TRIAGED: "submitted",
    Status.RESPONDING: "returned",
    Status.RECOVERING: "returned",
    Status.CLOSED: "closed",
    Status.CANCELLED: "withdrawn",
    Status.MERGED: "withdrawn",
}


def allowed(current: str) -> frozenset[str]:
    return TRANSITIONS.get(current, frozenset())


def check(current: str, target: str) -> None:
    if target not in allowed(current):
        raise InvalidTransition(
            gettext("「%(current)s」から「%(target)s」へは移れません。")
            % {"current": _label(current), "target": _label(target)},
            details={"from": current, "to": target, "allowed": sorted(allowed(current))},
        )


def _label(code: str) -> str:
    try:
        return str(Status(code).label)
    except ValueError:
        return code
