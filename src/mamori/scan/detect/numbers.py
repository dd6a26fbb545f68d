"""Long numbers: My Number (個人番号), corporate number (法人番号) and driver's licence
number, which share one candidate pattern of 12 or 13 digits."""

from __future__ import annotations

import re

from mamori.scan.detect import cues
from mamori.scan.detect.checkdigits import is_valid_corporate_number, is_valid_my_number
from mamori.scan.detect.context import Context
from mamori.scan.detect.mask import mask_number

# 12 or 13 digits, optionally in groups split by one space or hyphen, with at most one
# line break somewhere inside (checked below: the pattern allows a break between any
# two digits, and PART_SEPARATOR, three line breaks, can never be inside a match).
# Not a piece of a longer number: no digit, and no digit-and-hyphen, on either side.
# (The look-behinds follow the first digit so the regex engine can skip to digits.)
_LONG = re.compile(
    r"[0-9](?<![0-9][0-9])(?<![0-9]-[0-9])(?:[ \u3000-]?\n?[0-9]){11,12}(?![0-9])(?!-[0-9])"
)
# Stretches that could hold such a number: a digit, then digits, spaces, hyphens and
# line breaks, ending in a digit, at least 12 characters long. One repeat of a character
# class is what the regex engine runs fastest, and in prose such stretches are rare; the
# exact pattern then runs only inside them (cut at the stretch's end, which is never a
# digit or a hyphen-and-digit, so the look-aheads see the same as on the whole text).
_STRETCH = re.compile(r"[0-9](?<![0-9][0-9])(?<![0-9]-[0-9])[0-9 \u3000\n-]{10,}[0-9]")
_SHAPE12 = re.compile(r"[0-9]{12}|[0-9]{4}([ \u3000-])[0-9]{4}\1[0-9]{4}")
_SHAPE13 = re.compile(r"[0-9]{13}|[0-9]([ \u3000-])[0-9]{4}\1[0-9]{4}\1[0-9]{4}")


def _shape_ok(raw: str, shape: re.Pattern[str]) -> bool:
    if "\n" not in raw:
        return shape.fullmatch(raw) is not None
    if raw.count("\n") > 1:
        return False
    if shape.fullmatch(raw.replace("\n", "")):
        return True
    sep = next((ch for ch in "- \u3000" if ch in raw), "")
    return bool(sep) and shape.fullmatch(raw.replace("\n", sep)) is not None


def detect_long_numbers(ctx: Context, want: frozenset[str]) -> None:
    text = ctx.text
    for m in (
        m
        for stretch in _STRETCH.finditer(text)
        for m in _LONG.finditer(text, stretch.start(), stretch.end())
    ):
        raw = m.group()
        a, b = m.span()
        digits = raw.replace(" ", "").replace("\u3000", "").replace("-", "").replace("\n", "")
        spaced = raw[4:5] in (" ", "\u3000")
        if spaced and text[b : b + 1] == raw[4] and text[b + 1 : b + 2].isdigit():
            continue  # 「1234 5678 9012 3456」: a card number, not a My Number
        if len(digits) == 12:
            if not _shape_ok(raw, _SHAPE12):
                continue
            # Near 運転免許 it is a licence number (and never a My Number, even when the
            # caller asked for My Numbers only). Both cues near (a licence line under a
            # My Number line): the closer wins.
            if ctx.cue_or_column(cues.DRIVERS, a, b) and ctx.last_cue_end(
                cues.DRIVERS, a
            ) > ctx.last_cue_end(cues.MY_NUMBER, a):
                if "drivers_license" in want:
                    ctx.add("drivers_license", a, b, mask_number(raw), 0.85)
                continue
            if "my_number" in want and is_valid_my_number(digits):
                cued = ctx.cue_or_column(cues.MY_NUMBER, a, b)
                ctx.add("my_number", a, b, mask_number(raw), 0.95 if cued else 0.4)
        elif "corporate_number" in want:
            if not _shape_ok(raw, _SHAPE13) or not is_valid_corporate_number(digits):
                continue
            cued = ctx.cue_or_column(cues.CORPORATE, a, b)
            ctx.add("corporate_number", a, b, mask_number(raw), 0.95 if cued else 0.5)
