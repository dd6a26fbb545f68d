"""Turning a file's bytes into text parts and child files.

`extract(name, data, ctx)` decides the kind by the bytes first (a .docx renamed .bin is
still a Word file; a .zip holding word/document.xml is a Word file) and by the name
second, then hands the bytes to the extractor of that family. The file's name is always
the first part: markings often live in file names.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable

from mamori.scan.extract.base import Budget, Context
from mamori.scan.extract.text import looks_like_text
from mamori.scan.types import Extraction, Part, Unscannable

__all__ = ["Budget", "Context", "extract", "sniff"]

Extractor = Callable[[str, bytes, Context], Extraction]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")
_BINARY_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"\x1f\x8b",  # gzip
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!",
    b"BZh",
    b"\xfd7zXZ",
    b"MZ",  # Windows executables
    b"\x7fELF",
    b"RIFF",
    b"OggS",
    b"ID3",
    b"\x00\x00\x00",  # MP4/QuickTime boxes, UTF-32 without BOM, …
)
_TEXT_SUFFIXES = frozenset(
    ".txt .text .csv .tsv .md .markdown .log .json .xml .yaml .yml .ini .cfg .rst .tex".split()
)
_ZIP_SUFFIXES = frozenset(".docx .xlsx .pptx .docm .xlsm .pptm .zip".split())
_MAIL_HEADER = re.compile(
    rb"^(?:Return-Path|Received|From|To|Subject|Date|Message-ID|MIME-Version|Delivered-To|"
    rb"X-[A-Za-z-]+):",
    re.IGNORECASE | re.MULTILINE,
)


def _looks_like_mail(suffix: str, head: bytes) -> bool:
    """Starts with a mail header and has at least one more (a memo opening "To: 各位"
    is still a memo)."""
    if suffix in _TEXT_SUFFIXES or not _MAIL_HEADER.match(head):
        return False
    return len(_MAIL_HEADER.findall(head)) >= 2


def _zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        EOFError,
        OSError,
        NotImplementedError,
    ):
        return "zip"  # the zip extractor reports it as corrupt
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return "zip"


def sniff(name: str, data: bytes) -> str:
    """The kind of file: docx, xlsx, pptx, zip, pdf, eml, html, text, encrypted_office
    or binary."""
    suffix = posixpath.splitext(name.replace("\\", "/"))[1].lower()
    head = data[:1024]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    # PDF readers accept a header anywhere in the first KB; a .txt quoting one is text.
    if head.startswith(b"%PDF-") or (b"%PDF-" in head and suffix not in _TEXT_SUFFIXES):
        return "pdf"
    if head.startswith(_OLE):
        # The stream directory can sit anywhere in the file; a C search of it all is cheap.
        return "encrypted_office" if _ENCRYPTED_OOXML in data else "binary"
    if suffix in _ZIP_SUFFIXES and zipfile.is_zipfile(io.BytesIO(data)):
        return _zip_kind(data)  # a zip with something before its first member
    if suffix in (".eml", ".mht", ".mhtml") or _looks_like_mail(suffix, head):
        return "eml"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if suffix in (".html", ".htm", ".xhtml") or stripped.startswith((b"<!doctype html", b"<html")):
        return "html"
    if head.startswith(_BINARY_MAGIC) and not looks_like_text(data):
        return "binary"
    if suffix == ".pdf" or suffix in _ZIP_SUFFIXES:
        return "corrupt"  # named as a binary format but without its signature
    return "text" if looks_like_text(data) else "binary"


def _extractor(kind: str) -> Extractor:
    # Imported on demand: a plain-text scan never loads PDFium or the e-mail package.
    if kind == "text":
        from mamori.scan.extract.text import extract_text

        return extract_text
    if kind == "html":
        from mamori.scan.extract.html import extract_html

        return extract_html
    if kind == "eml":
        from mamori.scan.extract.mail import extract_eml

        return extract_eml
    if kind == "docx":
        from mamori.scan.extract.docx import extract_docx

        return extract_docx
    if kind == "xlsx":
        from mamori.scan.extract.xlsx import extract_xlsx

        return extract_xlsx
    if kind == "pptx":
        from mamori.scan.extract.pptx import extract_pptx

        return extract_pptx
    if kind == "pdf":
        from mamori.scan.extract.pdf import extract_pdf

        return extract_pdf
    if kind == "zip":
        from mamori.scan.extract.archive import extract_zip

        return extract_zip
    if kind == "encrypted_office":
        raise Unscannable("encrypted", "パスワードで暗号化された Office 文書です")
    if kind == "corrupt":
        raise Unscannable("corrupt", "拡張子の形式として読めません（ファイルが壊れています）")
    raise Unscannable("unsupported", "対応していない形式のファイルです")


def extract(name: str, data: bytes, ctx: Context) -> Extraction:
    """The file's text parts and children; raises Unscannable when it cannot be read.

    The "ファイル名" part is not included: the engine adds it, so that even a file that
    cannot be read has its name checked."""
    ctx.check_time()
    return _extractor(sniff(name, data))(name, data, ctx)


def name_part(name: str) -> Part:
    return Part("ファイル名", name)
