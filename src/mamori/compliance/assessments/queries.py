"""Read-side queries of the evaluation pages: counts per unit and the weakest clauses, from
the running tally (AnswerTally) and Checklist, a fixed number of grouped queries whatever
the number of people or units."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q, Sum

from mamori.compliance.assessments.models import AnswerTally, Checklist
from mamori.compliance.assessments.rates import Tally
from mamori.compliance.assessments.workflow import ChecklistState


def tallies_by_unit(plan) -> dict[int | None, Tally]:
    """Counts per unit the checklists were distributed in (Checklist.unit), not rolled up:
    answers from the running tally (AnswerTally), checklists from Checklist."""
    items = (
        AnswerTally.objects.filter(plan=plan)
        .values("unit_id")
        .annotate(
            items=Sum("items"),
            done=Sum("done"),
            partial=Sum("partial"),
            not_done=Sum("not_done"),
            na=Sum("na"),
        )
        .order_by()
    )
    checklists = (
        Checklist.objects.filter(plan=plan)
        .values("unit_id")
        .annotate(
            checklists=Count("pk"),
            submitted=Count("pk", filter=Q(state=ChecklistState.SUBMITTED)),
        )
        .order_by()
    )
    found: dict[int | None, dict[str, int]] = defaultdict(dict)
    for row in items:
        unit_id = row.pop("unit_id")
        found[unit_id].update(row)
    for row in checklists:
        unit_id = row.pop("unit_id")
        found[unit_id].update(row)
    return {unit_id: Tally(**counts) for unit_id, counts in found.items()}


def rolled_up(plan, units, by_unit: dict[int | None, Tally] | None = None) -> dict[int, Tally]:
    """Counts of each of `units` including every unit below it."""
    from mamori.org.models import OrgUnit

    by_unit = tallies_by_unit(plan) if by_unit is None else by_unit
    paths = dict(
        OrgUnit.objects.filter(pk__in=[k for k in by_unit if k is not None]).values_list(
            "pk", "path"
        )
    )
    result = {}
    for unit in units:
        total = Tally()
        for unit_id, tally in by_unit.items():
            if unit_id is not None and paths.get(unit_id, "").startswith(unit.path):
                total += tally
        result[unit.pk] = total
    return result


def organization_tally(by_unit: dict[int | None, Tally]) -> Tally:
    total = Tally()
    for tally in by_unit.values():
        total += tally
    return total


def weak_requirements(plan, unit=None, limit: int = 20) -> list[dict]:
    """The clauses most often answered 「実施していない」 or 「一部実施」 (one query)."""
    from mamori.compliance.assessments.dashboards import requirement_label

    rows = AnswerTally.objects.filter(plan=plan)
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path)
    found = list(
        rows.values("rulebook", "requirement_id")
        .annotate(not_done=Sum("not_done"), partial=Sum("partial"))
        .filter(Q(not_done__gt=0) | Q(partial__gt=0))
        .order_by("-not_done", "-partial", "rulebook", "requirement_id")[:limit]
    )
    catalogs: dict = {}  # each catalog read once (an imported catalog costs a query)
    for row in found:
        row["citation"], row["text"] = requirement_label(
            row["rulebook"], row["requirement_id"], catalogs
        )
    return found
