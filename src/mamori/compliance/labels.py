"""Display helpers: role and organisation-kind labels in the reader's language."""

from __future__ import annotations

from django.utils.translation import get_language

from mamori.rules import roles as role_catalogue
from mamori.rules.classification import ORG_KINDS
from mamori.rules.requirements import PSEUDO_ROLES


def _english() -> bool:
    return (get_language() or "ja").startswith("en")


def role_label(code: str) -> str:
    if code in PSEUDO_ROLES:
        ja, en = PSEUDO_ROLES[code]
        return en if _english() else ja
    try:
        return role_catalogue.get(code).label("en" if _english() else "ja")
    except KeyError:
        return code


def org_kind_label(code: str) -> str:
    names = ORG_KINDS.get(code)
    if names is None:
        return code
    return names[1] if _english() else names[0]
