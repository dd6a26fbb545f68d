"""The plans of the self-assessment (統一基準(H30) 2.3.1, 防衛省通達 第12-1): create, open,
distribute, revise and close; the shared helpers of the other service modules
(services_answers: answering; services_evaluations: evaluations; services_reminders).

One function per state change: each checks who is asking, validates, changes state inside
one transaction and writes its trail event in that same transaction. Views, the API and
the commands call these functions, never the ORM directly.

Distribution (`generate_checklists`) is the fast path: 5,000 members of staff cost a
constant number of queries plus the batched inserts, and one trail event. Distribution
and revision also count the new items into the running answer tally (tally.py)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mamori.compliance.assessments import notify_bulk, permissions, tally
from mamori.compliance.assessments.models import (
    AssessmentPlan,
    Checklist,
    ChecklistItem,
    OrgEvaluation,
)
from mamori.compliance.assessments.workflow import (
    CHECKLIST_TRANSITIONS,
    PLAN_TRANSITIONS,
    Answer,
    ChecklistState,
    EvaluationState,
    PlanState,
    check,
)
from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.rules import deadlines
from mamori.rules.classification import ORG_KINDS
from mamori.rules.refs import MOD, TOITSU_H30, cite
from mamori.rules.requirements import FILES, Catalog, Requirement, load_all, requirements_for
from mamori.trail.services import record

# Rulebooks with a requirement catalog, in the order checklists list them.
CATALOG_RULEBOOKS = tuple(FILES)  # toitsu, mod, mic_pii
BATCH_SIZE = 2000
INSERT_CHUNK = 20_000  # rows per executemany: bounded memory, few round trips
# Positions leave room for every entry of one rulebook before the next one starts, so an
# item added by a revision sorts into its catalog place without renumbering the others.
POSITION_STRIDE = 100_000
# Evaluations may fall due after the 年度 ends: results of March are evaluated in spring.
EVALUATION_GRACE_DAYS = 91

CLAUSE_PLAN = cite(TOITSU_H30, "2.3.1(1)")
CLAUSE_REVISE = cite(TOITSU_H30, "2.3.1(1)(c)")
CLAUSE_CHECKLIST = cite(TOITSU_H30, "2.3.1(1)(b)")
CLAUSE_ANSWER = cite(TOITSU_H30, "2.3.1(2)")
CLAUSE_UNIT_EVALUATION = cite(TOITSU_H30, "2.3.1(3)(a)")
CLAUSE_ORG_EVALUATION = cite(TOITSU_H30, "2.3.1(3)(b)")
CLAUSE_MOD = cite(MOD, "第12の1")


# --- catalogs ---------------------------------------------------------------------------


def _catalog(rulebook: str) -> Catalog:
    """The catalog as the agency uses it: with an administrator's imported official text
    when the catalogs module offers it, else the committed one."""
    try:
        from mamori.compliance.catalogs import effective_catalog
    except ImportError:
        return load_all()[rulebook]
    return effective_catalog(rulebook)


catalog = _catalog  # the public name, for the pages


def plan_rulebooks(organization) -> list[str]:
    """The organisation's rulebooks that have a requirement catalog."""
    return [code for code in CATALOG_RULEBOOKS if code in (organization.rulebooks or [])]


class _Applicable:
    """requirements_for per (rulebook, roles), computed once per distinct set of roles:
    5,000 people share a few dozen role combinations."""

    def __init__(self, rulebooks: Iterable[str], org_kind: str) -> None:
        self.org_kind = org_kind
        self.catalogs = [(index, code, _catalog(code)) for index, code in enumerate(rulebooks)]
        self._cache: dict[frozenset[str], list[tuple[str, str, int]]] = {}

    def items(self, roles: Iterable[str]) -> list[tuple[str, str, int]]:
        """(rulebook, requirement id, position) for these roles, in catalog order."""
        key = frozenset(roles)
        found = self._cache.get(key)
        if found is None:
            found = []
            for index, code, catalog in self.catalogs:
                order = {entry.id: n for n, entry in enumerate(catalog.entries)}
                for entry in requirements_for(catalog, set(key), self.org_kind):
                    found.append((code, entry.id, index * POSITION_STRIDE + order[entry.id]))
            self._cache[key] = found
        return found


def requirement(rulebook: str, requirement_id: str) -> Requirement | None:
    """The catalog entry an item answers for (None if the catalog no longer has it)."""
    catalog = _catalog(rulebook)
    return catalog.get(requirement_id) if requirement_id in catalog else None


# --- helpers ----------------------------------------------------------------------------


def _require_manager(plan_or_org, actor) -> None:
    organization_id = getattr(plan_or_org, "organization_id", None) or plan_or_org.pk
    if (
        actor is None
        or actor.organization_id != organization_id
        or not permissions.can_manage_plans(actor)
    ):
        raise Forbidden(
            _(
                "年度自己点検計画を扱えるのは統括情報セキュリティ責任者"
                "（防衛省では情報保証責任者）だけです（%(clause)s、%(mod)s）。"
            )
            % {"clause": CLAUSE_PLAN, "mod": CLAUSE_MOD}
        )


def _require_open(plan: AssessmentPlan) -> None:
    if plan.state != PlanState.OPEN:
        raise InvalidTransition(
            _("この年度自己点検計画は実施中ではありません（状態: %(state)s）。")
            % {"state": plan.get_state_display()}
        )


def _require_owner(checklist: Checklist, actor) -> None:
    if actor is None or checklist.person_id != actor.pk:
        raise Forbidden(_("自分の自己点検票にだけ回答できます。"))


def _event(action: str, actor, obj, data: dict, organization_id: int) -> None:
    record(
        f"assessments.{action}",
        actor=actor.user if actor is not None and actor.user_id else None,
        obj=obj,
        data=data,
        organization_id=organization_id,
    )


def _people_with_role(organization_id: int, roles: tuple[str, ...]):
    from mamori.org.models import Person, RoleAssignment

    holders = (
        RoleAssignment.objects.active()
        .filter(organization_id=organization_id, role__in=roles)
        .values("person_id")
    )
    return list(Person.objects.filter(pk__in=holders, active=True))


def _chiefs(organization) -> list:
    roles = ("chief_isec_officer", "ia_chief") if "mod" in organization.rulebooks else ()
    return _people_with_role(organization.pk, roles or ("chief_isec_officer",))


def _insert_items(rows: Iterable[tuple[int, str, str, int, int]]) -> int:
    """Insert unanswered items (checklist id, rulebook, requirement id, position,
    revision) with executemany, in chunks; returns how many.

    Distribution writes hundreds of thousands of items (5,000 people × ~75 clauses).
    bulk_create would build a model instance per row and, on SQLite's 999-parameter
    limit, compile an INSERT per 140 rows: most of the time of the whole distribution.
    One prepared statement run over plain tuples does the same work several times
    faster, on SQLite and PostgreSQL alike."""
    meta = ChecklistItem._meta
    quote = connection.ops.quote_name
    names = ["checklist", "rulebook", "requirement_id", "position", "added_in_revision"]
    columns = [quote(meta.get_field(name).column) for name in names]
    columns += [quote(meta.get_field("answer").column), quote(meta.get_field("comment").column)]
    # Identifiers from the model's metadata only; every value is a parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(meta.db_table), ", ".join(columns), ", ".join(["%s"] * len(columns))
    )
    count = 0
    chunk: list[tuple] = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append((*row, Answer.NONE, ""))
            if len(chunk) >= INSERT_CHUNK:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


# --- plans ------------------------------------------------------------------------------


def create_plan(
    actor,
    *,
    fiscal_year: int,
    title: str,
    answer_due: date,
    unit_evaluation_due: date,
    org_evaluation_due: date,
    rulebooks: list[str] | None = None,
    notes: str = "",
) -> AssessmentPlan:
    """Draft the 年度自己点検計画 of the actor's organisation (統一基準(H30) 2.3.1(1))."""
    if actor is None:
        raise Forbidden(_("職員等として登録されていないため利用できません。"))
    organization = actor.organization
    _require_manager(organization, actor)
    if organization.kind not in ORG_KINDS:
        raise InvalidInput(
            _("この種別の組織には統一基準の自己点検は適用されません。"), details={"kind": ""}
        )
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("件名を入力してください。"), details={"title": ""})
    try:
        fiscal_year = int(fiscal_year)
    except (TypeError, ValueError):
        fiscal_year = 0
    if not 2000 <= fiscal_year <= 2100:
        raise InvalidInput(_("年度が正しくありません。"), details={"fiscal_year": ""})
    available = plan_rulebooks(organization)
    chosen = available if rulebooks is None else [c for c in CATALOG_RULEBOOKS if c in rulebooks]
    unknown = sorted(set(rulebooks or ()) - set(available))
    if unknown:
        raise InvalidInput(
            _("この組織が適用していない規程は対象にできません: %(codes)s")
            % {"codes": ", ".join(unknown)},
            details={"rulebooks": unknown},
        )
    if not chosen:
        raise InvalidInput(_("対象の規程を一つ以上選んでください。"), details={"rulebooks": ""})
    _check_due_dates(fiscal_year, answer_due, unit_evaluation_due, org_evaluation_due)
    if AssessmentPlan.objects.filter(organization=organization, fiscal_year=fiscal_year).exists():
        raise InvalidInput(
            _("%(year)s年度の年度自己点検計画は既にあります。") % {"year": fiscal_year},
            details={"fiscal_year": ""},
        )
    with transaction.atomic():
        plan = AssessmentPlan.objects.create(
            organization=organization,
            fiscal_year=fiscal_year,
            title=title,
            rulebooks=chosen,
            answer_due=answer_due,
            unit_evaluation_due=unit_evaluation_due,
            org_evaluation_due=org_evaluation_due,
            created_by=actor,
            notes=notes or "",
        )
        _event(
            "plan.created",
            actor,
            plan,
            {
                "fiscal_year": fiscal_year,
                "rulebooks": chosen,
                "answer_due": answer_due.isoformat(),
                "unit_evaluation_due": unit_evaluation_due.isoformat(),
                "org_evaluation_due": org_evaluation_due.isoformat(),
                "clause": CLAUSE_PLAN,
            },
            organization.pk,
        )
    return plan


def _check_due_dates(
    fiscal_year: int, answer_due: date, unit_evaluation_due: date, org_evaluation_due: date
) -> None:
    start = deadlines.fiscal_year_start(fiscal_year)
    end = deadlines.fiscal_year_end(fiscal_year)
    latest = end + timedelta(days=EVALUATION_GRACE_DAYS)
    for name, value in (
        ("answer_due", answer_due),
        ("unit_evaluation_due", unit_evaluation_due),
        ("org_evaluation_due", org_evaluation_due),
    ):
        if not isinstance(value, date):
            raise InvalidInput(_("期限の日付を入力してください。"), details={name: ""})
    if not start <= answer_due <= end:
        raise InvalidInput(
            _("回答期限は%(year)s年度内（%(start)s〜%(end)s）にしてください。")
            % {"year": fiscal_year, "start": start, "end": end},
            details={"answer_due": ""},
        )
    if not answer_due <= unit_evaluation_due <= latest:
        raise InvalidInput(
            _("責任者評価の期限は回答期限以後、%(latest)s以前にしてください。")
            % {"latest": latest},
            details={"unit_evaluation_due": ""},
        )
    if not unit_evaluation_due <= org_evaluation_due <= latest:
        raise InvalidInput(
            _("統括評価の期限は責任者評価の期限以後、%(latest)s以前にしてください。")
            % {"latest": latest},
            details={"org_evaluation_due": ""},
        )


def open_plan(plan: AssessmentPlan, actor) -> int:
    """Open the plan and distribute every checklist; returns how many were distributed."""
    _require_manager(plan, actor)
    with transaction.atomic():
        current = AssessmentPlan.objects.select_for_update().get(pk=plan.pk)
        check(PLAN_TRANSITIONS, PlanState, current.state, PlanState.OPEN)
        # The caller's instance follows the change (views and tests keep using it).
        plan.state = PlanState.OPEN
        plan.opened_at = timezone.now()
        plan.save(update_fields=["state", "opened_at"])
        _event(
            "plan.opened",
            actor,
            plan,
            {"fiscal_year": plan.fiscal_year, "clause": CLAUSE_PLAN},
            plan.organization_id,
        )
        return generate_checklists(plan, actor)


def generate_checklists(plan: AssessmentPlan, actor) -> int:
    """Distribute a checklist to every active member of staff who has none yet (統一基準
    (H30) 2.3.1(1)(b)); returns how many were distributed. Idempotent.

    Constant queries: the people without a checklist, all active role assignments of the
    organisation, the catalogs; then batched inserts of checklists, items and notices,
    and one trail event for the whole distribution."""
    from mamori.org.models import Person, RoleAssignment

    _require_manager(plan, actor)
    _require_open(plan)
    organization = plan.organization
    with transaction.atomic():
        # One distribution or revision of a plan at a time (the tally's rows are made here).
        AssessmentPlan.objects.select_for_update().filter(pk=plan.pk).first()
        people = list(
            Person.objects.filter(organization_id=organization.pk, active=True)
            .exclude(pk__in=Checklist.objects.filter(plan=plan).values("person_id"))
            .values_list("pk", "unit_id", "email")
            .order_by("pk")
        )
        if not people:
            return 0
        roles_of: dict[int, set[str]] = defaultdict(set)
        for person_id, role in (
            RoleAssignment.objects.active()
            .filter(organization_id=organization.pk, person__active=True)
            .values_list("person_id", "role")
        ):
            roles_of[person_id].add(role)
        applicable = _Applicable(plan.rulebooks, organization.kind)
        checklists = []
        for person_id, unit_id, _email in people:
            roles = sorted(roles_of.get(person_id, ()))
            checklists.append(
                Checklist(
                    plan=plan,
                    person_id=person_id,
                    unit_id=unit_id,
                    roles=roles,
                    due_date=plan.answer_due,
                    item_count=len(applicable.items(roles)),
                )
            )
        Checklist.objects.bulk_create(checklists, batch_size=BATCH_SIZE)
        new_ids = {person_id for person_id, _unit, _email in people}
        ids = {
            person_id: pk
            for person_id, pk in Checklist.objects.filter(plan=plan).values_list("person_id", "pk")
            if person_id in new_ids
        }
        revision = plan.revision
        items = _insert_items(
            (ids[c.person_id], rulebook, requirement_id, position, revision)
            for c in checklists
            for rulebook, requirement_id, position in applicable.items(c.roles)
        )
        # The tally, counted per (unit, roles) first: a few hundred groups, not every item.
        added: Counter = Counter()
        for (unit_id, roles), count in Counter(
            (c.unit_id, tuple(c.roles)) for c in checklists
        ).items():
            for rulebook, requirement_id, _position in applicable.items(roles):
                added[(unit_id, rulebook, requirement_id)] += count
        tally.add_items(plan, added)
        notify_bulk.notify_many(
            [(person_id, email) for person_id, _unit, email in people],
            gettext_noop("自己点検票が配付されました: %(title)s（回答期限 %(due)s）"),
            {"title": plan.title, "due": plan.answer_due.isoformat()},
            reverse("assessments:mine"),
        )
        _event(
            "plan.distributed",
            actor,
            plan,
            {
                "checklists": len(checklists),
                "items": items,
                "revision": revision,
                "clause": CLAUSE_CHECKLIST,
            },
            organization.pk,
        )
    return len(checklists)


def revise_plan(plan: AssessmentPlan, actor, *, reason: str) -> dict[str, int]:
    """見直し (統一基準(H30) 2.3.1(1)(c)): new items have become applicable mid-year (a new
    catalog import, a changed requirement). Adds to each checklist the items now
    applicable to its roles that it lacks, re-opens submitted checklists that got new
    items and tells their owners. Returns the counts."""
    _require_manager(plan, actor)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("見直しの理由を入力してください。"), details={"reason": ""})
    with transaction.atomic():
        current = AssessmentPlan.objects.select_for_update().get(pk=plan.pk)
        _require_open(current)
        plan.state = current.state
        plan.revision = current.revision + 1
        plan.save(update_fields=["revision"])
        applicable = _Applicable(plan.rulebooks, plan.organization.kind)
        have: dict[int, set[tuple[str, str]]] = defaultdict(set)
        for checklist_id, rulebook, requirement_id in ChecklistItem.objects.filter(
            checklist__plan=plan
        ).values_list("checklist_id", "rulebook", "requirement_id"):
            have[checklist_id].add((rulebook, requirement_id))
        checklists = list(
            Checklist.objects.filter(plan=plan).select_related("person").order_by("pk")
        )
        unit_of = {checklist.pk: checklist.unit_id for checklist in checklists}
        new_items: list[tuple[int, str, str, int, int]] = []
        changed: list[Checklist] = []
        reopened = 0
        for checklist in checklists:
            present = have.get(checklist.pk, set())
            added = [
                (checklist.pk, rulebook, requirement_id, position, plan.revision)
                for rulebook, requirement_id, position in applicable.items(checklist.roles)
                if (rulebook, requirement_id) not in present
            ]
            if not added:
                continue
            new_items += added
            checklist.item_count += len(added)
            if checklist.state == ChecklistState.SUBMITTED:
                check(
                    CHECKLIST_TRANSITIONS,
                    ChecklistState,
                    checklist.state,
                    ChecklistState.IN_PROGRESS,
                )
                checklist.state = ChecklistState.IN_PROGRESS
                checklist.submitted_at = None
                reopened += 1
            changed.append(checklist)
        _insert_items(new_items)
        tally.add_items(
            plan,
            Counter(
                (unit_of[checklist_id], rulebook, requirement_id)
                for checklist_id, rulebook, requirement_id, _position, _revision in new_items
            ),
        )
        Checklist.objects.bulk_update(
            changed, ["item_count", "state", "submitted_at"], batch_size=BATCH_SIZE
        )
        notify_bulk.notify_many(
            [(c.person_id, c.person.email) for c in changed],
            gettext_noop("年度自己点検計画が見直され、自己点検票に項目が追加されました: %(title)s"),
            {"title": plan.title},
            reverse("assessments:mine"),
        )
        counts = {
            "revision": plan.revision,
            "checklists_changed": len(changed),
            "items_added": len(new_items),
            "reopened": reopened,
        }
        _event(
            "plan.revised",
            actor,
            plan,
            {**counts, "reason": reason, "clause": CLAUSE_REVISE},
            plan.organization_id,
        )
    return counts


def close_plan(plan: AssessmentPlan, actor) -> AssessmentPlan:
    """End the year's self-assessment once the organisation's evaluation has been
    reported to the CISO (統一基準(H30) 2.3.1(3)(b))."""
    _require_manager(plan, actor)
    with transaction.atomic():
        current = AssessmentPlan.objects.select_for_update().get(pk=plan.pk)
        check(PLAN_TRANSITIONS, PlanState, current.state, PlanState.CLOSED)
        if not OrgEvaluation.objects.filter(plan=plan, state=EvaluationState.REPORTED).exists():
            raise InvalidInput(
                _(
                    "統括情報セキュリティ責任者の評価を最高情報セキュリティ責任者に"
                    "報告してから終了してください（%(clause)s）。"
                )
                % {"clause": CLAUSE_ORG_EVALUATION}
            )
        plan.state = PlanState.CLOSED
        plan.closed_at = timezone.now()
        plan.save(update_fields=["state", "closed_at"])
        counts = Checklist.objects.filter(plan=plan).aggregate(
            total=Count("pk"), submitted=Count("pk", filter=Q(state=ChecklistState.SUBMITTED))
        )
        _event("plan.closed", actor, plan, counts, plan.organization_id)
    return plan
