"""The figures of a yearly self-assessment (統一基準 2.3.1, 防衛省通達 第12-1) for the
dashboards and the exports: distribution and submission per unit, implementation rates per
unit and per requirement, overdue checklists, and where the evaluations stand.

Who sees what:
- the CISO, 副CISO and 統括情報セキュリティ責任者 (and whoever else H1's permissions say sees
  the whole organisation) see every unit;
- a 情報セキュリティ責任者 / 課室情報セキュリティ責任者 sees the units of their scope
  (mamori.org.scope.visible_unit_filter), plus who has not submitted yet;
- nobody else sees the dashboard.

Implementation rate (実施率): rates.implementation, the one definition: 実施している = 1,
一部実施 = 0.5, 実施していない = 0, divided by the items answered with one of those three;
該当しない and unanswered items are left out.

Every figure comes from a fixed number of queries whatever the number of units and
people: checklists grouped by unit, the running answer tally (AnswerTally: one row per
unit and requirement, kept by the services), and the units, members and evaluations of
the scope, each read once. Bureaus (部局) add up
their own checklists and those of every unit below them, in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from mamori.compliance.assessments import permissions, rates
from mamori.compliance.assessments.models import (
    AnswerTally,
    AssessmentPlan,
    Checklist,
    ChecklistItem,
    OrgEvaluation,
    UnitEvaluation,
)
from mamori.compliance.assessments.workflow import ChecklistState, EvaluationState
from mamori.org import scope as org_scope
from mamori.org.models import OrgUnit, Person, RoleAssignment

# How 実施率 is computed, in the words of every page (templates/assessments/_rate_note.html
# holds the same msgid) and of the exports.
RATE_NOTE = gettext_lazy(
    "実施率＝（「実施している」の数＋「一部実施」の数×0.5）÷（「実施している」「一部実施」"
    "「実施していない」の数）。「該当しない」と未回答の項目は含めません。"
)
# Unit-scoped roles that read their units' dashboard (2.3.1(3)(a)).
UNIT_ROLES = permissions.UNIT_VIEW_ROLES
# Bars in the per-requirement chart (worst first); the table and the exports list all.
WORST_REQUIREMENTS_CHART = 15
WORST_REQUIREMENTS_TABLE = 30
NOT_SUBMITTED_PER_PAGE = 50
NO_UNIT_KEY = 0  # checklists whose person had no unit when they were made


# --- who may read --------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What one reader sees: the whole organisation, or the units under some paths."""

    organization_id: int
    whole_org: bool
    paths: tuple[str, ...] = ()
    unit_filter: Q = field(default_factory=Q)  # on a model with a `unit` foreign key

    def covers(self, path: str | None) -> bool:
        if self.whole_org:
            return True
        return bool(path) and any(path.startswith(p) for p in self.paths)


def scope_for(person) -> Scope:
    """The reader's scope, or PermissionDenied with a message saying who may read."""
    if person is not None and permissions.sees_whole_organization(person):
        return Scope(person.organization_id, True)
    paths = tuple(
        dict.fromkeys(
            a.unit.path
            for a in org_scope.active_assignments(person)
            if a.role in UNIT_ROLES and a.unit_id
        )
    )
    if person is None or not paths:
        raise PermissionDenied(
            _(
                "自己点検の状況を見る権限がありません（CISO、副CISO、統括情報セキュリティ責任者"
                "又は情報セキュリティ責任者・課室情報セキュリティ責任者の役割が必要です）。"
            )
        )
    return Scope(
        person.organization_id,
        False,
        tuple(sorted(paths)),
        org_scope.visible_unit_filter(person, field="unit", roles=UNIT_ROLES),
    )


# --- figures ------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts behind the rates of one unit, one requirement or the whole scope."""

    distributed: int = 0  # checklists
    submitted: int = 0
    overdue: int = 0
    members: int = 0  # active people of the unit today
    items: int = 0
    answered: int = 0
    done: int = 0
    partial: int = 0
    not_done: int = 0
    na: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def not_submitted(self) -> int:
        return self.distributed - self.submitted

    @property
    def unanswered(self) -> int:
        return self.items - self.answered

    @property
    def rated(self) -> int:
        """Items that count for the implementation rate (na and unanswered do not)."""
        return self.done + self.partial + self.not_done

    @property
    def submission_rate(self) -> float | None:
        return percent(self.submitted, self.distributed)

    @property
    def answer_rate(self) -> float | None:
        return percent(self.answered, self.items)

    @property
    def distribution_rate(self) -> float | None:
        return percent(self.distributed, self.members)

    @property
    def implementation_rate(self) -> float | None:
        """実施率 in % (rates.implementation: the one definition)."""
        value = rates.implementation(self.done, self.partial, self.not_done)
        return None if value is None else round(100.0 * value, 1)


def percent(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


@dataclass
class UnitRow:
    unit_id: int
    name: str
    kind: str
    kind_label: str
    path: str
    depth: int  # 0 for the top units of the scope
    tally: Tally
    evaluation: str = ""  # "" (none expected) | "none" | draft | reported
    evaluation_label: str = ""


@dataclass
class RequirementRow:
    rulebook: str
    requirement_id: str
    citation: str
    text: str
    tally: Tally


@dataclass
class EvaluationRow:
    unit_id: int
    unit_name: str
    state: str  # none | draft | reported
    state_label: str
    evaluator: str
    reported_at: object


@dataclass
class Dashboard:
    plan: AssessmentPlan
    scope: Scope
    today: date
    total: Tally
    units: list[UnitRow]
    requirements: list[RequirementRow]  # worst first
    evaluations: list[EvaluationRow]
    org_evaluation: OrgEvaluation | None
    plans: list[AssessmentPlan] = field(default_factory=list)

    @property
    def evaluations_reported(self) -> int:
        return sum(1 for row in self.evaluations if row.state == EvaluationState.REPORTED)

    @property
    def chart_units(self) -> list[UnitRow]:
        """The units the per-unit chart shows: the top units of the scope, or the level
        below them when the scope has a single top unit."""
        top = [row for row in self.units if row.depth == 0 and row.unit_id != NO_UNIT_KEY]
        if len(top) == 1:
            below = [row for row in self.units if row.depth == 1]
            return below or top
        return top

    @property
    def worst_requirements(self) -> list[RequirementRow]:
        return [row for row in self.requirements if row.tally.rated][:WORST_REQUIREMENTS_TABLE]

    @property
    def org_evaluation_state(self) -> str:
        return self.org_evaluation.state if self.org_evaluation else "none"


def plans_for(organization_id: int) -> list[AssessmentPlan]:
    return list(
        AssessmentPlan.objects.filter(organization_id=organization_id).order_by("-fiscal_year")
    )


def choose_plan(plans: list[AssessmentPlan], year: int | None) -> AssessmentPlan | None:
    """The plan of the year asked for; otherwise this 年度's, otherwise the newest."""
    by_year = {plan.fiscal_year: plan for plan in plans}
    if year in by_year:
        return by_year[year]
    from mamori.rules.deadlines import fiscal_year

    return by_year.get(fiscal_year(timezone.localdate())) or (plans[0] if plans else None)


def checklists_in(plan, scope: Scope):
    queryset = Checklist.objects.filter(plan=plan)
    return queryset if scope.whole_org else queryset.filter(scope.unit_filter)


def items_in(plan, scope: Scope):
    queryset = ChecklistItem.objects.filter(checklist__plan=plan)
    if scope.whole_org:
        return queryset
    return queryset.filter(
        checklist__in=Checklist.objects.filter(plan=plan).filter(scope.unit_filter).values("pk")
    )


def tally_in(plan, scope: Scope):
    """The running tally (AnswerTally) of the scope's units."""
    queryset = AnswerTally.objects.filter(plan=plan)
    return queryset if scope.whole_org else queryset.filter(scope.unit_filter)


def _unit_name(name: str, name_en: str) -> str:
    return name_en if get_language() == "en" and name_en else name


def compute(plan: AssessmentPlan, scope: Scope, *, today: date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    checklists = checklists_in(plan, scope)

    # 1. checklists per unit: distributed, submitted, overdue, items and answers (denormalised)
    per_unit: dict[int, Tally] = {}
    for row in (
        checklists.order_by()
        .values("unit_id")
        .annotate(
            distributed=Count("pk"),
            submitted=Count("pk", filter=Q(state=ChecklistState.SUBMITTED)),
            overdue=Count("pk", filter=~Q(state=ChecklistState.SUBMITTED) & Q(due_date__lt=today)),
            items=Sum("item_count"),
            answered=Sum("answered_count"),
        )
    ):
        tally = per_unit.setdefault(row["unit_id"] or NO_UNIT_KEY, Tally())
        tally.distributed += row["distributed"]
        tally.submitted += row["submitted"]
        tally.overdue += row["overdue"]
        tally.items += row["items"] or 0
        tally.answered += row["answered"] or 0

    # 2. answers per unit and requirement from the running tally (one row per unit and
    # requirement: a few thousand, whatever the number of people), added up per unit and
    # per requirement. Plain lists while adding up, Tally objects only at the end.
    by_unit: dict[int, list[int]] = {}
    by_requirement: dict[tuple[str, str], list[int]] = {}
    for rulebook, requirement_id, unit_id, total, done, partial, not_done, na in (
        tally_in(plan, scope)
        .order_by()
        .values_list(
            "rulebook", "requirement_id", "unit_id", "items", "done", "partial", "not_done", "na"
        )
    ):
        sums = by_unit.setdefault(unit_id or NO_UNIT_KEY, [0, 0, 0, 0])
        sums[0] += done
        sums[1] += partial
        sums[2] += not_done
        sums[3] += na
        sums = by_requirement.setdefault((rulebook, requirement_id), [0, 0, 0, 0, 0])
        sums[0] += total
        sums[1] += done
        sums[2] += partial
        sums[3] += not_done
        sums[4] += na
    for unit_id, (done, partial, not_done, na) in by_unit.items():
        tally = per_unit.setdefault(unit_id, Tally())
        tally.done, tally.partial, tally.not_done, tally.na = done, partial, not_done, na

    requirements = []
    catalogs: dict = {}
    for (rulebook, requirement_id), (total, done, partial, not_done, na) in by_requirement.items():
        tally = Tally(
            items=total,
            answered=done + partial + not_done + na,
            done=done,
            partial=partial,
            not_done=not_done,
            na=na,
        )
        citation, text = requirement_label(rulebook, requirement_id, catalogs)
        requirements.append(RequirementRow(rulebook, requirement_id, citation, text, tally))
    requirements.sort(key=_worst_first)

    # 3. the units of the scope, and 4. their active members today
    units = OrgUnit.objects.filter(organization_id=scope.organization_id)
    if not scope.whole_org:
        path_filter = Q(pk__in=[])
        for path in scope.paths:
            path_filter |= Q(path__startswith=path)
        units = units.filter(path_filter)
    unit_list = list(units.order_by("path").values("pk", "name", "name_en", "kind", "path"))
    members = Person.objects.filter(organization_id=scope.organization_id, active=True)
    members = members if scope.whole_org else members.filter(scope.unit_filter)
    for row in members.order_by().values("unit_id").annotate(n=Count("pk")):
        per_unit.setdefault(row["unit_id"] or NO_UNIT_KEY, Tally()).members += row["n"]

    rows = _unit_rows(unit_list, per_unit)

    # 5. units evaluated (those a 情報セキュリティ責任者 holds) and 6. their evaluations
    evaluations = _evaluations(plan, scope, unit_list, rows)

    # 7. the organisation's evaluation
    org_evaluation = OrgEvaluation.objects.filter(plan=plan).select_related("evaluator").first()

    total = Tally()
    for tally in per_unit.values():
        total.add(tally)
    return Dashboard(
        plan=plan,
        scope=scope,
        today=today,
        total=total,
        units=rows,
        requirements=requirements,
        evaluations=evaluations,
        org_evaluation=org_evaluation,
    )


def _worst_first(row: RequirementRow):
    rate = row.tally.implementation_rate
    # Unrated requirements (all na or unanswered) go last; then lowest rate, most not_done.
    return (rate is None, rate if rate is not None else 0, -row.tally.not_done, row.citation)


def _unit_rows(unit_list: list[dict], per_unit: dict[int, Tally]) -> list[UnitRow]:
    """Every unit of the scope in tree order, each with its own figures plus those of
    the units below it."""
    from mamori.org.models import UnitKind

    kinds = dict(UnitKind.choices)
    rows: list[UnitRow] = []
    roots: list[str] = []
    for unit in unit_list:
        if not any(unit["path"].startswith(p) for p in roots):
            roots.append(unit["path"])
        root = next(p for p in roots if unit["path"].startswith(p))
        depth = unit["path"][len(root) :].count("/")
        rows.append(
            UnitRow(
                unit_id=unit["pk"],
                name=_unit_name(unit["name"], unit["name_en"]),
                kind=unit["kind"],
                kind_label=str(kinds.get(unit["kind"], unit["kind"])),
                path=unit["path"],
                depth=depth,
                tally=Tally(),
            )
        )
    by_id = {row.unit_id: row for row in rows}
    paths = {row.unit_id: row.path for row in rows}
    for unit_id, tally in per_unit.items():
        if unit_id not in paths:
            continue
        for part in paths[unit_id].strip("/").split("/"):
            ancestor = by_id.get(int(part))
            if ancestor is not None:
                ancestor.tally.add(tally)
    orphan = per_unit.get(NO_UNIT_KEY)
    if orphan is not None and orphan.distributed:
        rows.append(UnitRow(NO_UNIT_KEY, _("所属なし"), "", "", "", 0, orphan))
    return rows


def _evaluations(plan, scope: Scope, unit_list, rows: list[UnitRow]) -> list[EvaluationRow]:
    names = {row.unit_id: row.name for row in rows}
    expected = set()
    for unit_id, system_id in (
        RoleAssignment.objects.active()
        .filter(organization_id=scope.organization_id, role__in=permissions.EVALUATOR_ROLES)
        .values_list("unit_id", "system_id")
    ):
        if unit_id is None and system_id is None:
            # for the whole organisation: evaluates the top units (permissions.evaluation_units)
            expected.update(u["pk"] for u in unit_list if u["path"].count("/") == 2)
        elif unit_id is not None:
            expected.add(unit_id)
    expected &= set(names)
    found = {
        evaluation.unit_id: evaluation
        for evaluation in UnitEvaluation.objects.filter(plan=plan, unit_id__in=list(names))
        .select_related("evaluator")
        .order_by("pk")
    }
    labels = dict(EvaluationState.choices)
    result = []
    for row in rows:
        if row.unit_id not in expected and row.unit_id not in found:
            continue
        evaluation = found.get(row.unit_id)
        state = evaluation.state if evaluation else "none"
        row.evaluation = state
        row.evaluation_label = str(labels.get(state, _("未着手")))
        result.append(
            EvaluationRow(
                unit_id=row.unit_id,
                unit_name=row.name,
                state=state,
                state_label=row.evaluation_label,
                evaluator=evaluation.evaluator.display_name
                if evaluation and evaluation.evaluator_id
                else "",
                reported_at=evaluation.reported_at if evaluation else None,
            )
        )
    return result


def requirement_label(
    rulebook: str, requirement_id: str, catalogs: dict | None = None
) -> tuple[str, str]:
    """(citation, text) of a requirement, from the catalog the checklists were made from
    (services.catalog: an imported official text when there is one); the bare id when
    the catalog no longer has it. `catalogs` caches the catalogs across calls."""
    from mamori.compliance.assessments import services

    catalogs = {} if catalogs is None else catalogs
    found = catalogs.get(rulebook)
    if found is None:
        try:
            found = catalogs[rulebook] = services.catalog(rulebook)
        except KeyError:
            return requirement_id, ""
    if requirement_id not in found:
        return requirement_id, ""
    entry = found.get(requirement_id)
    return entry.citation, entry.text or entry.title or ""


def not_submitted(plan, scope: Scope):
    """Checklists of the scope not yet submitted, by unit and name (for pagination)."""
    return (
        checklists_in(plan, scope)
        .exclude(state=ChecklistState.SUBMITTED)
        .select_related("person", "unit")
        .order_by("unit__path", "person__family_name_kana", "person__given_name_kana", "pk")
    )


# --- charts -----------------------------------------------------------------------------


def chart_configs(dashboard: Dashboard) -> dict:
    """Chart.js configurations, drawn by assessment-dashboard.js from json_script blocks
    (values are percentages; the script adds the % to the ticks and tooltips)."""
    units = dashboard.chart_units
    worst = [row for row in dashboard.requirements if row.tally.rated][:WORST_REQUIREMENTS_CHART]
    return {
        "units": {
            "type": "bar",
            "data": {
                "labels": [row.name for row in units],
                "datasets": [
                    {
                        "label": _("提出率"),
                        "data": [row.tally.submission_rate for row in units],
                    },
                    {
                        "label": _("実施率"),
                        "data": [row.tally.implementation_rate for row in units],
                    },
                ],
            },
            "options": {"indexAxis": "y"},
        },
        "requirements": {
            "type": "bar",
            "data": {
                "labels": [row.citation for row in worst],
                "datasets": [
                    {
                        "label": _("実施率"),
                        "data": [row.tally.implementation_rate for row in worst],
                    }
                ],
            },
            "options": {"indexAxis": "y", "plugins": {"legend": {"display": False}}},
        },
    }
