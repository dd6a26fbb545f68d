"""Transition maps of an audit and of an improvement plan (DESIGN principle 3).

An audit: planned → in_progress → reported → closed. A plan: instructed (the CISO's
instruction is waiting for the officer's plan) → reported (plan and results sent to the
CISO) → closed; only a reported plan closes, and a reported plan goes back to instructed
when more work is needed. Anything else raises InvalidTransition naming both states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mamori.errors import InvalidTransition


class AuditState(models.TextChoices):
    PLANNED = "planned", _("計画")
    IN_PROGRESS = "in_progress", _("実施中")
    REPORTED = "reported", _("報告済")
    CLOSED = "closed", _("完了")


class PlanState(models.TextChoices):
    INSTRUCTED = "instructed", _("指示受領")
    REPORTED = "reported", _("報告済")
    CLOSED = "closed", _("完了")


AUDIT_TRANSITIONS: dict[str, frozenset[str]] = {
    AuditState.PLANNED: frozenset({AuditState.IN_PROGRESS}),
    AuditState.IN_PROGRESS: frozenset({AuditState.REPORTED}),
    AuditState.REPORTED: frozenset({AuditState.CLOSED}),
    AuditState.CLOSED: frozenset(),
}

PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    PlanState.INSTRUCTED: frozenset({PlanState.REPORTED}),
    PlanState.REPORTED: frozenset({PlanState.INSTRUCTED, PlanState.CLOSED}),
    PlanState.CLOSED: frozenset(),
}

BADGES = {
    AuditState.PLANNED: "draft",
    AuditState.IN_PROGRESS: "submitted",
    AuditState.REPORTED: "returned",
    AuditState.CLOSED: "closed",
    PlanState.INSTRUCTED: "submitted",
}


def _check(transitions, choices, current: str, target: str) -> None:
    if target not in transitions.get(current, frozenset()):
        raise InvalidTransition(
            gettext("「%(current)s」から「%(target)s」へは移れません。")
            % {"current": _label(choices, current), "target": _label(choices, target)},
            details={"from": current, "to": target},
        )


def check_audit(current: str, target: str) -> None:
    _check(AUDIT_TRANSITIONS, AuditState, current, target)


def check_plan(current: str, target: str) -> None:
    _check(PLAN_TRANSITIONS, PlanState, current, target)


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code
