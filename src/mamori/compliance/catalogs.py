"""The effective regulation catalogs: the committed catalog of each rulebook
(mamori.rules.requirements.load_all) merged with the administrator's latest applied import
of the official catalog (CatalogImport, see requirements_import.merge).

Other modules (self-assessment, audits, exceptions) call `effective_catalog(rulebook)` and
`effective_catalogs()`; each call costs at most one small query (the id of the latest
applied import), and the merged catalog is cached per process by that id, so a new import
is seen by every process at its next call.
"""

from __future__ import annotations

import threading
from dataclasses import asdict
from typing import Any

from mamori.rules.requirements import FILES, Catalog, Requirement, load_all
from mamori.rules.requirements_import import ImportResult, MergeResult, merge

_TUPLE_FIELDS = ("roles", "org_kinds", "rules")
_cache: dict[str, tuple[int, Catalog]] = {}
_lock = threading.Lock()


def entry_to_json(entry: Requirement) -> dict[str, Any]:
    """A Requirement as JSON-ready data (stored in CatalogImport.entries)."""
    data = asdict(entry)
    for name in _TUPLE_FIELDS:
        data[name] = list(data[name])
    return data


def entry_from_json(data: dict[str, Any]) -> Requirement:
    values = dict(data)
    for name in _TUPLE_FIELDS:
        values[name] = tuple(values.get(name) or ())
    return Requirement(**values)


def merged(catalog: Catalog, rulebook: str, entries: list[dict[str, Any]]) -> MergeResult:
    """The committed catalog with a stored import's entries applied."""
    result = ImportResult(rulebook, tuple(entry_from_json(e) for e in entries), ())
    return merge(catalog, result)


def _latest_applied() -> dict[str, int]:
    """rulebook → id of its latest applied import (one query)."""
    from mamori.compliance.models import CatalogImport, ImportState

    latest: dict[str, int] = {}
    rows = (
        CatalogImport.objects.filter(state=ImportState.APPLIED)
        .order_by("rulebook", "-imported_at", "-id")
        .values_list("rulebook", "id")
    )
    for rulebook, pk in rows:
        latest.setdefault(rulebook, pk)
    return latest


def _build(rulebook: str, import_id: int | None) -> Catalog:
    committed = load_all()[rulebook]
    if import_id is None:
        return committed
    with _lock:
        hit = _cache.get(rulebook)
        if hit and hit[0] == import_id:
            return hit[1]
    from mamori.compliance.models import CatalogImport

    entries = CatalogImport.objects.values_list("entries", flat=True).get(pk=import_id)
    catalog = merged(committed, rulebook, entries).catalog
    with _lock:
        _cache[rulebook] = (import_id, catalog)
    return catalog


def effective_catalog(rulebook: str) -> Catalog:
    """The catalog of one rulebook (toitsu, mod, mic_pii) as the agency uses it."""
    if rulebook not in FILES:
        raise KeyError(f"unknown rulebook {rulebook!r}")
    return _build(rulebook, _latest_applied().get(rulebook))


def effective_catalogs() -> dict[str, Catalog]:
    """Every rulebook's effective catalog (one query in all)."""
    latest = _latest_applied()
    return {code: _build(code, latest.get(code)) for code in FILES}


def clear_cache() -> None:
    with _lock:
        _cache.clear()
