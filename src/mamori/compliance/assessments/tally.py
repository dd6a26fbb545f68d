"""The running tally of answers (AnswerTally): per plan, unit (of the checklist) and
requirement, how many items there are and how many carry each answer.

The dashboards and evaluation pages read these few thousand rows instead of grouping the
hundreds of thousands of ChecklistItem rows of a ministry. The services keep the tally
inside their own transactions:

- distribution and revision add items (`add_items`, set-based: counted in Python, then
  one bulk update of the existing rows and one bulk insert of the new ones);
- answering moves counts from the old answer to the new one (`apply_changes`, F()
  updates grouped by the kind of change, so concurrent answers never lose a count).

`rebuild` recounts a plan from its items (the `assessment_tally --rebuild` command), for
repair after a change made outside the services."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, Q

from mamori.compliance.assessments.models import AnswerTally, AssessmentPlan, ChecklistItem
from mamori.compliance.assessments.workflow import Answer
from mamori.trail.services import record

BATCH_SIZE = 2000
# The counter each answer is kept in ("" = unanswered: only in `items`).
ANSWER_FIELDS = {
    Answer.DONE: "done",
    Answer.PARTIAL: "partial",
    Answer.NOT_DONE: "not_done",
    Answer.NA: "na",
}
COUNT_FIELDS = ("items", *ANSWER_FIELDS.values())

Key = tuple[int | None, str, str]  # (unit id, rulebook, requirement id)


def add_items(plan: AssessmentPlan, added: Counter[Key]) -> None:
    """Count `added` new unanswered items per (unit, rulebook, requirement). The caller
    holds the plan's row lock (distribution and revision), so no other writer creates
    rows for this plan meanwhile."""
    if not added:
        return
    units = {unit_id for unit_id, _rb, _rid in added}
    existing = {
        (row.unit_id, row.rulebook, row.requirement_id): row
        for row in AnswerTally.objects.filter(plan=plan).filter(_units_q(units))
    }
    changed, new = [], []
    for key, count in added.items():
        row = existing.get(key)
        if row is None:
            unit_id, rulebook, requirement_id = key
            new.append(
                AnswerTally(
                    plan=plan,
                    unit_id=unit_id,
                    rulebook=rulebook,
                    requirement_id=requirement_id,
                    items=count,
                )
            )
        else:
            row.items = F("items") + count
            changed.append(row)
    AnswerTally.objects.bulk_update(changed, ["items"], batch_size=BATCH_SIZE)
    AnswerTally.objects.bulk_create(new, batch_size=BATCH_SIZE)


def apply_changes(
    plan_id: int, unit_id: int | None, changes: Iterable[tuple[str, str, str, str]]
) -> None:
    """Move counts for answers changed in one checklist: (rulebook, requirement id, old
    answer, new answer) each. One UPDATE per kind of change (old → new) and rulebook,
    whatever the number of items."""
    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for rulebook, requirement_id, old, new in changes:
        if ANSWER_FIELDS.get(old) != ANSWER_FIELDS.get(new):
            groups[(old, new, rulebook)].append(requirement_id)
    for (old, new, rulebook), requirement_ids in groups.items():
        values = {}
        if old in ANSWER_FIELDS:
            values[ANSWER_FIELDS[old]] = F(ANSWER_FIELDS[old]) - 1
        if new in ANSWER_FIELDS:
            values[ANSWER_FIELDS[new]] = F(ANSWER_FIELDS[new]) + 1
        AnswerTally.objects.filter(
            _units_q({unit_id}),
            plan_id=plan_id,
            rulebook=rulebook,
            requirement_id__in=requirement_ids,
        ).update(**values)


def recount(plan: AssessmentPlan) -> dict[Key, dict[str, int]]:
    """The counts as the items say now (one grouped query)."""
    rows = (
        ChecklistItem.objects.filter(checklist__plan=plan)
        .order_by()
        .values("rulebook", "requirement_id", unit=F("checklist__unit_id"))
        .annotate(
            items=Count("pk"),
            **{
                name: Count("pk", filter=Q(answer=answer)) for answer, name in ANSWER_FIELDS.items()
            },
        )
    )
    return {
        (row["unit"], row["rulebook"], row["requirement_id"]): {f: row[f] for f in COUNT_FIELDS}
        for row in rows
    }


def stored(plan: AssessmentPlan) -> dict[Key, dict[str, int]]:
    """The counts the tally holds (rows with no item left are left out)."""
    return {
        (row["unit_id"], row["rulebook"], row["requirement_id"]): {f: row[f] for f in COUNT_FIELDS}
        for row in AnswerTally.objects.filter(plan=plan).values(
            "unit_id", "rulebook", "requirement_id", *COUNT_FIELDS
        )
        if row["items"]
    }


def rebuild(plan: AssessmentPlan) -> int:
    """Replace the plan's tally with a recount of its items, with a trail event in the
    same transaction; returns the number of rows."""
    with transaction.atomic():
        AssessmentPlan.objects.select_for_update().filter(pk=plan.pk).first()
        AnswerTally.objects.filter(plan=plan).delete()
        rows = [
            AnswerTally(
                plan=plan,
                unit_id=unit_id,
                rulebook=rulebook,
                requirement_id=requirement_id,
                **counts,
            )
            for (unit_id, rulebook, requirement_id), counts in recount(plan).items()
        ]
        AnswerTally.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        record(
            "assessments.tally.rebuilt",
            actor=None,
            obj=plan,
            data={"rows": len(rows)},
            organization_id=plan.organization_id,
        )
    return len(rows)


def _units_q(units: set[int | None]) -> Q:
    """unit_id in `units`, where None (a checklist of someone without a unit) is IS NULL."""
    query = Q(unit_id__in=[u for u in units if u is not None])
    if None in units:
        query |= Q(unit__isnull=True)
    return query
