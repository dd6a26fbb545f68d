"""PDF through pypdfium2 (Apache/BSD licensed, unlike PyMuPDF): text per page
("ページ N") and the document information (title, author, subject, keywords)."""

from __future__ import annotations

import threading

from mamori.scan.extract.base import Context
from mamori.scan.types import Extraction, Part, Unscannable

# PDFium is not thread-safe; a web server scanning two uploads at once must take turns.
_PDFIUM = threading.Lock()
_METADATA = ("Title", "Author", "Subject", "Keywords")


def extract_pdf(name: str, data: bytes, ctx: Context) -> Extraction:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]
    import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

    parts = []
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
                raise Unscannable("encrypted", "パスワードで保護された PDF です") from exc
            raise Unscannable("corrupt", f"PDF として読めません: {exc}") from exc
        try:
            for number in range(1, len(document) + 1):
                ctx.check_time()
                page = document[number - 1]
                textpage = page.get_textpage()
                text = textpage.get_text_range()
                textpage.close()
                page.close()
                parts.append(
                    Part(f"ページ {number}", text.replace("\r\n", "\n").replace("\r", "\n"))
                )
            metadata = document.get_metadata_dict()
        finally:
            document.close()
    for key in _METADATA:
        value = (metadata.get(key) or "").strip()
        if value:
            parts.append(Part(f"プロパティ: {key.lower()}", value))
    return Extraction(parts=parts)
