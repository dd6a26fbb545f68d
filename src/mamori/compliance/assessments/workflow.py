"""The transition maps of the self-assessment (DESIGN principle 3: explicit maps).

A plan (年度自己点検計画) is drafted, opened (checklists distributed) and closed once the
organisation's evaluation is reported; a checklist (自己点検票) is distributed, worked on
and submitted, and goes back to in-progress when the plan is revised with new items
(統一基準 2.3.1(1)(c)). Evaluations are drafted and then reported up the chain."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mamori.errors import InvalidTransition


class PlanState(models.TextChoices):
    DRAFT = "draft", _("作成中")
    OPEN = "open", _("実施中")
    CLOSED = "closed", _("終了")


class ChecklistState(models.TextChoices):
    DISTRIBUTED = "distributed", _("配付済")
    IN_PROGRESS = "in_progress", _("回答中")
    SUBMITTED = "submitted", _("提出済")


class EvaluationState(models.TextChoices):
    DRAFT = "draft", _("作成中")
    REPORTED = "reported", _("報告済")


class Answer(models.TextChoices):
    NONE = "", _("未回答")
    DONE = "done", _("実施している")
    PARTIAL = "partial", _("一部実施")
    NOT_DONE = "not_done", _("実施していない")
    NA = "na", _("該当しない")


# Answers that need a comment saying what is missing (and why).
ANSWERS_NEEDING_COMMENT = frozenset({Answer.PARTIAL, Answer.NOT_DONE})
GIVEN_ANSWERS = frozenset({Answer.DONE, Answer.PARTIAL, Answer.NOT_DONE, Answer.NA})

PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    PlanState.DRAFT: frozenset({PlanState.OPEN}),
    PlanState.OPEN: frozenset({PlanState.CLOSED}),
    PlanState.CLOSED: frozenset(),
}

CHECKLIST_TRANSITIONS: dict[str, frozenset[str]] = {
    ChecklistState.DISTRIBUTED: frozenset({ChecklistState.IN_PROGRESS, ChecklistState.SUBMITTED}),
    ChecklistState.IN_PROGRESS: frozenset({ChecklistState.SUBMITTED}),
    # A revision with new items re-opens a submitted checklist (2.3.1(1)(c)).
    ChecklistState.SUBMITTED: frozenset({ChecklistState.IN_PROGRESS}),
}

EVALUATION_TRANSITIONS: dict[str, frozenset[str]] = {
    EvaluationState.DRAFT: frozenset({EvaluationState.REPORTED}),
    EvaluationState.REPORTED: frozenset(),
}

# Badge styles of app.css that read right for each state.
PLAN_BADGES = {PlanState.DRAFT: "draft", PlanState.OPEN: "submitted", PlanState.CLOSED: "closed"}
CHECKLIST_BADGES = {
    ChecklistState.DISTRIBUTED: "draft",
    ChecklistState.IN_PROGRESS: "returned",
    ChecklistState.SUBMITTED: "approved",
}
EVALUATION_BADGES = {EvaluationState.DRAFT: "draft", EvaluationState.REPORTED: "approved"}


def check(
    transitions: dict[str, frozenset[str]],
    choices: type[models.TextChoices],
    current: str,
    target: str,
) -> None:
    """Raise InvalidTransition unless `current → target` is on the map."""
    allowed = transitions.get(current, frozenset())
    if target not in allowed:
        raise InvalidTransition(
            gettext("「%(current)s」から「%(target)s」へは移れません。")
            % {"current": _label(choices, current), "target": _label(choices, target)},
            details={"from": current, "to": target, "allowed": sorted(allowed)},
        )


def _label(choices: type[models.TextChoices], code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code
