"""The catalog clauses an exception may name: the organisation's own effective catalog
when the catalogs module provides one (an imported official catalog), else the
committed catalogs (mamori.rules.requirements)."""

from __future__ import annotations

from mamori.rules import requirements


def catalog(rulebook: str):
    """The catalog in force for `rulebook`, or None when there is none."""
    try:
        from mamori.compliance.catalogs import effective_catalog
    except ImportError:
        effective_catalog = None
    if effective_catalog is not None:
        found = effective_catalog(rulebook)
        if found is not None:
            return found
    return requirements.load_all().get(rulebook)


def clause(rulebook: str, clause_id: str):
    """The requirement `clause_id` of `rulebook` when it exists and has text of its own
    (an abbreviated （略） clause cannot be the subject of an exception); else None."""
    found = catalog(rulebook)
    if found is None or clause_id not in found:
        return None
    entry = found.get(clause_id)
    if not entry.text or entry.abbreviated:
        return None
    return entry


def choices(rulebooks) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped <select> choices "rulebook:id" for the clauses with text, per rulebook."""
    grouped = []
    for code in rulebooks:
        found = catalog(code)
        if found is None:
            continue
        options = [
            (f"{code}:{entry.id}", f"{entry.id} {_short(entry.text)}")
            for entry in found.entries
            if entry.text and not entry.abbreviated
        ]
        if options:
            grouped.append((found.title, options))
    return grouped


def _short(text: str, limit: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
