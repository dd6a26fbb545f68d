"""What .docx, .xlsx and .pptx share: a zip of XML parts, relationships between them,
document properties, and paragraphs of text runs (WordprocessingML and DrawingML differ
only in their tag names).

The XML is read straight from the zip with ElementTree's iterparse, which is faster than
the document libraries and sees what they hide (headers, comments, hidden sheets,
properties). Every read goes through `zipsafe`, so an OOXML file is held to the same
size and ratio limits as any zip.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from defusedxml.ElementTree import iterparse as safe_iterparse

from mamori.scan.extract.base import Context
from mamori.scan.extract.zipsafe import (
    MemberStream,
    member_child,
    open_zip,
    read_member,
    refuse_dtd,
)
from mamori.scan.types import Child, Part, Unscannable

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"

# Core and app properties worth reading, by local tag name, in the order shown.
_PROPERTIES = (
    "title",
    "subject",
    "creator",
    "keywords",
    "description",
    "lastModifiedBy",
    "category",
    "contentStatus",
    "Manager",
    "Company",
)
_OFFICE_SUFFIXES = (".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".pptm")


def local(tag: str) -> str:
    return tag.rpartition("}")[2]


class Package:
    """An OOXML zip: parts by name, read within the limits of `ctx`."""

    def __init__(self, data: bytes, ctx: Context) -> None:
        self.ctx = ctx
        self.zip: zipfile.ZipFile = open_zip(data)
        self.infos = {info.filename: info for info in self.zip.infolist()}

    def has(self, name: str) -> bool:
        return name in self.infos

    def names(self, pattern: str) -> list[str]:
        """Part names fully matching `pattern`, in natural order (header2 before header10)."""
        regex = re.compile(pattern)
        found = [name for name in self.infos if regex.fullmatch(name)]
        return sorted(found, key=_natural_key)

    def stream(self, name: str) -> IO[bytes]:
        self.ctx.check_time()
        return MemberStream(self.zip, self.infos[name], self.ctx)  # type: ignore[return-value]

    def xml(self, name: str) -> ET.Element:
        """A small part parsed whole (relationships, workbook, properties)."""
        self.ctx.check_time()
        try:
            data = read_member(self.zip, self.infos[name], self.ctx)
            refuse_dtd(data[:65536])
            return safe_fromstring(data, forbid_dtd=True)
        except (ET.ParseError, DefusedXmlException) as exc:
            raise Unscannable("corrupt", f"{name} が壊れています: {exc}") from exc

    def relationships(self, part: str) -> list[tuple[str, str, str]]:
        """(id, type, target part name) of the part named `part` ("" = the package)."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if rels_name not in self.infos:
            return []
        found = []
        for rel in self.xml(rels_name).iter(_REL):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            if target.startswith("/"):
                resolved = target.lstrip("/")
            else:
                resolved = posixpath.normpath(posixpath.join(folder, target))
            found.append((rel.get("Id", ""), rel.get("Type", ""), resolved))
        return found

    def rels(self, part: str) -> dict[str, str]:
        """Relationship id → target part name."""
        return {rel_id: target for rel_id, _, target in self.relationships(part)}

    def typed_rels(self, part: str) -> list[tuple[str, str]]:
        """(relationship type, target part name)."""
        return [(rel_type, target) for _, rel_type, target in self.relationships(part)]

    def main_part(self, default: str) -> str:
        for _, rel_type, target in self.relationships(""):
            if rel_type.endswith("/officeDocument") and target in self.infos:
                return target
        return default

    def embedded(self, pattern: str) -> list[Child]:
        """Office files embedded in the document (an Excel table pasted into Word …),
        scanned as files of their own. OLE blobs (.bin) cannot be read and are left out."""
        return [
            member_child(self.zip, self.infos[name], name, self.ctx)
            for name in self.names(pattern)
            if name.lower().endswith(_OFFICE_SUFFIXES)
        ]

    def properties(self) -> list[Part]:
        """Title, subject, author, keywords … and custom properties, one part each."""
        values: dict[str, str] = {}
        for name in ("docProps/core.xml", "docProps/app.xml"):
            if self.has(name):
                for element in self.xml(name):
                    key = local(element.tag)
                    if key in _PROPERTIES and element.text and element.text.strip():
                        values[key] = element.text.strip()
        parts = [Part(f"プロパティ: {key}", values[key]) for key in _PROPERTIES if key in values]
        if self.has("docProps/custom.xml"):
            for prop in self.xml("docProps/custom.xml").iter(f"{_CUSTOM}property"):
                text = "".join(prop.itertext()).strip()
                if text:
                    parts.append(Part(f"プロパティ: {prop.get('name', '')}", text))
        return parts


def _natural_key(name: str) -> list[object]:
    return [int(piece) if piece.isdigit() else piece for piece in re.split(r"(\d+)", name)]


@dataclass(frozen=True)
class Markup:
    """The tag names of one XML vocabulary's paragraphs, runs and tables."""

    paragraph: str
    texts: frozenset[str]
    tab: str
    breaks: frozenset[str]
    row: str
    cell: str


WORD = Markup(
    paragraph=f"{W}p",
    texts=frozenset({f"{W}t", f"{W}delText"}),  # deleted text is still in the file
    tab=f"{W}tab",
    breaks=frozenset({f"{W}br", f"{W}cr"}),
    row=f"{W}tr",
    cell=f"{W}tc",
)
DRAWING = Markup(
    paragraph=f"{A}p",
    texts=frozenset({f"{A}t"}),
    tab=f"{A}tab",
    breaks=frozenset({f"{A}br"}),
    row=f"{A}tr",
    cell=f"{A}tc",
)
_FALLBACK = f"{MC}Fallback"  # a second copy of text boxes for old readers


def lines(stream: IO[bytes], markup: Markup) -> Iterator[str]:
    """The text of an XML part as lines: one per paragraph outside tables, one per table
    row inside them (cells joined by a tab, a cell's paragraphs by a space)."""
    paragraphs: list[list[str]] = []  # the open paragraphs (text boxes nest them)
    cells: list[list[str]] = []  # the open cells, each a list of its paragraphs
    rows: list[list[str]] = []  # the open rows, each a list of its cells
    skipping = 0
    try:
        # S314: MemberStream refuses DTDs before the parser sees them.
        for event, element in safe_iterparse(stream, events=("start", "end"), forbid_dtd=True):
            tag = element.tag
            if event == "start":
                if tag == _FALLBACK:
                    skipping += 1
                elif skipping:
                    pass
                elif tag == markup.paragraph:
                    paragraphs.append([])
                elif tag == markup.cell:
                    cells.append([])
                elif tag == markup.row:
                    rows.append([])
                continue
            if tag == _FALLBACK:
                skipping -= 1
                element.clear()
                continue
            if skipping:
                continue
            if tag in markup.texts:
                if paragraphs and element.text:
                    paragraphs[-1].append(element.text)
            elif tag == markup.tab:
                if paragraphs:
                    paragraphs[-1].append("\t")
            elif tag in markup.breaks:
                if paragraphs:
                    paragraphs[-1].append("\n")
            elif tag == markup.paragraph:
                text = "".join(paragraphs.pop())
                if cells:
                    cells[-1].append(text.replace("\n", " "))
                else:
                    yield text
                element.clear()
            elif tag == markup.cell:
                cell = " ".join(text for text in cells.pop() if text)
                if rows:
                    rows[-1].append(cell.replace("\t", " "))
                else:
                    yield cell
                element.clear()
            elif tag == markup.row:
                row = "\t".join(rows.pop())
                if cells:
                    cells[-1].append(row)
                else:
                    yield row
                element.clear()
    except (ET.ParseError, DefusedXmlException) as exc:
        raise Unscannable("corrupt", f"XML が壊れています: {exc}") from exc


def part_text(package: Package, name: str, markup: Markup) -> str:
    return "\n".join(lines(package.stream(name), markup))


def numbered(label: str, names: Iterable[str]) -> list[tuple[str, str]]:
    """("ヘッダー", [a]) → [("ヘッダー", a)]; with several names, "ヘッダー 1", "ヘッダー 2" …"""
    names = list(names)
    if len(names) == 1:
        return [(label, names[0])]
    return [(f"{label} {index}", name) for index, name in enumerate(names, 1)]
