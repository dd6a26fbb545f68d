"""Kinds of request. Each module registers its kinds in its AppConfig.ready().

A kind says who decides (approver roles, nearest unit first), how long the decider
has (working days), whether a period is required, and the clause that calls for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any  # lazy translation
    approver_roles: tuple[str, ...]
    citation: str
    description: Any = ""
    due_working_days: int = 5
    requires_period: bool = False
    max_period_days: int | None = None
    audit: bool = False  # decider must not belong to the request's unit
    # The rules name the permitting role case by case: request.details["approver_roles"].
    roles_from_request: bool = False
    # A person named by the subject decides (e.g. an asset's 決定者): callable(request)
    # returning a Person or None; role resolution is the fallback.
    named_decider: Any = None
    # False for kinds filed from their subject's own page (they need its data).
    generic_form: bool = True
    on_approved: Any = None  # optional callback(request) inside the approving transaction
    extra: dict = field(default_factory=dict)


_KINDS: dict[str, Kind] = {}


class UnknownKind(KeyError):
    pass


def register(kind: Kind) -> Kind:
    if kind.code in _KINDS and _KINDS[kind.code] is not kind:
        raise ValueError(f"request kind {kind.code} is registered twice")
    _KINDS[kind.code] = kind
    return kind


def get(code: str) -> Kind:
    try:
        return _KINDS[code]
    except KeyError:
        raise UnknownKind(code) from None


def all_kinds() -> list[Kind]:
    return list(_KINDS.values())
