"""Reading the sharing structure: NISC, liaisons, CEPTOARs and the current mode."""

from __future__ import annotations

from django.utils.translation import get_language

from mamori.org.models import Organization, Person
from mamori.rules import cip
from mamori.sharing.models import Mode, ModeChange, Party, PartyRole, SectorLiaison


def current_mode() -> str:
    latest = ModeChange.objects.order_by("-changed_at", "-id").values_list("mode", flat=True)
    return latest.first() or Mode.NORMAL


def current_mode_change() -> ModeChange | None:
    return ModeChange.objects.select_related("changed_by").order_by("-changed_at", "-id").first()


def nisc_org() -> Organization | None:
    party = (
        Party.objects.filter(role=PartyRole.NISC, active=True)
        .select_related("organization")
        .order_by("id")
        .first()
    )
    return party.organization if party else None


def liaison_for(sector: str) -> SectorLiaison | None:
    return SectorLiaison.objects.select_related("ministry").filter(sector=sector).first()


def liaisons_of(person: Person) -> list[SectorLiaison]:
    """The sector liaisons a person serves as (by name on the liaison record)."""
    return list(person.sharing_liaisons.select_related("ministry").order_by("sector"))


def sector_label(code: str) -> str:
    try:
        return cip.sector(code).label(get_language() or "ja")
    except ValueError:
        return code


def sector_choices() -> list[tuple[str, str]]:
    language = get_language() or "ja"
    return [(s.code, s.label(language)) for s in cip.sectors().values()]


def service_choices(sector: str | None = None) -> list[tuple[str, str]]:
    language = get_language() or "ja"
    return [
        (s.code, f"{cip.sector(s.sector).label(language)}: {s.label(language)}")
        for s in cip.services().values()
        if sector is None or s.sector == sector
    ]
