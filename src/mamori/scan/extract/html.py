"""HTML: the text a reader sees, plus the title and the description/keywords meta tags.

Script and style are dropped. Newlines are padded so that line N of the extracted text
is line N of the source, which is what an author opening the file will look for.
"""

from __future__ import annotations

from html.parser import HTMLParser

from mamori.scan.extract.base import Context
from mamori.scan.extract.text import decode_text
from mamori.scan.types import Extraction, Part

_HIDDEN = frozenset({"script", "style", "template", "noscript"})
# Tags that separate words on screen; inline tags (b, span, a …) do not.
_BREAKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption footer form h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol option p pre section table tbody td tfoot th thead "
    "title tr ul".split()
)
_META_NAMES = frozenset({"description", "keywords", "author", "subject", "classification"})


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.line = 1  # the source line the end of `chunks` is on
        self.hidden = 0  # depth inside script/style
        self.meta: list[str] = []

    def _sync_line(self) -> None:
        source_line = self.getpos()[0]
        if source_line > self.line:
            self.chunks.append("\n" * (source_line - self.line))
            self.line = source_line

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "meta":
            values = dict(attrs)
            if (values.get("name") or "").lower() in _META_NAMES and values.get("content"):
                self.meta.append(f"{values['name']}: {values['content']}")
        elif tag in _BREAKS:
            self.chunks.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BREAKS:
            self.chunks.append(" ")

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        self._sync_line()
        self.chunks.append(data)
        self.line += data.count("\n")


_FEED = 1024 * 1024  # characters per feed: the clock is checked between them


def html_to_text(source: str, ctx: Context | None = None) -> tuple[str, list[str]]:
    """The visible text of an HTML document, line-aligned with the source, and its
    description/keywords meta values."""
    collector = _TextCollector()
    for start in range(0, len(source), _FEED):
        if ctx is not None:
            ctx.check_time()
        collector.feed(source[start : start + _FEED])
    collector.close()
    return "".join(collector.chunks), collector.meta


def extract_html(name: str, data: bytes, ctx: Context) -> Extraction:
    text, meta = html_to_text(decode_text(data), ctx)
    parts = [Part("本文", text)]
    if meta:
        parts.append(Part("メタ情報", "\n".join(meta)))
    return Extraction(parts=parts)
