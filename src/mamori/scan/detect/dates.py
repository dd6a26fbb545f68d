"""Birth dates: a date in 西暦 or 和暦 form near 生年月日, 生まれ, 誕生日, DOB and the like
(or in a table column headed so). A date without such a cue is not personal data."""

from __future__ import annotations

import re

from mamori.scan.detect import cues
from mamori.scan.detect.context import Context
from mamori.scan.detect.mask import mask_digits

_DATE = re.compile(
    r"(?:(?:19|20)[0-9]{2}(?<![0-9][0-9]{4})(?P<sep>[/.\-])[0-9]{1,2}(?P=sep)[0-9]{1,2}(?![0-9])"
    r"|(?:19|20)[0-9]{2}(?<![0-9][0-9]{4})[ \u3000]?年[ \u3000]?[0-9]{1,2}[ \u3000]?月[ \u3000]?[0-9]{1,2}[ \u3000]?日"
    r"|(?:令和|平成|昭和|大正|明治)[ \u3000]?(?:元|[0-9]{1,2})[ \u3000]?年[ \u3000]?[0-9]{1,2}[ \u3000]?月[ \u3000]?[0-9]{1,2}[ \u3000]?日"
    r"|(?:令和|平成|昭和|大正|明治|[RHSTM](?<![A-Za-z][RHSTM]))[ \u3000]?(?:元|[0-9]{1,2})(?P<wsep>[/.\-])[0-9]{1,2}(?P=wsep)[0-9]{1,2}(?![0-9])"
    r")"
)


def detect_birth_dates(ctx: Context) -> None:
    if not ctx.has_cue(cues.BIRTH):
        return
    text = ctx.text
    if ctx.cue_in_table_line(cues.BIRTH):
        matches = _DATE.finditer(text)  # a table: every date, kept by its column
    else:  # only the stretch after each cue word (before 「日生」)
        starts, ends = ctx.cue_spans(cues.BIRTH)
        spans = sorted(
            (s - 24, s + 1) if text.startswith("日生", s) else (e, e + 30)
            for s, e in zip(starts, ends, strict=True)
        )
        matches = (m for a, b in spans for m in _DATE.finditer(text, max(0, a), min(len(text), b)))
    last = -1
    for m in matches:
        a, b = m.span()
        if a < last or text[b : b + 1].isdigit():  # (a window can cut a number short)
            continue
        if (
            ctx.near(cues.BIRTH, a, b, window=20)
            or text.startswith("生", b)
            or ctx.in_column(cues.BIRTH, a)
        ):
            ctx.add("birth_date", a, b, mask_digits(m.group()), 0.9)
            last = b
