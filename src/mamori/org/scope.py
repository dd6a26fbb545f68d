"""What a person may see and do, derived from the roles they hold today.

Querysets are scoped through these helpers (DESIGN: scoped in managers, not in views).
An API token may narrow a person's roles: `limit_roles()` sets that for one request.
"""

from __future__ import annotations

from django.db.models import Q

from mamori.org.models import RoleAssignment
from mamori.rules import roles as catalogue

# Who may read the roster of people and roles: the officers who answer for security or
# personal information in their scope. The page and the menu both use this list.
ROSTER_ROLES = (
    "ciso",
    "deputy_ciso",
    "chief_isec_officer",
    "isec_officer",
    "section_isec_officer",
    "pii_chief",
    "pii_manager",
    "ia_chief",
    "ia_officer",
)

_CACHE_ATTR = "_mamori_active_assignments"
_LIMIT_ATTR = "_mamori_role_limit"


def limit_roles(person, role_codes: list[str] | None) -> None:
    """Narrow `person` (this instance only) to these role codes; None lifts the limit."""
    setattr(person, _LIMIT_ATTR, set(role_codes) if role_codes else None)
    if hasattr(person, _CACHE_ATTR):
        delattr(person, _CACHE_ATTR)


def active_assignments(person, *, unlimited: bool = False) -> list[RoleAssignment]:
    """The person's role assignments valid today, fetched once per instance.

    A token's role limit narrows what the person may do; `unlimited=True` ignores it,
    for checks that must never be weakened by narrowing (separation of duties)."""
    if person is None:
        return []
    every = getattr(person, _CACHE_ATTR, None)
    if every is None:
        every = list(
            RoleAssignment.objects.active().filter(person=person).select_related("unit", "system")
        )
        setattr(person, _CACHE_ATTR, every)
    limit = getattr(person, _LIMIT_ATTR, None)
    if unlimited or limit is None:
        return every
    return [a for a in every if a.role in limit]


def role_codes(person) -> set[str]:
    return {a.role for a in active_assignments(person)}


def has_role(person, *codes: str) -> bool:
    return bool(role_codes(person) & set(codes))


def has_org_wide_role(person, roles: tuple[str, ...] | None = None) -> bool:
    return any(
        catalogue.get(a.role).org_wide
        and a.unit_id is None
        and a.system_id is None
        and (roles is None or a.role in roles)
        for a in active_assignments(person)
    )


def unit_paths(person) -> tuple[str, ...]:
    """The paths of the units the person belongs to or holds any role for (whatever a
    token narrowed: used for separation of duties)."""
    paths = [a.unit.path for a in active_assignments(person, unlimited=True) if a.unit_id]
    if person is not None and person.unit_id:
        paths.append(person.unit.path)
    return tuple(dict.fromkeys(paths))


def visible_unit_filter(person, *, field: str = "unit", roles: tuple[str, ...] | None = None) -> Q:
    """Q for records whose `field` (an OrgUnit) lies within the person's role scopes.

    Org-wide roles (CISO, 統括情報セキュリティ責任者, CSIRT …) see every unit; unit-scoped
    roles see their unit and everything below it; no role means nothing beyond what
    other filters grant (for example one's own requests). `roles` restricts which of
    the person's roles count (a page meant for some roles only)."""
    if has_org_wide_role(person, roles):
        return Q(**{f"{field}__organization_id": person.organization_id})
    query = Q(pk__in=[])
    for assignment in active_assignments(person):
        if assignment.unit_id and (roles is None or assignment.role in roles):
            query |= Q(**{f"{field}__path__startswith": assignment.unit.path})
    return query
