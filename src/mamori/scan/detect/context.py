"""What every detector shares for one text: the normalised text, offset and line
mapping back to the original, keyword positions (found once, lazily) and the findings."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from mamori.scan.detect import cues
from mamori.scan.detect.normalize import Normalized, normalize
from mamori.scan.types import PART_SEPARATOR, Finding

# How far before a value a cue word may stand (the rest of the same line also counts).
WINDOW = 40
# A cue earlier on the same line counts up to this far.
LINE_WINDOW = 80
# A cue right after the value, as in 「123456789018（個人番号）」.
AFTER = 12

_NEWLINE = re.compile("\n")
# A line longer than this is running text, not a table row (and is not sliced per value).
_MAX_ROW = 2000
# What may follow a cue word as part of the same label: 「旅券番号」「運転免許証番号」.
_LABEL_TAIL = re.compile(r"(?:証|カード)?(?:番号|No\.?)?")
_OTHER_LABEL = re.compile(r"[\u4e00-\u9fff]番号")
_BREAK = re.compile("[\n。]")
_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")


class Context:
    __slots__ = ("orig", "norm", "text", "_found", "_kw", "_blanks", "_headers", "_lines")

    def __init__(self, text: str) -> None:
        self.orig = text
        self.norm: Normalized = normalize(text)
        self.text = self.norm.text
        # (start, end, type, masked, confidence, label, level) in normalised offsets;
        # `finish()` turns them into findings.
        self._found: list[tuple[int, int, str, str, float, str | None, int | None]] = []
        self._kw: dict[str, tuple[list[int], list[int]]] = {}
        self._blanks: list[int] | None = None
        self._lines: list[int] | None = None  # offsets of the line breaks in `text`
        self._headers: dict[tuple[str, int, int, int], bool] = {}

    # --- output ---------------------------------------------------------------------

    def add(
        self,
        type_: str,
        n_start: int,
        n_end: int,
        masked: str,
        confidence: float,
        label: str | None = None,
        level: int | None = None,
    ) -> None:
        self._found.append((n_start, n_end, type_, masked, confidence, label, level))

    def finish(self) -> list[Finding]:
        """The findings, sorted by start, in offsets of the original text. Of two
        findings of one type over the same characters the first (the longer, at the
        same start) stays; one that spans PART_SEPARATOR is dropped (the patterns never
        produce one: this is the guard)."""
        found = self._found
        if not found:
            return []
        found.sort(key=lambda f: (f[0], -f[1]))
        text, norm = self.text, self.norm
        newlines = [m.start() for m in _NEWLINE.finditer(self.orig)]
        last_end: dict[str, int] = {}
        out: list[Finding] = []
        for n_start, n_end, type_, masked, confidence, label, level in found:
            if last_end.get(type_, -1) > n_start or PART_SEPARATOR in text[n_start:n_end]:
                continue
            last_end[type_] = n_end
            if norm.identity:
                start, end = n_start, n_end
            else:
                start, end = norm.start(n_start), norm.end(n_end)
            line = bisect_left(newlines, start) + 1
            out.append(Finding(type_, start, end, line, masked, confidence, label, level))
        return out

    # --- cue words ------------------------------------------------------------------

    def _positions(self, family: str) -> tuple[list[int], list[int]]:
        kw = self._kw
        if not kw:
            for fam in cues.PATTERNS:
                kw[fam] = ([], [])
            families = cues.WORD_FAMILIES
            for m in cues.ALL.finditer(self.text):
                for fam in families[m.group()]:
                    starts, ends = kw[fam]
                    starts.append(m.start())
                    ends.append(m.end())
        return kw[family]

    def line_bounds(self, pos: int) -> tuple[int, int]:
        """Start and end of the line holding `pos` (a bisection, so that very long
        lines cost nothing extra)."""
        lines = self._lines
        if lines is None:
            lines = self._lines = [m.start() for m in _NEWLINE.finditer(self.text)]
        i = bisect_left(lines, pos)
        return (lines[i - 1] + 1 if i else 0), (lines[i] if i < len(lines) else len(self.text))

    def cue_spans(self, cue: str) -> tuple[list[int], list[int]]:
        return self._positions(cue)

    def cue_in_table_line(self, cue: str) -> bool:
        """Some cue word of the family stands in a tab- or comma-separated line (a
        table header, most likely)."""
        text = self.text
        for s in self._positions(cue)[0]:
            ls, le = self.line_bounds(s)
            if le - ls > _MAX_ROW:
                continue
            line = text[ls:le]
            if "\t" in line or "," in line:
                return True
        return False

    def has_cue(self, cue: str) -> bool:
        return bool(self._positions(cue)[0])

    def near(self, cue: str, start: int, end: int, window: int = WINDOW) -> bool:
        """A cue word ends within `window` characters before `start` (or anywhere
        earlier on the same line), or starts within a few characters after `end` on the
        same line. A cue never counts across PART_SEPARATOR (a blank line)."""
        starts, ends = self._positions(cue)
        if not starts:
            return False
        text = self.text
        i = bisect_right(ends, start) - 1
        if i >= 0:
            kw_end = ends[i]
            if kw_end >= start - LINE_WINDOW:
                between = text[kw_end:start]
                # Same sentence (no 。 between), and the same line or close before it;
                # another label ending in 番号 between says the number is something else
                # (「個人番号の取扱いはない。管理番号…」「…個人番号、管理番号 …」).
                rest = between[_LABEL_TAIL.match(between).end() :]  # type: ignore[union-attr]
                if (
                    "。" not in between
                    and not _OTHER_LABEL.search(rest)
                    and (
                        "\n" not in between or (kw_end >= start - window and "\n\n" not in between)
                    )
                ):
                    return True
        j = bisect_left(starts, end)
        if j < len(starts) and starts[j] <= end + AFTER and not _BREAK.search(text, end, starts[j]):
            return True
        return False

    def last_cue_end(self, cue: str, start: int) -> int:
        """Where the nearest cue before `start` ends, or -1."""
        ends = self._positions(cue)[1]
        i = bisect_right(ends, start) - 1
        return ends[i] if i >= 0 else -1

    def in_column(self, cue: str, pos: int) -> bool:
        """`pos` is in a cell of a tab- or comma-separated row whose table's header
        (the nearest earlier line with a cue, with no blank line in between) has a cue
        in the same column."""
        starts, ends = self._positions(cue)
        if not starts:
            return False
        text = self.text
        ls, le = self.line_bounds(pos)
        if le - ls > _MAX_ROW:
            return False
        row = text[ls:le]
        delim = "\t" if "\t" in row else "," if "," in row else None
        if delim is None:
            return False
        col = text.count(delim, ls, pos)
        i = bisect_left(ends, ls) - 1
        if i < 0:
            return False
        hs, he = self.line_bounds(starts[i])
        key = (cue, hs, col, row.count(delim))
        known = self._headers.get(key)
        if known is not None:
            return known and self._no_blank_between(hs, ls)
        cells = text[hs:he].split(delim)
        # A header has as many cells as the row, and the cue's cell is a short title
        # (prose with commas in its amounts is no table).
        ok = (
            col < len(cells)
            and len(cells) == row.count(delim) + 1
            and len(cells[col]) <= 20
            and cues.PATTERNS[cue].search(cells[col]) is not None
        )
        self._headers[key] = ok
        return ok and self._no_blank_between(hs, ls)

    def _no_blank_between(self, a: int, b: int) -> bool:
        if self._blanks is None:
            self._blanks = [m.start() for m in _BLANK_LINE.finditer(self.text)]
        i = bisect_left(self._blanks, a)
        return i >= len(self._blanks) or self._blanks[i] >= b - 1

    def cue_or_column(self, cue: str, start: int, end: int) -> bool:
        return self.near(cue, start, end) or self.in_column(cue, start)
