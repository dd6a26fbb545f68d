"""The calendar's view of incidents (mamori.web.deadlines): the due times of the
reporting chain (each item cites the clause that requires the report).

For a person: the chain items they may send (mamori.incidents.permissions.can_send)
that are still open or that they sent themselves, and the internal items they must
acknowledge (permissions.can_acknowledge) that are waiting or that they acknowledged.
Only cases `Incident.objects.visible_to(person)` shows. The same decisions as the
permissions module, made in memory: one query for the items, one more for the
affected systems only when the person holds a system-scoped role."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from mamori.incidents import permissions
from mamori.incidents.models import ChainItem, Incident
from mamori.org import scope
from mamori.web.deadlines import Deadline, day_bounds, register

MODULE = "incidents"
SENDER_ROLES = ("csirt", "csirt_lead")  # may record any sending (permissions.can_send)
SEND = gettext_noop("%(number)s 報告期限: %(step)s")
ACKNOWLEDGE = gettext_noop("%(number)s 受領確認: %(step)s")


def _system_roles(person) -> dict[str, set[int]]:
    held: dict[str, set[int]] = defaultdict(set)
    for assignment in scope.active_assignments(person):
        if assignment.system_id and assignment.organization_id == person.organization_id:
            held[assignment.role].add(assignment.system_id)
    return held


def _affected_systems(items, system_ids: set[int]) -> dict[int, set[int]]:
    """incident id -> the person's systems among its affected systems (one query)."""
    found: dict[int, set[int]] = defaultdict(set)
    if not system_ids:
        return found
    through = Incident.affected_systems.through
    rows = through.objects.filter(
        incident_id__in={item.incident_id for item in items},
        informationsystem_id__in=system_ids,
    ).values_list("incident_id", "informationsystem_id")
    for incident_id, system_id in rows:
        found[incident_id].add(system_id)
    return found


def chain_deadlines(person, start: date, end: date):
    low, high = day_bounds(start, end)
    items = list(
        ChainItem.objects.filter(
            incident__in=Incident.objects.visible_to(person),
            due_at__gte=low,
            due_at__lt=high,
            cancelled_at__isnull=True,
        )
        .select_related("incident__reporter_unit")
        .order_by("due_at", "pk")
    )
    if not items:
        return
    system_roles = _system_roles(person)
    affected = _affected_systems(items, set().union(*system_roles.values()))

    def holds(role: str, incident) -> bool:
        # permissions.holds_role_for, with the affected systems fetched in bulk
        if permissions._covers_unit(person, (role,), incident.reporter_unit):
            return True
        return bool(system_roles.get(role, set()) & affected.get(incident.pk, set()))

    def may_send(item) -> bool:
        incident = item.incident
        return (
            permissions._covers_unit(person, SENDER_ROLES, incident.reporter_unit)
            or permissions.can_handle(person, incident)
            or holds(item.sender, incident)
        )

    def must_acknowledge(item) -> bool:
        incident = item.incident
        if not item.internal or person.pk == incident.reporter_id:
            return False
        return item.recipient_person_id == person.pk or holds(
            permissions.chain_role(item.recipient), incident
        )

    for item in items:
        if item.incident.organization_id != person.organization_id:
            continue
        if (item.sent_at is None or item.sent_by_id == person.pk) and may_send(item):
            yield _deadline(item, "send", SEND, item.sent_at is not None)
        if (
            item.sent_at is not None
            and (item.acknowledged_at is None or item.acknowledged_by_id == person.pk)
            and must_acknowledge(item)
        ):
            yield _deadline(item, "acknowledge", ACKNOWLEDGE, item.acknowledged_at is not None)


def _deadline(item, what: str, title: str, done: bool) -> Deadline:
    incident = item.incident
    return Deadline(
        uid=f"incidents.chain.{item.pk}.{what}",
        due=item.due_at,
        title=_(title) % {"number": incident.number, "step": item.title},
        url=reverse("incidents:detail", args=[incident.pk]) + "#chain",
        module=MODULE,
        citation=item.citation,
        done=done,
    )


register(MODULE, chain_deadlines, label=gettext_lazy("インシデント対応"))
