"""Who runs, answers and evaluates the self-assessment (統一基準(H30) 2.3.1, 防衛省通達 第12-1).

- the 統括情報セキュリティ責任者 drafts, opens, revises and closes the yearly plan and
  evaluates the organisation (2.3.1(1)(c), (3)(b)); in a 防衛省 organisation the
  情報保証責任者 / 情報保証統括責任者 run the self-assessment (第12-1);
- each 情報セキュリティ責任者 (情報保証責任者 in a 防衛省 organisation) evaluates the units
  of their scope (2.3.1(3)(a));
- the CISO receives the organisation's evaluation and sees everything;
- every member of staff answers their own checklist, nobody else's."""

from __future__ import annotations

from django.db.models import Q

from mamori.org import scope

CHIEF_ROLES = ("chief_isec_officer",)
MOD_MANAGER_ROLES = ("ia_chief", "ia_officer")
# Org-wide roles that see every plan, checklist and evaluation of their organisation.
WHOLE_ORG_ROLES = ("ciso", "deputy_ciso", "chief_isec_officer", "ia_chief")
# Roles that evaluate their units (2.3.1(3)(a); 防衛省: 情報保証責任者).
EVALUATOR_ROLES = ("isec_officer", "ia_officer")
# Unit-scoped roles that see the checklists of their units.
UNIT_VIEW_ROLES = ("isec_officer", "section_isec_officer", "ia_officer")
# Who sees the plan pages at all (the menu uses the same list).
PLAN_VIEW_ROLES = WHOLE_ORG_ROLES + UNIT_VIEW_ROLES


def follows(person, rulebook: str) -> bool:
    return rulebook in (person.organization.rulebooks or [])


def can_manage_plans(person) -> bool:
    """The 統括 (org-wide), or in a 防衛省 organisation the 情報保証責任者 / 統括責任者."""
    if person is None:
        return False
    if scope.has_org_wide_role(person, CHIEF_ROLES):
        return True
    return follows(person, "mod") and scope.has_role(person, *MOD_MANAGER_ROLES)


def can_evaluate_organization(person) -> bool:
    return can_manage_plans(person)


def can_view_plans(person) -> bool:
    return person is not None and scope.has_role(person, *PLAN_VIEW_ROLES)


def sees_whole_organization(person) -> bool:
    if person is None:
        return False
    if scope.has_org_wide_role(person, WHOLE_ORG_ROLES) or can_manage_plans(person):
        return True
    # A unit role assigned for the whole organisation covers every unit.
    return any(
        a.role in UNIT_VIEW_ROLES and a.unit_id is None and a.system_id is None
        for a in scope.active_assignments(person)
    )


def unit_filter(person, *, field: str = "unit", roles: tuple[str, ...] = UNIT_VIEW_ROLES) -> Q:
    """Records whose `field` (an OrgUnit) lies within the person's unit roles."""
    query = Q(pk__in=[])
    for assignment in scope.active_assignments(person):
        if assignment.role in roles and assignment.unit_id:
            query |= Q(**{f"{field}__path__startswith": assignment.unit.path})
    return query


def evaluator_roles(person) -> tuple[str, ...]:
    """isec_officer always; ia_officer only in a 防衛省 organisation."""
    return EVALUATOR_ROLES if follows(person, "mod") else ("isec_officer",)


def evaluation_units(person) -> list:
    """The units the person evaluates: those of their 情報セキュリティ責任者 assignments;
    an assignment for the whole organisation evaluates its top-level units."""
    from mamori.org.models import OrgUnit

    roles = evaluator_roles(person)
    units = []
    whole = False
    for assignment in scope.active_assignments(person):
        if assignment.role not in roles or assignment.system_id:
            continue
        if assignment.unit_id:
            units.append(assignment.unit)
        else:
            whole = True
    if whole:
        units = list(
            OrgUnit.objects.filter(organization_id=person.organization_id, parent__isnull=True)
        )
    return sorted({u.pk: u for u in units}.values(), key=lambda u: u.path)


def can_evaluate_unit(person, unit) -> bool:
    """A 情報セキュリティ責任者 whose scope covers the unit (2.3.1(3)(a))."""
    if person is None or unit is None or unit.organization_id != person.organization_id:
        return False
    roles = evaluator_roles(person)
    for assignment in scope.active_assignments(person):
        if assignment.role not in roles or assignment.system_id:
            continue
        if assignment.unit_id is None or unit.path.startswith(assignment.unit.path):
            return True
    return False
