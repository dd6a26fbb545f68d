"""The reporting chain of a case: rules.routes computes the steps, this module keeps
one ChainItem per required notification in step with them, resolves who receives the
internal ones, and records sending and acknowledgement.

Functions here run inside the caller's transaction unless they say otherwise."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.incidents import permissions
from mamori.incidents.models import ChainItem, Incident, TimelineEntry
from mamori.notices.services import notify
from mamori.org.models import RoleAssignment
from mamori.rules import incident_kinds, routes
from mamori.rules import roles as role_catalogue
from mamori.trail.services import record

# The yes/no facts of CaseFacts that the report form and triage set.
FACT_FLAGS = tuple(
    f.name
    for f in dataclasses.fields(routes.CaseFacts)
    if f.type in ("bool", bool) and f.name != "org_kind"
)
# Senders that stand for the member of staff who filed the report: their items are
# sent by the act of filing itself (the 報告窓口 form is the report).
REPORTER_SENDERS = frozenset({"staff", "reporter", "employee"})
# Internal recipients that are desks rather than roles: the CSIRT answers them.
DESK_ALIASES = {
    "desk": "csirt",
    "reporting_desk": "csirt",
    "contact_point": "csirt",
    "help_desk": "csirt",
}
# Most people told of one step (an org-wide role may have many holders).
NOTIFY_LIMIT = 20


def initial_facts(kind_info, *, personal_info=False, my_number=False, people_count=None) -> dict:
    facts = {flag: False for flag in FACT_FLAGS}
    for hint in kind_info.hints:
        if hint in facts:
            facts[hint] = True
    if personal_info or my_number:
        facts["personal_info"] = True
    if my_number:
        facts["my_number"] = True
    return facts


def involves_personal_info(facts: dict) -> bool:
    return bool(facts.get("personal_info") or facts.get("my_number"))


def _codes(terms) -> set[str]:
    return {term.code for term in terms}


def validate_triage(event_type: str, cause: str, damage_types: list, facts: dict) -> dict:
    errors = {}
    if event_type and event_type not in _codes(incident_kinds.TAXONOMY_EVENTS):
        errors["event_type"] = _("事象分類が不正です。")
    if cause and cause not in _codes(incident_kinds.TAXONOMY_CAUSES):
        errors["cause"] = _("原因分類が不正です。")
    unknown = set(damage_types) - _codes(incident_kinds.DAMAGE_TYPES)
    if unknown:
        errors["damage_types"] = _("被害の種類が不正です: %(codes)s") % {
            "codes": ", ".join(sorted(unknown))
        }
    bad = [k for k, v in facts.items() if k not in FACT_FLAGS or not isinstance(v, bool)]
    if bad:
        errors["facts"] = _("事実の項目が不正です: %(codes)s") % {"codes": ", ".join(sorted(bad))}
    return errors


def case_facts(incident: Incident) -> routes.CaseFacts:
    organization = incident.organization
    flags = {flag: bool(incident.facts.get(flag)) for flag in FACT_FLAGS}
    parent = organization.parent
    return routes.CaseFacts(
        org_kind=organization.kind,
        rulebooks=frozenset(organization.rulebooks),
        kind=incident.kind,
        damage_types=frozenset(incident.damage_types or ()),
        importance=incident.importance or "",
        supervising_ministry=parent.name if parent is not None else "",
        **flags,
    )


def is_role(code: str) -> bool:
    return code in role_catalogue.catalogue()


def recipient_role(code: str) -> str:
    return DESK_ALIASES.get(code, code)


def resolve_recipients(incident: Incident, code: str) -> list:
    """People who receive an internal step: holders of the recipient role for the
    reporter's unit, nearest unit first, then organisation-wide holders; never the
    reporter themselves (separation of duties: no one receives their own report, so
    a 保護管理者 who reports goes straight to the next holder up)."""
    role = recipient_role(code)
    if not is_role(role):
        return []
    unit = incident.reporter_unit
    chain = unit.ancestor_ids if unit is not None else []
    where = Q(system__isnull=True) & (Q(unit_id__in=chain) | Q(unit__isnull=True))
    if "system" in role_catalogue.get(role).scopes and incident.pk:
        # 情報システム情報保証責任者 and the like: the officers of the affected systems.
        where |= Q(system__in=incident.affected_systems.values("pk"))
    holders = list(
        RoleAssignment.objects.active()
        .filter(organization_id=incident.organization_id, role=role, person__active=True)
        .filter(where)
        .exclude(person_id=incident.reporter_id)
        .select_related("person")
        .order_by("id")
    )
    rank = {unit_id: i for i, unit_id in enumerate(chain)}
    holders.sort(key=lambda a: (rank.get(a.unit_id, len(chain)), a.id))
    people = []
    for assignment in holders:
        if assignment.person not in people:
            people.append(assignment.person)
    return people


def _snapshot(incident: Incident) -> dict:
    """What was sent: the facts of the case at the moment of sending."""
    return {
        "number": incident.number,
        "kind": incident.kind,
        "title": incident.title,
        "description": incident.description,
        "status": incident.status,
        "importance": incident.importance,
        "event_type": incident.event_type,
        "cause": incident.cause,
        "damage_types": list(incident.damage_types or []),
        "facts": dict(incident.facts or {}),
        "impact": {"c": incident.impact_c, "i": incident.impact_i, "a": incident.impact_a},
        "reported_at": incident.reported_at.isoformat() if incident.reported_at else None,
        "occurred_at": incident.occurred_at.isoformat() if incident.occurred_at else None,
        "discovered_at": incident.discovered_at.isoformat() if incident.discovered_at else None,
        "reporter_unit": str(incident.reporter_unit) if incident.reporter_unit_id else "",
        "people_count": incident.people_count,
        "containment": incident.containment,
        "taken_at": timezone.now().isoformat(),
    }


def _due(step: routes.Step, start) -> object:
    return routes.due_at(step.due, start, promptly_hours=settings.INCIDENT_PROMPTLY_HOURS)


def refresh_next_due(incident: Incident) -> None:
    """Keep the board's overdue column: the earliest due time of the open items."""
    earliest = incident.chain_items.filter(
        sent_at__isnull=True, cancelled_at__isnull=True
    ).aggregate(earliest=Min("due_at"))["earliest"]
    if earliest != incident.chain_next_due_at:
        incident.chain_next_due_at = earliest
        Incident.objects.filter(pk=incident.pk).update(chain_next_due_at=earliest)


def _entry(incident, person, kind, item, data=None):
    TimelineEntry.objects.create(
        incident=incident,
        actor=person.user if person is not None else None,
        kind=kind,
        text=item.title_ja,
        data={"item": item.pk, "step": item.step_key, **(data or {})},
    )


def sync(incident: Incident, person, *, start, first: bool = False) -> dict:
    """Bring the case's items in line with the route for its current facts: keep what
    was sent, add what is newly required, cancel unsent items no longer required.
    Returns the step keys added / cancelled / restored, for the trail."""
    steps = {step.key: step for step in routes.route(case_facts(incident))}
    existing = {item.step_key: item for item in incident.chain_items.all()}
    changes: dict[str, list[str]] = {"added": [], "cancelled": [], "restored": []}
    now = timezone.now()
    for key, item in existing.items():
        if key in steps:
            if item.cancelled_at is not None:
                item.cancelled_at = None
                item.due_at = _due(steps[key], now)
                item.save(update_fields=["cancelled_at", "due_at"])
                changes["restored"].append(key)
                _entry(incident, person, "chain_restored", item)
        elif item.sent_at is None and item.cancelled_at is None:
            item.cancelled_at = now
            item.save(update_fields=["cancelled_at"])
            changes["cancelled"].append(key)
            _entry(incident, person, "chain_cancelled", item)
    for key, step in steps.items():
        if key in existing:
            continue
        recipients = resolve_recipients(incident, step.recipient) if step.internal else []
        item = ChainItem.objects.create(
            incident=incident,
            step_key=key,
            order=step.order,
            sender=step.sender,
            recipient=step.recipient,
            internal=step.internal,
            recipient_person=recipients[0] if recipients else None,
            title_ja=step.title_ja[:300],
            title_en=step.title_en[:300],
            condition=step.condition_ja,
            condition_en=step.condition_en,
            citation=step.citation[:200],
            due_rule=f"{step.due.kind}:{step.due.amount}" if step.due.amount else step.due.kind,
            due_at=_due(step, start),
        )
        changes["added"].append(key)
        if not first:
            _entry(incident, person, "chain_added", item)
        if first and step.sender in REPORTER_SENDERS:
            # Filing the report is the staff member's notification.
            _mark_sent(item, person, recipients)
    refresh_next_due(incident)
    return changes


def _notify_recipients(item: ChainItem, people) -> None:
    incident = item.incident
    for recipient in people[:NOTIFY_LIMIT]:
        notify(
            recipient,
            gettext_noop("事案 %(number)s の報告が届きました: %(title)s（%(citation)s）"),
            {"number": incident.number, "title": item.title_ja, "citation": item.citation},
            url=reverse("incidents:detail", args=[incident.pk]),
        )


def cancel_open(incident: Incident, person) -> list[str]:
    """Cancel every unsent item (the case was cancelled or merged)."""
    now = timezone.now()
    cancelled = []
    for item in incident.chain_items.filter(sent_at__isnull=True, cancelled_at__isnull=True):
        item.cancelled_at = now
        item.save(update_fields=["cancelled_at"])
        _entry(incident, person, "chain_cancelled", item)
        cancelled.append(item.step_key)
    refresh_next_due(incident)
    return cancelled


def resolve_missing(incident: Incident) -> None:
    """Name a recipient for open internal items that had none (e.g. once the affected
    system, and with it its 情報システム情報保証責任者, is known)."""
    for item in incident.chain_items.filter(
        internal=True, recipient_person__isnull=True, acknowledged_at__isnull=True
    ):
        people = resolve_recipients(incident, item.recipient)
        if people:
            item.recipient_person = people[0]
            item.save(update_fields=["recipient_person"])


def _mark_sent(item: ChainItem, person, recipients=None) -> None:
    incident = item.incident
    item.sent_at = timezone.now()
    item.sent_by = person
    item.snapshot = _snapshot(incident)
    item.save(update_fields=["sent_at", "sent_by", "snapshot"])
    _entry(incident, person, "chain_sent", item)
    if item.internal:
        if recipients is None:
            recipients = resolve_recipients(incident, item.recipient)
        _notify_recipients(item, recipients)
    # Steps that follow this one are due from now, not from the report.
    for follower in incident.chain_items.filter(sent_at__isnull=True, cancelled_at__isnull=True):
        step = _step_for(incident, follower.step_key)
        if step is not None and step.after == item.step_key and not step.due_from_report:
            follower.due_at = _due(step, item.sent_at)
            follower.save(update_fields=["due_at"])


def _step_for(incident: Incident, key: str):
    cache = getattr(incident, "_route_cache", None)
    if cache is None:
        cache = {step.key: step for step in routes.route(case_facts(incident))}
        incident._route_cache = cache
    return cache.get(key)


def _locked(item: ChainItem) -> ChainItem:
    return (
        ChainItem.objects.select_for_update(of=("self",))
        .select_related("incident", "incident__organization", "incident__reporter_unit")
        .get(pk=item.pk)
    )


def send_item(item: ChainItem, person) -> ChainItem:
    """Record that a notification was made, with a snapshot of what was sent. Internal
    items notify the recipients in mamori (and by mail through the outbox)."""
    with transaction.atomic():
        item = _locked(item)
        if not permissions.can_send(person, item):
            raise Forbidden(_("この報告を送る権限がありません。"))
        if item.cancelled_at is not None:
            raise InvalidTransition(_("この報告は不要になったため取り消されています。"))
        if item.sent_at is not None:
            raise InvalidTransition(_("この報告は既に送付済みです。"))
        _mark_sent(item, person)
        refresh_next_due(item.incident)
        record(
            "incidents.chain.sent",
            actor=person.user,
            obj=item.incident,
            data={"number": item.incident.number, "step": item.step_key, "item": item.pk},
            organization_id=item.incident.organization_id,
        )
    return item


def acknowledge_item(item: ChainItem, person) -> ChainItem:
    """The recipient confirms they received the report."""
    with transaction.atomic():
        item = _locked(item)
        if not item.internal:
            raise InvalidInput(_("外部機関への報告は受領確認の対象ではありません。"))
        if not permissions.can_acknowledge(person, item):
            raise Forbidden(_("この報告の受領を確認できるのは受領者だけです。"))
        if item.sent_at is None:
            raise InvalidTransition(_("まだ送付されていない報告です。"))
        if item.acknowledged_at is not None:
            raise InvalidTransition(_("この報告は既に受領確認済みです。"))
        item.acknowledged_at = timezone.now()
        item.acknowledged_by = person
        if item.recipient_person_id is None:
            item.recipient_person = person
        item.save(update_fields=["acknowledged_at", "acknowledged_by", "recipient_person"])
        _entry(item.incident, person, "chain_acknowledged", item)
        record(
            "incidents.chain.acknowledged",
            actor=person.user,
            obj=item.incident,
            data={"number": item.incident.number, "step": item.step_key, "item": item.pk},
            organization_id=item.incident.organization_id,
        )
    return item
