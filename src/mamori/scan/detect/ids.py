"""Identity documents and bank accounts: passport, residence card, health insurance
card, bank account. Each needs its cue word nearby except the residence card number,
whose shape (two letters, eight digits, two letters) is distinctive on its own."""

from __future__ import annotations

import re

from mamori.scan.detect import cues
from mamori.scan.detect.context import Context
from mamori.scan.detect.mask import mask_number

# Passport: two letters and seven digits. Residence card: two letters, eight digits,
# two letters.
_DOC_ID = re.compile(
    r"[A-Z](?<![A-Za-z0-9][A-Z])[A-Z][0-9]{7}(?P<rc>[0-9][A-Z]{2})?(?![A-Za-z0-9])"
)


def detect_document_ids(ctx: Context, want: frozenset[str]) -> None:
    for m in _DOC_ID.finditer(ctx.text):
        a, b = m.span()
        raw = m.group()
        if m.group("rc"):
            if "residence_card" in want:
                cued = ctx.cue_or_column(cues.RESIDENCE, a, b)
                ctx.add("residence_card", a, b, mask_number(raw), 0.95 if cued else 0.8)
        elif "passport" in want and ctx.cue_or_column(cues.PASSPORT, a, b):
            ctx.add("passport", a, b, mask_number(raw), 0.9)


# 被保険者証: 記号 (up to 8 letters or digits, sometimes with hyphens) and 番号 (up to 8
# digits), as 「記号 1234 番号 567」 or 「記号・番号 1234・567」.
_INSURANCE = re.compile(
    r"記号(?:[・/]番号)?[ \t:：\u3000]*(?P<sym>[0-9A-Za-z][0-9A-Za-z\-]{0,9})"
    r"(?:[ \t,、・/\u3000]*(?:番号)?[ \t:：\u3000]*(?P<num>[0-9]{1,8}))?(?![0-9])"
)


def detect_health_insurance(ctx: Context) -> None:
    if not ctx.has_cue(cues.INSURANCE):
        return
    for m in _INSURANCE.finditer(ctx.text):
        a, b = m.span()
        if not ctx.near(cues.INSURANCE, a, b, window=60):
            continue
        start = m.start("sym")
        masked = mask_number(ctx.text[start:b])
        ctx.add("health_insurance", start, b, masked, 0.9 if m.group("num") else 0.7)


# Bank account: seven digits after 普通/当座/口座番号 (the branch number, three digits,
# usually comes first: 「○○支店（123）普通 1234567」).
_ACCOUNT = re.compile(r"[0-9](?<![0-9\-][0-9])[0-9]{6}(?![0-9]|-[0-9])")
_ACCOUNT_CUE = re.compile(r"(普通|当座|貯蓄|口座番号|口座)(?:預金)?[^\n]{0,12}$")


def detect_bank_accounts(ctx: Context) -> None:
    if not ctx.has_cue(cues.BANK):
        return
    text = ctx.text
    if ctx.cue_in_table_line(cues.BANK):
        matches = list(_ACCOUNT.finditer(text))
    else:  # only the stretch after each cue word, on its line
        matches = [
            m
            for e in ctx.cue_spans(cues.BANK)[1]
            for m in _ACCOUNT.finditer(text, e, min(len(text), e + 20))
        ]
    seen: set[int] = set()
    for m in matches:
        if m.start() in seen:
            continue
        seen.add(m.start())
        a, b = m.span()
        if text[b : b + 1].isdigit():  # cut by the window: part of a longer number
            continue
        before = text[max(0, a - 30) : a]
        if _ACCOUNT_CUE.search(before) or ctx.in_column(cues.BANK, a):
            ctx.add("bank_account", a, b, mask_number(m.group()), 0.9)
