"""Phone numbers, postal codes and e-mail addresses."""

from __future__ import annotations

import re

from mamori.scan.detect import cues
from mamori.scan.detect.context import Context
from mamori.scan.detect.mask import mask_email, mask_number

# Japanese numbers: 0 + area code + local exchange + subscriber, written with hyphens
# or spaces, with the area code in brackets, or as one run; +81 drops the leading 0.
# Not a piece of a longer number or of a date such as 2024-04-01 (no digit or hyphen
# on either side).
# (No group and the look-behinds after the first character, so the regex engine can
# skip ahead to a 「0」「+」「(」 instead of trying every position.)
_PHONE = re.compile(
    r"(?:\+(?<![0-9+\-]\+)81[ -]?(?:[(（]0[)）])?|0(?<![0-9+\-]0)(?<![0-9][.]0))[0-9]{1,4}"
    r"(?:[- \u3000][0-9]{1,4}[- \u3000][0-9]{3,4}|[(（][0-9]{1,4}[)）][0-9]{4}|[0-9]{8,9})"
    r"(?![0-9]|-[0-9])"
)
# The area code in brackets first: 「(03) 1234-5678」.
_PHONE_BRACKETED = re.compile(r"[(（]0[0-9]{1,4}[)）][ \u3000]?[0-9]{1,4}-[0-9]{4}(?![0-9]|-[0-9])")
_NOT_DIGITS = {ord(c): None for c in " -()+（）\u3000"}
_ELEVEN = ("050", "070", "080", "090", "020", "060", "0800")


def _phone_ok(raw: str) -> bool:
    digits = raw.translate(_NOT_DIGITS)
    if raw.startswith("+81"):
        digits = "0" + digits[2:].removeprefix("0")
    if digits.startswith("0120") or digits.startswith("0570"):
        return len(digits) == 10
    if digits.startswith(_ELEVEN):
        return len(digits) == 11
    if len(digits) != 10 or digits[1] == "0":
        return False
    if raw.isdigit():
        return True
    tail = re.split(r"[- )）\u3000]", raw)[-1]
    return len(tail) == 4


def detect_phones(ctx: Context) -> None:
    text = ctx.text
    matches = list(_PHONE.finditer(text))
    if "(0" in text or "（0" in text:
        matches += _PHONE_BRACKETED.finditer(text)
    for m in matches:
        raw = m.group()
        if not _phone_ok(raw):
            continue
        a, b = m.span()
        cued = ctx.cue_or_column(cues.PHONE, a, b)
        if raw.isdigit():  # one run of digits: could be any number
            confidence = 0.85 if cued else 0.45
        else:
            confidence = 0.95 if cued else 0.8
        ctx.add("phone", a, b, mask_number(raw), confidence)


# Found from the hyphen (rarer than digits): NNN-NNNN not inside a longer number.
_POSTAL = re.compile(r"-(?<=[0-9]{3}-)(?<![0-9\-][0-9]{3}-)[0-9]{4}(?![0-9]|-[0-9])")
_MARKED_POSTAL = re.compile(r"〒[ \u3000]?([0-9]{3}-?[0-9]{4})(?![0-9]|-[0-9])")


def detect_postal_codes(ctx: Context) -> None:
    text = ctx.text
    marked: set[int] = set()
    if "〒" in text:
        for m in _MARKED_POSTAL.finditer(text):
            marked.add(m.end())
            ctx.add("postal_code", m.start(), m.end(), mask_number(m.group(1)), 0.95)
    for m in _POSTAL.finditer(text):
        a, b = m.start() - 3, m.end()
        if b in marked:
            continue
        cued = ctx.near(cues.POSTAL, a, b, window=12) or ctx.in_column(cues.POSTAL, a)
        ctx.add("postal_code", a, b, mask_number(text[a:b]), 0.95 if cued else 0.6)


_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@"
    r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![A-Za-z0-9])"
)


def detect_emails(ctx: Context) -> None:
    text = ctx.text
    if "@" not in text:
        return
    for m in _EMAIL.finditer(text):
        ctx.add("email", m.start(), m.end(), mask_email(m.group()), 0.95)
