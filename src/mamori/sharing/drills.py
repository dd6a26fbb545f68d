"""CEPTOAR drills (情報疎通機能の確認, 行動計画 Ⅲ.3.2; NISC provides them on request and
regularly, Ⅳ2.1.2②; CEPTOARs check their own chain regularly, Ⅳ2.6.3 ④).

- `start_drill`: NISC sends a test message to the CEPTOARs (all, or those of chosen
  sectors); a CEPTOAR's point of contact may drill its own members.
- `acknowledge_drill`: a recipient confirms receipt; a CEPTOAR's acknowledgement relays
  the message to its active member operators (the vertical chain, 縦の情報共有).
- `close_drill`: the initiator ends it; nothing can be acknowledged afterwards.
- `drill_report`: acknowledgement times per CEPTOAR and per operator (median, maximum,
  not acknowledged), read by the page and the CSV export.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.notices.services import notify
from mamori.org import scope
from mamori.org.models import Organization, Person
from mamori.rules import cip
from mamori.rules.refs import CIP, cite
from mamori.sharing import access, workflow
from mamori.sharing.drill_models import Drill, DrillDelivery, DrillRecipientKind, DrillStatus
from mamori.sharing.models import Party, PartyRole
from mamori.sharing.numbers import placeholder_number
from mamori.trail.services import record

CITATION = cite(CIP, "Ⅲ.3.2")


def _initiator_party(person: Person) -> Party:
    """NISC (cip_nisc) or a CEPTOAR's point of contact (cip_ceptoar_poc)."""
    party = access.party_of(person.organization)
    if party is not None and party.active:
        if party.role == PartyRole.NISC and scope.has_role(person, "cip_nisc"):
            return party
        if party.role == PartyRole.CEPTOAR and scope.has_role(person, "cip_ceptoar_poc"):
            return party
    raise Forbidden(_("セプター訓練を開始できるのは内閣官房又はセプターの窓口です。"))


def can_start(person: Person) -> bool:
    try:
        _initiator_party(person)
    except Forbidden:
        return False
    return True


def _members(ceptoar_party_ids) -> QuerySet[Party]:
    return Party.objects.filter(
        role=PartyRole.OPERATOR, active=True, ceptoar_id__in=ceptoar_party_ids
    )


def _poc_people(org_ids) -> list[Person]:
    """People who answer for a CEPTOAR's point of contact: the named PoC, else the
    holders of cip_ceptoar_poc in that organisation."""
    named = {
        p.organization_id: p.poc_person
        for p in Party.objects.filter(
            organization_id__in=org_ids, poc_person__isnull=False
        ).select_related("poc_person")
    }
    people = [person for person in named.values() if person.active]
    rest = [org_id for org_id in org_ids if org_id not in named]
    if rest:
        people += list(
            Person.objects.filter(
                active=True,
                organization_id__in=rest,
                role_assignments__role="cip_ceptoar_poc",
            ).distinct()
        )
    return people


@transaction.atomic
def start_drill(
    person: Person, *, title: str, message: str, sectors: list[str] | None = None
) -> Drill:
    party = _initiator_party(person)
    title, message = (title or "").strip(), (message or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("件名を入力してください。")
    if not message:
        errors["message"] = _("訓練用の連絡文を入力してください。")
    sectors = sorted(set(sectors or []))
    unknown = [code for code in sectors if code not in cip.sectors()]
    if unknown:
        errors["sectors"] = _("不明な分野です: %(codes)s") % {"codes": ", ".join(unknown)}
    if errors:
        raise InvalidInput(next(iter(errors.values())), details=errors)
    now = timezone.now()
    if party.role == PartyRole.NISC:
        ceptoars = Party.objects.filter(role=PartyRole.CEPTOAR, active=True)
        if sectors:
            ceptoars = ceptoars.filter(sector__in=sectors)
        rows = [
            DrillDelivery(
                recipient_id=org_id,
                kind=DrillRecipientKind.CEPTOAR,
                ceptoar_id=org_id,
                hop=1,
                delivered_at=now,
            )
            for org_id in ceptoars.values_list("organization_id", flat=True)
        ]
    else:  # a CEPTOAR drills its own members
        sectors = [party.sector] if party.sector else []
        rows = [
            DrillDelivery(
                recipient_id=org_id,
                kind=DrillRecipientKind.OPERATOR,
                ceptoar_id=party.organization_id,
                hop=1,
                delivered_at=now,
            )
            for org_id in _members([party.pk]).values_list("organization_id", flat=True)
        ]
    if not rows:
        raise InvalidInput(_("訓練の送信先がありません。"), details={"sectors": "empty"})
    drill = Drill.objects.create(
        number=placeholder_number(),
        title=title[:200],
        message=message,
        organization=person.organization,
        started_by=person,
        sectors=sectors,
        started_at=now,
    )
    drill.number = f"D-{now:%Y}-{drill.pk:05d}"
    drill.save(update_fields=["number"])
    for row in rows:
        row.drill = drill
    DrillDelivery.objects.bulk_create(rows, batch_size=1000)
    record(
        "sharing.drill.started",
        actor=person.user,
        obj=drill,
        data={"recipients": len(rows), "sectors": sectors, "citation": CITATION},
        organization_id=person.organization_id,
    )
    if party.role == PartyRole.NISC:
        url = reverse("sharing:drill_detail", args=[drill.pk])
        for poc in _poc_people([row.recipient_id for row in rows]):
            notify(
                poc,
                gettext_noop("セプター訓練 %(number)s の受領確認をしてください。"),
                {"number": drill.number},
                url,
            )
    return drill


def pending_for(person: Person) -> QuerySet[DrillDelivery]:
    """Open drill messages the person's organisation has not acknowledged yet."""
    org = access.organization_of(person)
    if org is None:
        return DrillDelivery.objects.none()
    return DrillDelivery.objects.filter(
        recipient_id=org.pk, acknowledged_at__isnull=True, drill__status=DrillStatus.OPEN
    ).select_related("drill")


@transaction.atomic
def acknowledge_drill(person: Person, drill: Drill) -> DrillDelivery:
    org = access.organization_of(person)
    delivery = (
        DrillDelivery.objects.select_for_update()
        .filter(drill=drill, recipient_id=org.pk if org else None)
        .first()
    )
    if delivery is None:
        raise Forbidden(_("この訓練の送信先ではありません。"))
    # the status as stored (locked against a concurrent close), not as the caller saw it
    drill = Drill.objects.select_for_update().get(pk=drill.pk)
    if drill.status != DrillStatus.OPEN:
        raise InvalidTransition(_("終了した訓練には受領確認できません。"))
    if delivery.acknowledged_at is not None:
        raise InvalidTransition(_("受領確認は済んでいます。"))
    now = timezone.now()
    delivery.acknowledged_at = now
    delivery.acknowledged_by = person
    delivery.save(update_fields=["acknowledged_at", "acknowledged_by"])
    relayed = 0
    if delivery.kind == DrillRecipientKind.CEPTOAR:
        # The CEPTOAR passes the message on to its members (Ⅲ.3.2 縦の情報共有).
        ceptoar = Party.objects.get(organization_id=delivery.recipient_id)
        already = set(drill.deliveries.values_list("recipient_id", flat=True))
        rows = [
            DrillDelivery(
                drill=drill,
                recipient_id=org_id,
                kind=DrillRecipientKind.OPERATOR,
                ceptoar_id=delivery.recipient_id,
                hop=delivery.hop + 1,
                delivered_at=now,
            )
            for org_id in _members([ceptoar.pk]).values_list("organization_id", flat=True)
            if org_id not in already
        ]
        DrillDelivery.objects.bulk_create(rows, batch_size=1000)
        relayed = len(rows)
    record(
        "sharing.drill.acknowledged",
        actor=person.user,
        obj=drill,
        data={
            "recipient": delivery.recipient_id,
            "seconds": round((now - delivery.delivered_at).total_seconds(), 3),
            "relayed": relayed,
        },
        organization_id=person.organization_id,
    )
    return delivery


def can_manage(person: Person, drill: Drill) -> bool:
    """The initiating organisation's drill staff, and NISC for every drill."""
    if not can_start(person):
        return False
    return drill.organization_id == person.organization_id or access.is_nisc(person)


@transaction.atomic
def close_drill(person: Person, drill: Drill) -> Drill:
    if not can_manage(person, drill):
        raise Forbidden(_("訓練を終了できるのは実施主体です。"))
    drill = Drill.objects.select_for_update().get(pk=drill.pk)
    if DrillStatus.CLOSED not in workflow.DRILL_TRANSITIONS[drill.status]:
        raise InvalidTransition(_("この訓練は既に終了しています。"))
    drill.status = DrillStatus.CLOSED
    drill.closed_at = timezone.now()
    drill.save(update_fields=["status", "closed_at"])
    unacknowledged = drill.deliveries.filter(acknowledged_at__isnull=True).count()
    record(
        "sharing.drill.closed",
        actor=person.user,
        obj=drill,
        data={"unacknowledged": unacknowledged},
        organization_id=person.organization_id,
    )
    return drill


def drills_visible_to(person: Person) -> QuerySet[Drill]:
    org = access.organization_of(person)
    if org is None:
        return Drill.objects.none()
    if access.is_nisc(org):
        return Drill.objects.all()
    return Drill.objects.filter(
        Q(organization_id=org.pk)
        | Q(pk__in=DrillDelivery.objects.filter(recipient_id=org.pk).values("drill_id"))
    )


# --- the report -----------------------------------------------------------------------------


@dataclass
class Timing:
    """Acknowledgement times in seconds of one group of recipients."""

    recipients: int = 0
    seconds: list[float] = field(default_factory=list)

    @property
    def acknowledged(self) -> int:
        return len(self.seconds)

    @property
    def unacknowledged(self) -> int:
        return self.recipients - self.acknowledged

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    @property
    def maximum(self) -> float | None:
        return max(self.seconds) if self.seconds else None


@dataclass
class CeptoarLine:
    organization: Organization
    delivered_at: datetime | None
    acknowledged_at: datetime | None
    seconds: float | None  # the CEPTOAR's own acknowledgement time
    members: int  # active member operators
    operators: Timing  # its members' times, from the relay
    not_reached: int  # members the message never reached (no relay yet)


@dataclass
class OperatorLine:
    organization: Organization
    ceptoar: Organization | None
    delivered_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: Person | None
    seconds: float | None


@dataclass
class DrillReport:
    drill: Drill
    ceptoars: list[CeptoarLine]
    operators: list[OperatorLine]
    ceptoar_timing: Timing
    operator_timing: Timing


def _seconds(delivery: DrillDelivery) -> float | None:
    if delivery.acknowledged_at is None:
        return None
    return round((delivery.acknowledged_at - delivery.delivered_at).total_seconds(), 3)


def drill_report(drill: Drill) -> DrillReport:
    deliveries = list(
        drill.deliveries.select_related("recipient", "ceptoar", "acknowledged_by").order_by(
            "hop", "recipient__name", "id"
        )
    )
    ceptoar_rows = [d for d in deliveries if d.kind == DrillRecipientKind.CEPTOAR]
    operator_rows = [d for d in deliveries if d.kind == DrillRecipientKind.OPERATOR]
    member_counts: dict[int, int] = defaultdict(int)
    for org_id in Party.objects.filter(
        role=PartyRole.OPERATOR,
        active=True,
        ceptoar__organization_id__in=[d.recipient_id for d in ceptoar_rows],
    ).values_list("ceptoar__organization_id", flat=True):
        member_counts[org_id] += 1
    by_ceptoar: dict[int | None, Timing] = defaultdict(Timing)
    operator_timing = Timing()
    operators = []
    for d in operator_rows:
        seconds = _seconds(d)
        for timing in (by_ceptoar[d.ceptoar_id], operator_timing):
            timing.recipients += 1
            if seconds is not None:
                timing.seconds.append(seconds)
        operators.append(
            OperatorLine(
                d.recipient,
                d.ceptoar,
                d.delivered_at,
                d.acknowledged_at,
                d.acknowledged_by,
                seconds,
            )  # fmt: skip
        )
    ceptoar_timing = Timing()
    ceptoars = []
    for d in ceptoar_rows:
        seconds = _seconds(d)
        ceptoar_timing.recipients += 1
        if seconds is not None:
            ceptoar_timing.seconds.append(seconds)
        timing = by_ceptoar[d.recipient_id]
        members = member_counts[d.recipient_id]
        ceptoars.append(
            CeptoarLine(
                organization=d.recipient,
                delivered_at=d.delivered_at,
                acknowledged_at=d.acknowledged_at,
                seconds=seconds,
                members=members,
                operators=timing,
                not_reached=max(members - timing.recipients, 0),
            )
        )
    # A CEPTOAR drilling its own members: one line for it, without a time of its own.
    listed = {d.recipient_id for d in ceptoar_rows}
    for d in operator_rows:
        if d.ceptoar_id and d.ceptoar_id not in listed:
            listed.add(d.ceptoar_id)
            timing = by_ceptoar[d.ceptoar_id]
            members = _members(
                Party.objects.filter(organization_id=d.ceptoar_id).values("pk")
            ).count()
            ceptoars.append(
                CeptoarLine(
                    d.ceptoar,
                    None,
                    None,
                    None,
                    members,
                    timing,
                    max(members - timing.recipients, 0),
                )  # fmt: skip
            )
    return DrillReport(drill, ceptoars, operators, ceptoar_timing, operator_timing)
