"""Importing an administrator's full official catalog from YAML or Excel. Pure Python.

The seeds abbreviate many 統一基準 clauses （略）; an agency holds the full text.

Contract for callers: `parse_import` changes nothing and returns the entries it read and
every error, each located as 「file.yaml:12」 or 「シート名!行番号」. If `errors` is not empty,
`entries` is empty and the caller must change nothing: a file with one bad row is rejected
as a whole. Applying a clean import is `merge`, for that rulebook only: it replaces the text
of entries the seeds abbreviate (（略）), fills headings the seeds do not print, and adds
the entries the catalog lacks; entries with text of their own are never overwritten (a
different text is reported as a conflict, for a person to look at).

An import uses the catalog schema (requirements.check_entry); `kind` may be left out, it
follows from the id. Keep uploads small at the caller (settings' upload limit).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from mamori.rules.classification import ORG_KINDS
from mamori.rules.requirements import (
    FIELDS,
    RULEBOOKS,
    Catalog,
    Outline,
    Requirement,
    Where,
    check_entry,
    check_tree,
    field_lines,
    node_line,
)

MAX_IMPORT_ROWS = 20_000  # per sheet; the full 統一基準 has well under 2,000 clauses


@dataclass(frozen=True)
class ImportResult:
    rulebook: str
    entries: tuple[Requirement, ...]
    errors: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class MergeResult:
    catalog: Catalog
    filled: tuple[str, ...]  # abbreviated or untitled entries that got their text
    added: tuple[str, ...]
    conflicts: tuple[str, ...]  # the import's text differs from text we keep


def parse_import(
    data: bytes, filename: str, *, rulebook: str | None = None, catalog: Catalog | None = None
) -> ImportResult:
    """Read an official catalog (.yaml/.yml or .xlsx). Pure: returns entries and errors.
    If there is any error, entries is empty: the caller must change nothing.
    `catalog` (the current one) supplies the rulebook and the parents imported entries hang
    from; otherwise `rulebook` or the file must say which rulebook it is."""
    code = rulebook or (catalog.rulebook if catalog else None)
    suffix = Path(filename).suffix.lower()
    rows: list[tuple[Any, Where]]
    if suffix in (".yaml", ".yml"):
        code, rows, errors = _yaml_rows(data, filename, code)
    elif suffix == ".xlsx":
        rows, errors = _xlsx_rows(data, filename)
    else:
        return ImportResult(
            code or "", (), (f"{filename}: only .yaml, .yml and .xlsx can be imported",)
        )
    if code not in RULEBOOKS:
        return ImportResult(code or "", (), (*errors, f"{filename}: unknown rulebook {code!r}"))
    book = RULEBOOKS[code]
    defaults = catalog.org_kinds if catalog else tuple(ORG_KINDS)
    checked: list[Requirement] = []
    outline: list[Outline] = []
    for raw, where in rows:
        entry, problems, place = check_entry(
            raw, book, where, default_org_kinds=defaults, infer_kind=True
        )
        errors += problems
        outline += [place] if place else []
        checked += [entry] if entry else []
    errors += check_tree(outline, catalog)
    if not checked and not errors:
        errors.append(f"{filename}: no entries found")
    if errors:
        return ImportResult(code, (), tuple(errors))
    return ImportResult(code, tuple(checked), ())


def _yaml_rows(
    data: bytes, filename: str, code: str | None
) -> tuple[str | None, list[tuple[Any, Where]], list[str]]:
    name = Path(filename).name
    try:
        loader = yaml.SafeLoader(data.decode("utf-8"))
        try:
            root = loader.get_single_node()
            doc = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return code, [], [f"{name}: not valid UTF-8 YAML: {exc}"]
    # Either a catalog document (rulebook, entries) or a bare list of entries.
    node: yaml.Node | None = root
    if isinstance(doc, dict) and root is not None:
        stated = doc.get("rulebook")
        if code and stated and stated != code:
            return code, [], [f"{name}:1: this file is for {stated!r}, not {code!r}"]
        code = code or stated
        doc = doc.get("entries")
        node = next((v for k, v in root.value if k.value == "entries"), None)
    if not isinstance(doc, list) or not isinstance(node, yaml.SequenceNode):
        return code, [], [f"{name}:1: expected a list of entries"]
    rows: list[tuple[Any, Where]] = []
    for raw, item in zip(doc, node.value, strict=True):
        lines = field_lines(item)

        def where(
            field_name: str | None, _item: yaml.Node = item, _lines: dict[str, int] = lines
        ) -> str:
            return f"{name}:{_lines.get(field_name or '', node_line(_item))}"

        rows.append((raw, where))
    return code, rows, []


def _xlsx_rows(data: bytes, filename: str) -> tuple[list[tuple[Any, Where]], list[str]]:
    """Every sheet: a header row naming the columns (id, kind, title, text, roles,
    org_kinds, staff_facing, edition, abbreviated, rules, parent, source; any order), then
    one entry per row. Lists are written 「a, b」. Format the id column as text so that
    Excel does not read 3.10 as a number."""
    from io import BytesIO

    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        return [], [f"{filename}: not a readable .xlsx file ({type(exc).__name__})"]
    rows: list[tuple[Any, Where]] = []
    errors: list[str] = []
    try:
        for sheet in book.worksheets:
            cells = sheet.iter_rows(values_only=True)
            header = next(cells, None)
            if header is None:
                continue
            names = [str(c).strip().lower() if c is not None else "" for c in header]
            unknown = [n for n in names if n and n not in FIELDS]
            if unknown or "id" not in names:
                problem = f"unknown columns {unknown}" if unknown else "no id column"
                errors.append(f"{sheet.title}!1: {problem}")
                continue
            for number, row in enumerate(cells, start=2):
                if number > MAX_IMPORT_ROWS + 1:  # a small file may unpack to a huge sheet
                    errors.append(f"{sheet.title}!{number}: more than {MAX_IMPORT_ROWS} rows")
                    break
                raw = {
                    names[i]: value if isinstance(value, bool | str) else str(value)
                    for i, value in enumerate(row)
                    if i < len(names) and names[i] and value is not None and value != ""
                }
                if raw:
                    place = f"{sheet.title}!{number}"
                    rows.append((raw, _at(place)))
    finally:
        book.close()
    return rows, errors


def _at(place: str) -> Where:
    return lambda _field: place


def merge(catalog: Catalog, result: ImportResult) -> MergeResult:
    """Apply a clean import to a catalog of the same rulebook (see the module docstring)."""
    if not result.ok or result.rulebook != catalog.rulebook:
        raise ValueError("only a clean import for the same rulebook can be merged")
    incoming = {entry.id: entry for entry in result.entries}
    filled: list[str] = []
    conflicts: list[str] = []
    kept: list[Requirement] = []
    for entry in catalog.entries:
        new = incoming.pop(entry.id, None)
        updated = entry if new is None else _fill(entry, new)
        if new is not None and updated != entry:
            filled.append(entry.id)
        elif new is not None and new.text and not new.abbreviated and new.text != entry.text:
            conflicts.append(entry.id)
        kept.append(updated)
    # Tree order again: each entry after its parent, new ones after their existing siblings.
    children: dict[str | None, list[Requirement]] = {}
    for entry in [*kept, *incoming.values()]:
        children.setdefault(entry.parent, []).append(entry)
    ordered: list[Requirement] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        entry = stack.pop()
        ordered.append(entry)
        stack += reversed(children.get(entry.id, []))
    out = Catalog(catalog.rulebook, catalog.title, catalog.org_kinds, tuple(ordered))
    return MergeResult(out, tuple(filled), tuple(incoming), tuple(conflicts))


def _fill(entry: Requirement, new: Requirement) -> Requirement:
    """What the import may change in an existing entry: the text of an abbreviated or
    text-less one (with the addressees and kinds the import gives it) and a missing title."""
    if new.text and not new.abbreviated and (entry.abbreviated or not entry.text):
        entry = replace(
            entry,
            text=new.text,
            abbreviated=False,
            roles=new.roles,
            org_kinds=new.org_kinds,
            staff_facing=new.staff_facing,
            rules=entry.rules or new.rules,
            edition=new.edition or entry.edition,
        )
    if new.title and not entry.title:
        # a heading the seeds abbreviate (「5.2.3～5.2.5 （略）」) is given in full now
        heading_done = entry.abbreviated and not entry.text and not new.abbreviated
        entry = replace(entry, title=new.title, abbreviated=entry.abbreviated and not heading_done)
    return entry
