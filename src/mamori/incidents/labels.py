"""Catalogue labels in the reader's language, for pages, exports and the API."""

from __future__ import annotations

from functools import cache

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mamori.rules import incident_kinds

# Senders and recipients that are people rather than roles or outside parties.
PEOPLE = {
    "staff": _("職員等（報告者）"),
    "reporter": _("報告者"),
    "employee": _("職員等（報告者）"),
    "desk": _("報告窓口"),
    "reporting_desk": _("報告窓口"),
    "contact_point": _("報告窓口"),
}


def _language() -> str:
    return get_language() or "ja"


def kind_info(code: str):
    try:
        return incident_kinds.kind(code)
    except KeyError:
        return None


def kind_label(code: str, language: str | None = None) -> str:
    info = kind_info(code)
    return info.label(language or _language()) if info else code


@cache
def _terms(group: str) -> dict:
    source = {
        "events": incident_kinds.TAXONOMY_EVENTS,
        "causes": incident_kinds.TAXONOMY_CAUSES,
        "damage": incident_kinds.DAMAGE_TYPES,
        "parties": incident_kinds.PARTIES,
    }[group]
    return {term.code: term for term in source}


def term_label(group: str, code: str, language: str | None = None) -> str:
    if not code:
        return ""
    term = _terms(group).get(code)
    return term.label(language or _language()) if term else code


def party_or_role_label(code: str, language: str | None = None) -> str:
    """The recipient or sender of a chain item: a role of the catalogue or a party."""
    from mamori.rules import roles

    language = language or _language()
    if code in PEOPLE:
        return str(PEOPLE[code])
    if code in roles.catalogue():
        return roles.get(code).label(language)
    label = term_label("parties", code, language)
    return label or code
