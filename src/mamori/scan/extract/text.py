"""Plain text (.txt .csv .tsv .md …) and the encoding guess every extractor shares.

Japanese files come in UTF-8, CP932 (Shift_JIS as Windows writes it), EUC-JP and, in
mail, ISO-2022-JP. The common case, UTF-8, costs one strict decode in C; only bytes that
are not UTF-8 pay for trying the Japanese legacy encodings.
"""

from __future__ import annotations

import codecs
import re

from mamori.scan.extract.base import Context
from mamori.scan.types import Extraction, Part

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# ESC $ @, ESC $ B (JIS X 0208), ESC $ ( D (JIS X 0212): ISO-2022-JP switching to kanji.
_ISO2022_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b$(D")
# Hiragana, full-width katakana and CJK ideographs. Half-width katakana are left out on
# purpose: EUC-JP bytes read as CP932 turn into runs of them.
_JAPANESE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff]")
_SAMPLE = 256 * 1024  # characters looked at when two encodings both decode cleanly


def decode_text(data: bytes) -> str:
    """The text of `data` in its most likely encoding; never raises."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    # ISO-2022-JP is 7-bit and so also valid UTF-8: look for its escapes first.
    if b"\x1b" in data and any(escape in data for escape in _ISO2022_ESCAPES):
        try:
            return data.decode("iso2022_jp_ext")
        except UnicodeDecodeError:
            return decode_windows_iso2022jp(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error_at = exc.start
    decoded: list[str] = []
    furthest = ("utf-8", utf8_error_at)
    for codec in ("cp932", "euc_jp"):
        try:
            decoded.append(data.decode(codec))
        except UnicodeDecodeError as exc:
            if exc.start > furthest[1]:
                furthest = (codec, exc.start)
    if len(decoded) == 1:
        return decoded[0]
    if decoded:
        return max(decoded, key=lambda text: len(_JAPANESE.findall(text, 0, _SAMPLE)))
    # Nothing decodes cleanly: keep the encoding that got furthest and mark the rest.
    return data.decode(furthest[0], errors="replace")


_ISO2022_SWITCH = re.compile(rb"\x1b(\$@|\$B|\$\(D|\(B|\(J|\(I)")
_JIS_PAIRS: dict[bytes, str] = {}


def _jis_pairs() -> dict[bytes, str]:
    """JIS X 0208 code pair → character, as Windows maps it (CP932): with NEC row 13
    (①, ㈱, №) and the NEC-selected IBM extensions (髙, 﨑), which Outlook sends in
    "ISO-2022-JP" mail and Python's strict codecs reject."""
    if not _JIS_PAIRS:
        for first in range(0x21, 0x7F):
            for second in range(0x21, 0x7F):
                lead = ((first + 1) >> 1) + (0x70 if first <= 0x5E else 0xB0)
                trail = second + (0x1F if first & 1 else 0x7E)
                if first & 1 and trail >= 0x7F:
                    trail += 1
                try:
                    _JIS_PAIRS[bytes((first, second))] = bytes((lead, trail)).decode("cp932")
                except UnicodeDecodeError:
                    continue
    return _JIS_PAIRS


def decode_windows_iso2022jp(data: bytes) -> str:
    """ISO-2022-JP as Windows writes it (CP50220/CP50221); unknown codes are replaced."""
    pieces = []
    mode = b"(B"
    position = 0
    for switch in [*_ISO2022_SWITCH.finditer(data), None]:
        end = switch.start() if switch else len(data)
        segment = data[position:end]
        if mode in (b"$@", b"$B"):
            pairs = _jis_pairs()
            pieces.append(
                "".join(
                    pairs.get(segment[i : i + 2], "\ufffd") for i in range(0, len(segment) - 1, 2)
                )
            )
        elif mode == b"(I":  # half-width katakana
            pieces.append(bytes(byte | 0x80 for byte in segment).decode("cp932", errors="replace"))
        else:
            pieces.append(segment.decode("ascii", errors="replace"))
        if switch:
            mode, position = switch.group(1), switch.end()
    return "".join(pieces)


def looks_like_text(data: bytes) -> bool:
    """Whether bytes of an unknown kind are worth reading as text: no NUL bytes and
    few control characters near the start (binary formats have plenty of both)."""
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    controls = sum(
        head.count(bytes([code])) for code in range(32) if code not in (9, 10, 12, 13, 27)
    )
    return controls <= len(head) // 100


def extract_text(name: str, data: bytes, ctx: Context) -> Extraction:
    return Extraction(parts=[Part("本文", decode_text(data))])
