"""NFKC normalisation of the characters detectors read, with a map from normalised
offsets back to the original text.

Full NFKC of a whole document costs more than all the detectors together (it walks
every character through Python's Unicode tables), and almost everything it changes in
Japanese office text does not matter to a detector. So only runs of the characters
that do matter are normalised, each with `unicodedata.normalize("NFKC", …)`:
full-width digits, letters and 「＋，－．／＠＿」, half-width katakana (with their voiced
marks: 「ｶﾞ」 becomes 「ガ」), circled and parenthesised numbers (「①」), squared and
parenthesised CJK forms (「㈱」「㍻」) and Roman numerals. Dashes that office software
puts into numbers (「‐」「−」「―」) become 「-」. The ideographic space and the full-width
「（）：」 stay as they are and the patterns accept both forms.

Most runs keep their length (full-width digits), so the offsets stay the same; only a
run that changes length («㈱» → «(株)», «ｶﾞ» → «ガ») adds a segment to the offset map.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache

_RANGES = (
    (0xFF0B, 0xFF0F),
    (0xFF10, 0xFF19),
    (0xFF20, 0xFF3A),
    (0xFF3F, 0xFF3F),
    (0xFF41, 0xFF5A),
    (0xFF61, 0xFF9F),
    (0x2460, 0x24FF),
    (0x3220, 0x33FF),
    (0x2160, 0x217F),
    (0x2010, 0x2015),
    (0x2212, 0x2212),
)
# Listed character by character: the regex engine then tests membership with a bitmap,
# twice as fast as a list of ranges.
_RUN = re.compile(
    "[" + re.escape("".join(chr(c) for lo, hi in _RANGES for c in range(lo, hi + 1))) + "]+"
)
_DASH = re.compile("[\u2010-\u2015\u2212]")
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})


@lru_cache(maxsize=8192)
def _norm(run: str) -> str:
    return unicodedata.normalize("NFKC", run).translate(_DASHES)


@lru_cache(maxsize=4096)
def _starts_combining(ch: str) -> bool:
    norm = unicodedata.normalize("NFKC", ch)
    return bool(norm) and unicodedata.combining(norm[0]) != 0


class Normalized:
    """`text` is the normalised form; `start()`/`end()` map its offsets to the original."""

    __slots__ = ("text", "_n_starts", "_segments")

    def __init__(self, text: str, segments: list[tuple[int, int, int, int]] | None) -> None:
        self.text = text
        # (normalised start, original start, normalised length, original length), in
        # order; None when the offsets are the same in both texts.
        self._segments = segments
        self._n_starts = [s[0] for s in segments] if segments else []

    @property
    def identity(self) -> bool:
        return self._segments is None

    def start(self, n: int) -> int:
        if self._segments is None:
            return n
        i = bisect_right(self._n_starts, n) - 1
        if i < 0:
            return n
        ns, os_, nl, ol = self._segments[i]
        if n >= ns + nl:  # past this segment: in the unchanged stretch after it
            return os_ + ol + (n - ns - nl)
        return os_  # inside a piece that changed length: its start

    def end(self, n: int) -> int:
        if self._segments is None:
            return n
        i = bisect_left(self._n_starts, n) - 1
        if i < 0:
            return n
        ns, os_, nl, ol = self._segments[i]
        if n >= ns + nl:
            return os_ + ol + (n - ns - nl)
        return os_ + ol


def normalize(text: str) -> Normalized:
    # Fast, and common for plain text (the dashes are NFKC-stable, so look for them too).
    if unicodedata.is_normalized("NFKC", text) and not _DASH.search(text):
        return Normalized(text, None)
    out: list[str] = []
    segments: list[tuple[int, int, int, int]] = []
    o_pos = 0  # next unread original offset
    n_pos = 0  # length of the normalised text so far
    for m in _RUN.finditer(text):
        a, b = m.span()
        run = m.group()
        piece = _norm(run)
        if a > o_pos:
            out.append(text[o_pos:a])
            n_pos += a - o_pos
        if len(piece) == b - a:
            out.append(piece)
            n_pos += b - a
        else:
            n_pos = _map_run(text, a, b, out, segments, n_pos)
        o_pos = b
    if o_pos == 0:
        return Normalized(text, None)
    out.append(text[o_pos:])
    return Normalized("".join(out), segments or None)


def _map_run(
    text: str, a: int, b: int, out: list[str], segments: list[tuple[int, int, int, int]], n_pos: int
) -> int:
    """Normalise a run that changes length character by character, grouping each
    character with the voiced marks after it, so every other character keeps its own
    offset and 「ｶﾞ」 maps as one unit."""
    groups: list[list[int]] = []
    for i in range(a, b):
        if groups and _starts_combining(text[i]):
            groups[-1][1] = i + 1
        else:
            groups.append([i, i + 1])
    for ga, gb in groups:
        piece = _norm(text[ga:gb])
        out.append(piece)
        if len(piece) != gb - ga:
            segments.append((n_pos, ga, len(piece), gb - ga))
        n_pos += len(piece)
    return n_pos
