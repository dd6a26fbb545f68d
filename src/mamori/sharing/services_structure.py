"""NISC keeps the sharing structure (行動計画 Ⅲ.2.3, 別添2.3): which operators are members
of which CEPTOAR, the handling agreement on file per CEPTOAR and operator (別添2.3④:
early warnings go only to those who have one) and each sector's liaison (ministry and
people, 別添2.3①). One function per change; each writes its trail event in the same
transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.org import scope
from mamori.org.models import Organization, Person
from mamori.rules import cip
from mamori.sharing import access
from mamori.sharing.models import Party, PartyRole, ReportStatus, SectorLiaison
from mamori.trail.services import record

# Parties that can hold an early-warning handling agreement (別添2.3④).
AGREEMENT_ROLES = (PartyRole.CEPTOAR, PartyRole.OPERATOR)


def can_manage(person: Person) -> bool:
    """NISC's information-sharing officers keep the structure."""
    return access.is_nisc(person) and scope.has_role(person, "cip_nisc")


def _require_nisc(person: Person) -> None:
    if not can_manage(person):
        raise Forbidden(_("情報共有体制を管理できるのは内閣官房（NISC）の担当者です。"))


def _locked(party: Party, role: str, message: str) -> Party:
    party = (
        Party.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=party.pk)
    )
    if party.role != role or not party.active:
        raise InvalidInput(message)
    return party


def _record(action: str, person: Person, obj, data: dict) -> None:
    record(action, actor=person.user, obj=obj, data=data, organization_id=person.organization_id)


@transaction.atomic
def add_member(person: Person, ceptoar: Party, operator: Party) -> Party:
    """Make `operator` a member of `ceptoar` (an operator belongs to one CEPTOAR)."""
    _require_nisc(person)
    ceptoar = _locked(ceptoar, PartyRole.CEPTOAR, _("セプターを指定してください。"))
    operator = _locked(
        operator, PartyRole.OPERATOR, _("構成員にできるのは重要インフラ事業者等です。")
    )
    if operator.ceptoar_id == ceptoar.pk:
        raise InvalidTransition(_("既にこのセプターの構成員です。"))
    if operator.ceptoar_id is not None:
        raise InvalidTransition(_("他のセプターの構成員です。先にそのセプターから外してください。"))
    if ceptoar.sector and operator.sector and ceptoar.sector != operator.sector:
        raise InvalidInput(_("セプターと同じ分野の事業者のみ構成員にできます。"))
    operator.ceptoar = ceptoar
    operator.save(update_fields=["ceptoar"])
    _record(
        "sharing.member.added",
        person,
        operator,
        {"ceptoar": ceptoar.organization.code, "operator": operator.organization.code},
    )
    return operator


@transaction.atomic
def remove_member(person: Person, ceptoar: Party, operator: Party) -> Party:
    _require_nisc(person)
    ceptoar = _locked(ceptoar, PartyRole.CEPTOAR, _("セプターを指定してください。"))
    operator = (
        Party.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=operator.pk)
    )
    if operator.ceptoar_id != ceptoar.pk:
        raise InvalidTransition(_("このセプターの構成員ではありません。"))
    operator.ceptoar = None
    operator.save(update_fields=["ceptoar"])
    _record(
        "sharing.member.removed",
        person,
        operator,
        {"ceptoar": ceptoar.organization.code, "operator": operator.organization.code},
    )
    return operator


@transaction.atomic
def set_handling_agreement(person: Person, party: Party, agreed_on: date | None) -> Party:
    """Record (a date) or withdraw (None) the early-warning handling agreement (別添2.3④)."""
    _require_nisc(person)
    party = (
        Party.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=party.pk)
    )
    if party.role not in AGREEMENT_ROLES:
        raise InvalidInput(_("取決めを登録できるのはセプター又は重要インフラ事業者等です。"))
    if party.handling_agreement_on == agreed_on:
        raise InvalidTransition(_("取決めの登録内容に変更がありません。"))
    previous = party.handling_agreement_on
    party.handling_agreement_on = agreed_on
    party.save(update_fields=["handling_agreement_on"])
    _record(
        "sharing.agreement.recorded" if agreed_on else "sharing.agreement.withdrawn",
        person,
        party,
        {
            "organization": party.organization.code,
            "agreed_on": agreed_on.isoformat() if agreed_on else None,
            "previous": previous.isoformat() if previous else None,
        },
    )
    return party


@transaction.atomic
def set_liaison(
    person: Person, sector: str, ministry: Organization, people: Iterable[Person]
) -> SectorLiaison:
    """Name the ministry and the liaison people for one sector (created or replaced)."""
    _require_nisc(person)
    if sector not in cip.sectors():
        raise InvalidInput(_("不明な重要インフラ分野です。"), details={"sector": sector})
    party = access.party_of(ministry)
    if party is None or party.role != PartyRole.CI_MINISTRY or not party.active:
        raise InvalidInput(
            _("リエゾンを置けるのは重要インフラ所管省庁です。"), details={"ministry": ministry.pk}
        )
    people = list(people)
    for member in people:
        if member.organization_id != ministry.pk or not member.active:
            raise InvalidInput(
                _("%(name)s はその省庁の職員ではありません。") % {"name": member},
                details={"people": member.pk},
            )
        if not scope.has_role(member, "cip_liaison"):
            raise InvalidInput(
                _("%(name)s にはリエゾンの役割がありません。") % {"name": member},
                details={"people": member.pk},
            )
    liaison, created = SectorLiaison.objects.select_for_update().get_or_create(
        sector=sector, defaults={"ministry": ministry}
    )
    previous = {
        "ministry": liaison.ministry.code,
        "people": sorted(liaison.people.values_list("pk", flat=True)),
    }
    if liaison.ministry_id != ministry.pk:
        if liaison.reports.filter(status=ReportStatus.SUBMITTED).exists():
            # Those reports were routed to the old ministry (別添3.3): it forwards them first.
            raise InvalidTransition(
                _("所管省庁からの連絡待ちの情報連絡があるため、所管省庁を変更できません。")
            )
        liaison.ministry = ministry
        liaison.save(update_fields=["ministry"])
    liaison.people.set(people)
    _record(
        "sharing.liaison.set",
        person,
        liaison,
        {
            "sector": sector,
            "ministry": ministry.code,
            "people": sorted(p.pk for p in people),
            "previous": None if created else previous,
        },
    )
    return liaison
