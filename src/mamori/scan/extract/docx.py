"""Word (.docx/.docm): body with tables, headers, footers, comments, footnotes, endnotes,
document properties; embedded Office files become children."""

from __future__ import annotations

from mamori.scan.extract.base import Context
from mamori.scan.extract.ooxml import WORD, Package, numbered, part_text
from mamori.scan.types import Extraction, Part

_SECTIONS = (
    ("ヘッダー", r"word/header\d*\.xml"),
    ("フッター", r"word/footer\d*\.xml"),
    ("コメント", r"word/comments\.xml"),
    ("脚注", r"word/footnotes\.xml"),
    ("文末脚注", r"word/endnotes\.xml"),
)


def extract_docx(name: str, data: bytes, ctx: Context) -> Extraction:
    package = Package(data, ctx)
    body = package.main_part("word/document.xml")
    parts = [Part("本文", part_text(package, body, WORD))] if package.has(body) else []
    for label, pattern in _SECTIONS:
        for where, member in numbered(label, package.names(pattern)):
            parts.append(Part(where, part_text(package, member, WORD)))
    parts.extend(package.properties())
    return Extraction(parts=parts, children=package.embedded(r"word/embeddings/.+"))
