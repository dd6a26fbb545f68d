"""Who may do what with a case. Reading is scoped by Incident.objects.visible_to();
these answer the questions about acting on a case the person can already see."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mamori.errors import Forbidden
from mamori.org import scope

# Roles that run cases: triage, status, tasks, evidence, outside reports (統一基準(R7)
# 2.2.4: CSIRT; 防衛省通達 第11-3: 事案対処責任者 / 事案対処統括責任者).
HANDLING_ROLES = ("csirt", "csirt_lead", "incident_chief", "incident_officer")
# Who sees the CSIRT board (everyone else sees their own reports only).
BOARD_ROLES = HANDLING_ROLES + (
    "ciso",
    "deputy_ciso",
    "chief_isec_officer",
    "isec_officer",
    "section_isec_officer",
    "ia_chief",
    "ia_officer",
    "pii_chief",
    "pii_manager",
    "sys_ia_officer",
)


def _covers_unit(person, roles: tuple[str, ...], unit) -> bool:
    """The person holds one of `roles` org-wide, or for `unit` or a unit above it."""
    for assignment in scope.active_assignments(person):
        if assignment.role not in roles or assignment.system_id:
            continue
        if assignment.organization_id != person.organization_id:
            continue
        if assignment.unit_id is None:
            return True
        if unit is not None and unit.path.startswith(assignment.unit.path):
            return True
    return False


def can_handle(person, incident) -> bool:
    if person is None or person.organization_id != incident.organization_id:
        return False
    if incident.handler_id == person.pk:
        return True
    return _covers_unit(person, HANDLING_ROLES, incident.reporter_unit)


def require_handler(person, incident) -> None:
    if not can_handle(person, incident):
        raise Forbidden(
            _("この事案を対処する権限がありません（CSIRT又は事案対処責任者の役割が必要です）。")
        )


def may_see_board(person) -> bool:
    return scope.has_role(person, *BOARD_ROLES)


def holds_role_for(person, role: str, incident) -> bool:
    """Holds `role` for the case: for the reporter's unit (or above, or org-wide), or,
    for a system-scoped role, for one of the affected systems."""
    if _covers_unit(person, (role,), incident.reporter_unit):
        return True
    systems = {
        a.system_id for a in scope.active_assignments(person) if a.role == role and a.system_id
    }
    return bool(systems) and incident.affected_systems.filter(pk__in=systems).exists()


def can_send(person, item) -> bool:
    """Internal items are sent by a holder of the sender role for the case's unit; the
    CSIRT may record any sending (it keeps the chain moving and files outside reports)."""
    incident = item.incident
    if person is None or person.organization_id != incident.organization_id:
        return False
    if _covers_unit(person, ("csirt", "csirt_lead"), incident.reporter_unit):
        return True
    if can_handle(person, incident):
        return True
    return holds_role_for(person, item.sender, incident)


def chain_role(code: str) -> str:
    from mamori.incidents.chain import recipient_role

    return recipient_role(code)


def can_acknowledge(person, item) -> bool:
    """The recipient acknowledges: the resolved recipient person, or another holder of
    the recipient role for the case's unit — never the reporter of the case (no one
    receives their own report)."""
    incident = item.incident
    if not item.internal or person is None:
        return False
    if person.pk == incident.reporter_id:
        return False
    if item.recipient_person_id == person.pk:
        return True
    return holds_role_for(person, chain_role(item.recipient), incident)
