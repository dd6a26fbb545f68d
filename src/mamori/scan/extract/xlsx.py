"""Excel (.xlsx/.xlsm): every sheet, hidden ones too, one part per sheet with one line
per row (line N is row N) and cells joined by a tab; sheet names, print headers and
footers, cell comments and document properties."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse as safe_iterparse

from mamori.scan.extract.base import Context
from mamori.scan.extract.ooxml import Package, R, S
from mamori.scan.types import Extraction, Part, Unscannable

_CELL = f"{S}c"
_ROW = f"{S}row"
_VALUE = f"{S}v"
_INLINE = f"{S}is"
_TEXT = f"{S}t"
_PHONETIC = f"{S}rPh"  # furigana runs: a reading of the text, not the text
_HEADERS = frozenset(
    f"{S}{tag}"
    for tag in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")
)
# Header/footer codes: &L &C &R sections, &P page, &"font,style", &12 size, && a literal &.
_HEADER_CODES = re.compile(r'&(?:"[^"]*"|\d+|[A-Za-z])')


def string_text(element: ET.Element) -> str:
    """The text of a shared or inline string: its runs, without the furigana."""
    pieces = []
    for child in element:
        if child.tag == _TEXT:
            pieces.append(child.text or "")
        elif child.tag == f"{S}r":
            pieces.extend(t.text or "" for t in child.iter(_TEXT))
    return "".join(pieces)


def shared_strings(package: Package, name: str) -> list[str]:
    if not package.has(name):
        return []
    strings = []
    try:
        for _, element in safe_iterparse(package.stream(name), forbid_dtd=True):
            if element.tag == f"{S}si":
                strings.append(string_text(element))
                element.clear()
    except (ET.ParseError, DefusedXmlException) as exc:
        raise Unscannable("corrupt", f"{name} が壊れています: {exc}") from exc
    return strings


def _cell_value(cell: ET.Element, strings: list[str]) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(_INLINE)
        return string_text(inline) if inline is not None else ""
    value = cell.findtext(_VALUE) or ""
    if kind == "s":
        try:
            return strings[int(value)]
        except (ValueError, IndexError):
            return ""
    if kind == "b":
        return "TRUE" if value == "1" else "FALSE"
    return value


def sheet_text(package: Package, name: str, strings: list[str]) -> tuple[str, list[str]]:
    """The sheet as text, line N = row N, and its print header/footer texts."""
    rows: list[str] = []
    cells: list[str] = []
    headers: list[str] = []
    try:
        for _, element in safe_iterparse(package.stream(name), forbid_dtd=True):
            tag = element.tag
            if tag == _CELL:
                cells.append(_cell_value(element, strings))
                element.clear()
            elif tag == _ROW:
                number = int(element.get("r") or len(rows) + 1)
                if number > len(rows) + 1:
                    rows.extend([""] * (number - len(rows) - 1))
                rows.append("\t".join(cells).rstrip("\t"))
                cells = []
                element.clear()
            elif tag in _HEADERS and element.text:
                headers.append(_HEADER_CODES.sub(" ", element.text.replace("&&", "＆")).strip())
    except (ET.ParseError, DefusedXmlException) as exc:
        raise Unscannable("corrupt", f"{name} が壊れています: {exc}") from exc
    return "\n".join(rows), headers


def comments_text(package: Package, name: str) -> str:
    lines = []
    for comment in package.xml(name).iter(f"{S}comment"):
        text = comment.find(f"{S}text")
        body = string_text(text) if text is not None else ""
        lines.append(f"{comment.get('ref', '')}: {body}".replace("\n", " "))
    return "\n".join(lines)


def extract_xlsx(name: str, data: bytes, ctx: Context) -> Extraction:
    package = Package(data, ctx)
    workbook = package.main_part("xl/workbook.xml")
    targets = package.rels(workbook)
    strings: list[str] = []
    for rel_target in targets.values():
        if rel_target.endswith("sharedStrings.xml"):
            strings = shared_strings(package, rel_target)
    sheets = [
        (
            sheet.get("name", ""),
            sheet.get("state", "visible"),
            targets.get(sheet.get(f"{R}id", ""), ""),
        )
        for sheet in package.xml(workbook).iter(f"{S}sheet")
    ]
    parts = [Part("シート名", "\n".join(sheet_name for sheet_name, _, _ in sheets))]
    for sheet_name, state, target in sheets:
        if not package.has(target):
            continue
        where = sheet_name if state == "visible" else f"{sheet_name} (非表示)"
        text, headers = sheet_text(package, target, strings)
        parts.append(Part(where, text))
        if headers:
            parts.append(Part(f"{where} ヘッダー/フッター", "\n".join(headers)))
        for rel_type, related in package.typed_rels(target):
            if rel_type.endswith("/comments") and package.has(related):
                parts.append(Part(f"{where} コメント", comments_text(package, related)))
    parts.extend(package.properties())
    return Extraction(parts=parts, children=package.embedded(r"xl/embeddings/.+"))
