"""Classification markings (格付) and handling markings (取扱制限).

統一基準(R7) 3.1.1(3)(a): staff mark what they create with its 格付 and 取扱制限; the
R7 booklet (002, 1章-1) says the marking goes in the document header or the file name,
and gives 「○○担当者限り」「複製禁止」「転送禁止」 as examples of 取扱制限.

Levels: 「機密性N」「完全性N」「可用性N」 report N. The booklet's glossary defines
「要機密情報」 as 機密性２情報 and 機密性３情報 together (「なお、機密性２情報及び機密性３情報を
『要機密情報』という。」), so 要機密 reports level 2, the lowest level it implies: enough
for the publication check (3.1.1(5)(a)) to stop it. 要保全 is 完全性２ and 要安定 is
可用性２, so both report 2; 要保護 means any of the three and has no single level.
The label is the canonical marking with a full-width digit, as the regulations write
it (「機密性２」), without a trailing 情報.

Markings also occur in running text about the rules (「要機密情報を取り扱う場合は」):
those are still reported, with lower confidence than a marking that stands on its own
(in brackets, at a line's start or end, or in a file name).
"""

from __future__ import annotations

import re

from mamori.scan.detect.context import Context

_FULL = str.maketrans("0123456789", "０１２３４５６７８９")

# One pass finds every candidate; a plain alternation (no groups) lets the regex engine
# skip ahead to the characters that can start one.
_AXES = ("機密性", "完全性", "可用性")
_DERIVED = ("要機密", "要保全", "要安定", "要保護")
_FIXED = (
    "複製禁止 複写禁止 転送禁止 再配布禁止 配布禁止 配付禁止 持出禁止 持ち出し禁止 持出し禁止 "
    "暗号化必須 読後廃棄 取扱注意 取扱い注意 取り扱い注意 印刷禁止 二次利用禁止"
).split()
_TRIGGER = re.compile("|".join((*_AXES, *_DERIVED, *_FIXED, "限り")))
_LEVEL = re.compile(r"[ \t:：\u3000]*(?:区分[ \t:：\u3000]*)?([1-3])(?![0-9])(情報)?")

_DERIVED_LEVEL = {"要機密": 2, "要保全": 2, "要安定": 2, "要保護": None}
_CANONICAL_FIXED = {
    "持ち出し禁止": "持出禁止",
    "持出し禁止": "持出禁止",
    "取扱い注意": "取扱注意",
    "取り扱い注意": "取扱注意",
    "複写禁止": "複製禁止",
}

# The noun before 限り: kanji, katakana, ○ placeholders and letters.
_NOUN_BEFORE = re.compile(r"[\u4e00-\u9fff々〆ヶ\u30a1-\u30faー○〇A-Za-z]{1,12}$")
# 「○○限り」 is a marking when the noun names people or a unit: it ends in one of these.
# Everything else (「今回限り」「本日限り」「一回限り」「その場限り」「今年度限り」) is prose about time
# or occasions and is not reported.
_WHO_SUFFIXES = (
    "者",
    "員",
    "内",
    "課",
    "室",
    "部",
    "局",
    "係",
    "班",
    "省",
    "庁",
    "官",
    "長",
    "チーム",
    "メンバー",
    "幹部",
    "役員",
    "委員会",
    "宛先",
    "各位",
    "○○",
    "〇〇",
)
_WHO_LAST = frozenset(w[-1] for w in _WHO_SUFFIXES)
_PROSE_AFTER = set("をがはにでもとへやの")
_WORD_CHAR = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff々ー]")
_STANDALONE_BEFORE = set("【[(（「『<《〔:：|/_-　 \t\n")
_STANDALONE_AFTER = set("】])）」』>》〕:：|/_-.　 \t\n、,")


def detect_markings(ctx: Context, want_class: bool, want_handling: bool) -> None:
    text = ctx.text
    for m in _TRIGGER.finditer(text):
        word = m.group()
        a, b = m.span()
        if word == "限り":
            if want_handling:
                _limited_to(ctx, a, b)
            continue
        if word in _AXES:
            if not want_class:
                continue
            lv = _LEVEL.match(text, b)
            if lv is None:
                continue  # 「機密性の高い情報」: no level, no marking
            b = lv.end()
            label = word + lv.group(1).translate(_FULL)
            level: int | None = int(lv.group(1))
        elif word in _DERIVED:
            if not want_class:
                continue
            if text.startswith("情報", b):
                b += 2
            label, level = word, _DERIVED_LEVEL[word]
        else:
            if want_handling:
                label = _CANONICAL_FIXED.get(word, word)
                ctx.add("handling_marking", a, b, word, _confidence(text, a, b), label=label)
            continue
        shown = ctx.orig[ctx.norm.start(a) : ctx.norm.end(b)]
        confidence = _confidence(text, a, b)
        ctx.add("classification_marking", a, b, shown, confidence, label=label, level=level)


def _confidence(text: str, a: int, b: int) -> float:
    """A marking that stands on its own (in brackets, alone on its line, after 「区分：」,
    between spaces in a subject line) is a marking. One inside a sentence is usually
    the rules being quoted (「機密性３情報、要保全情報又は要安定情報の取扱い」) and gets
    low confidence, unless the sentence says it of the document itself
    (「本資料は機密性２情報である」「本資料は関係者限りとする」)."""
    before = text[a - 1] if a > 0 else "\n"
    after = text[b] if b < len(text) else "\n"
    if before == "は" and text[a - 2 : a - 1] not in ("又", "で"):
        return 0.6
    if before in _STANDALONE_BEFORE:
        return 0.6 if after in _PROSE_AFTER else 0.95
    if _WORD_CHAR.match(before) or before == "、" or after in _PROSE_AFTER or after in "、又及等":
        return 0.3
    return 0.8 if after in _STANDALONE_AFTER else 0.5


def _limited_to(ctx: Context, a: int, b: int) -> None:
    text = ctx.text
    if text[a - 1 : a] not in _WHO_LAST:  # 「可能な限り」「今回限り」: quickly out
        return
    m = _NOUN_BEFORE.search(text, max(0, a - 12), a)
    if m is None:
        return
    noun = m.group()
    if not noun.endswith(_WHO_SUFFIXES):
        return
    start = m.start()
    label = noun + "限り"
    ctx.add("handling_marking", start, b, label, _confidence(text, start, b), label=label)
