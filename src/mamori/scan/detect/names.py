"""Person names, found by context: after a label such as 氏名 / 担当者 / 申請者, or before
an honorific such as 様 / 殿 / さん. A name that starts with a common surname is more
likely a name than a run of kanji that happens to sit next to a cue. When GiNZA is
installed its NER adds names with no cue; the core works without it."""

from __future__ import annotations

import re
from collections.abc import Callable

from mamori.scan.detect import cues
from mamori.scan.detect.context import Context
from mamori.scan.detect.mask import mask_name
from mamori.scan.detect.surnames import SURNAMES

_KANJI = r"\u4e00-\u9fff々〆ヶ"
_KATA = r"\u30a1-\u30faー"
_HIRA = r"\u3041-\u3096"
# Hiragana after a surname that is grammar, not a given name (「佐藤です」「山田から」).
_NOT_GIVEN = "(?:です|でし|ます|から|まで|より|など|には|では|との|への|にて|として|について|さん|さま|くん|ちゃん)"
# A name: 1–4 kanji, optionally a space and 1–4 more kanji or a 2–4 hiragana given name
# (「岡本 さくら」, which must then end at a boundary); or katakana words (foreign names
# and furigana columns) joined by a space or 「・」.
_NAME = (
    rf"(?:[{_KANJI}]{{1,4}}[ \u3000]?(?!{_NOT_GIVEN})[{_HIRA}]{{2,4}}(?=[ \t\u3000,、。)）」\n]|様|殿|さん|氏|です|と申|$)"
    rf"|[{_KANJI}]{{1,4}}[ \u3000][{_KANJI}]{{1,4}}|[{_KANJI}]{{1,6}}"
    rf"|[{_KATA}]{{2,10}}(?:[ \u3000・][{_KATA}]{{2,10}})?)"
)
# A name ends where no kanji or katakana follows, or at an honorific.
_NAME_END = rf"(?:(?=氏|様|殿|さん)|(?![{_KANJI}{_KATA}]))"
# A unit before the name: 「担当者：総務課 山田」「広報室 高橋」.
_UNIT = rf"(?:[{_KANJI}]{{1,8}}?[課部局室係班所][ \t\u3000]*)?"

# What follows a label (found with the other cue words, see cues.NAME_LABEL).
_AFTER_LABEL = re.compile(
    r"(?:氏名|名)?"
    rf"(?P<gap>[ \t\u3000]*[:(：（][ \t\u3000]*|[ \t\u3000]+|は[ \t\u3000]*)"
    rf"{_UNIT}(?P<name>{_NAME}){_NAME_END}"
)
# The next name of a list after a label: 「出席者：総務課 山田氏、広報室 高橋」.
_NEXT_IN_LIST = re.compile(
    rf"(?:氏|様|さん|殿)?[、,・][ \u3000]*{_UNIT}(?P<name>{_NAME}){_NAME_END}"
)
# Introducing oneself in a letter: 「総務課の山田です」.
_SELF_INTRO = re.compile(
    rf"[課部局室係班社所]の(?P<name>{_NAME})(?=です|でございます|と申します|が担当)"
)
_HONORIFIC = re.compile(r"様|殿|さん|氏(?!名)|先生|くん|君")
# Titles after a surname (「山田課長」), found from the 長 (課, 部 and the like are too
# common to start a search from).
_TITLE = re.compile(r"長(?<=[課部室係局]長)")
_BEFORE_HONORIFIC = re.compile(
    rf"(?:[{_KANJI}]{{1,4}}[ \u3000]?(?:[{_KANJI}]{{1,4}}|[{_HIRA}]{{2,4}})|[{_KANJI}]{{1,4}}|[{_KATA}]{{2,10}})$"
)
_NAME_START = re.compile(rf"[{_KANJI}{_KATA}]")
_NAME_CHAR = re.compile(rf"[{_KANJI}{_KATA}{_HIRA}]")
# 様 in words that are no honorific: 仕様書, 同様, 模様, 様式, 様子, 多様 …
_NOT_HONORIFIC_BEFORE = set("仕同模多異態一各有王")

# Words that sit before 様 and the like without being names, and unit suffixes after
# which a name starts (「総務課山田様」: the name is 山田).
_NOT_NAMES = frozenset(
    "皆 皆々 各位 お客 客 利用者 担当者 関係者 申請者 御中 先方 相手 貴 同 両 故 某 上記 下記 職員 委員 部長 課長 "
    "係長 室長 局長 所長 社長 会長 議長 大臣 次官 先生 神 仏 王 殿下 閣下 奥 旦那 女将 ご担当者 ご担当 本人 氏 "
    "担当 総務課 人事課 会計課 電話 住所 生年月日 メール 連絡先 所属 個人番号 マイナンバー 備考 性別 年齢 "
    "フリガナ 氏名 名前 以下 以上 当該 各 全 本 次 前 後 別紙 別表 未定 空欄 不在 なし 同上".split()
)
_UNIT_SUFFIX = re.compile(r"^.*[課部局室係班省庁所社会院署者長員官]")
_ORG_END = re.compile(r"[課部局室係班省庁所社会院署長員者官号日話]$")


def _starts_with_surname(name: str) -> bool:
    compact = name.replace(" ", "").replace("\u3000", "")
    return compact[:3] in SURNAMES or compact[:2] in SURNAMES or compact[:1] in SURNAMES


def _confidence(name: str, cued_by_label: bool) -> float:
    if _starts_with_surname(name):
        return 0.9
    return 0.7 if cued_by_label else 0.55


def _is_kanji(ch: str) -> bool:
    return bool(ch) and ("\u4e00" <= ch <= "\u9fff" or ch == "々")


def detect_names(ctx: Context) -> None:
    text = ctx.text
    seen: set[int] = set()

    def found(a: int, b: int, name: str, by_label: bool) -> None:
        if len(name) > 2 and name[-1] in "氏様殿君":  # 「山田太郎氏」: the name is 山田太郎
            name, b = name[:-1], b - 1
        if name in _NOT_NAMES or a in seen:
            return
        if _ORG_END.search(name) and name not in SURNAMES:  # 阿部 and 服部 are names
            return
        seen.add(a)
        ctx.add("person_name", a, b, mask_name(name), _confidence(name, by_label))

    for e in ctx.cue_spans(cues.NAME_LABEL)[1]:
        m = _AFTER_LABEL.match(text, e)
        if m is None:
            continue
        if "は" in m.group("gap") and not _starts_with_surname(m.group("name")):
            continue  # 「責任者は評価結果を…」: after は only a known surname makes a name
        found(m.start("name"), m.end("name"), m.group("name"), True)
        pos = m.end()
        while (n := _NEXT_IN_LIST.match(text, pos)) is not None:
            found(n.start("name"), n.end("name"), n.group("name"), True)
            pos = n.end()
    if "です" in text or "申します" in text or "が担当" in text:
        for m in _SELF_INTRO.finditer(text):
            found(m.start("name"), m.end("name"), m.group("name"), False)
    for m in _HONORIFIC.finditer(text):
        _before_honorific(text, m.start(), False, found)
    for m in _TITLE.finditer(text):
        _before_honorific(text, m.start() - 1, True, found)
    _table_names(ctx, found)
    _ginza(ctx, seen)


def _before_honorific(
    text: str, h: int, title: bool, found: Callable[[int, int, str, bool], None]
) -> None:
    if text[h] == "様" and (
        text[h - 1 : h] in _NOT_HONORIFIC_BEFORE or _is_kanji(text[h + 1 : h + 2])
    ):
        return
    if h == 0 or not _NAME_CHAR.match(text, h - 1):
        return  # 「みなさん」「たくさん」
    before = _BEFORE_HONORIFIC.search(text, max(0, h - 9), h)
    if before is None:
        return
    name = before.group()
    unit = _UNIT_SUFFIX.match(name)
    # 「総務課山田」: keep what follows the unit (but 「阿部」 ends in 部 and is a name)
    if unit and name[unit.end() :].strip() and name[: unit.end()] not in SURNAMES:
        name = name[unit.end() :].lstrip(" \u3000")
        if not _NAME_START.match(name):
            return
    if not name or (len(name) < 2 and name not in SURNAMES):
        return
    if title and name not in SURNAMES:
        return  # 「総務課長」: before a title only a known surname is a name
    found(h - len(name), h, name, False)


_CELL_NAME = re.compile(rf"[ \u3000\"]*({_NAME})[ \u3000\"]*")


def _table_names(ctx: Context, found: Callable[[int, int, str, bool], None]) -> None:
    """Cells of a tab- or comma-separated table under a header cell such as 氏名."""
    text = ctx.text
    walked_to = -1  # rows up to here belong to a table already read
    header_cue = cues.PATTERNS[cues.NAME_HEADER]
    for cue_start in ctx.cue_spans(cues.NAME_HEADER)[0]:
        hs, he = ctx.line_bounds(cue_start)
        if hs <= walked_to:  # a cell of a table already read (or its header again)
            continue
        if he == len(text):
            return
        header = text[hs:he]
        delim = "\t" if "\t" in header else "," if "," in header else None
        if delim is None:
            continue
        cells = header.split(delim)
        cols = [i for i, cell in enumerate(cells) if header_cue.search(cell) and len(cell) <= 12]
        walked_to = he
        if not cols:
            continue
        pos = he + 1
        while pos < len(text):
            end = text.find("\n", pos)
            if end < 0:
                end = len(text)
            row = text[pos:end]
            if delim not in row:
                break
            offsets = [0]
            for cell in row.split(delim)[:-1]:
                offsets.append(offsets[-1] + len(cell) + 1)
            for col in cols:
                if col >= len(offsets):
                    continue
                c0 = pos + offsets[col]
                c1 = pos + offsets[col + 1] - 1 if col + 1 < len(offsets) else end
                cm = _CELL_NAME.fullmatch(text, c0, c1)
                if cm is None:
                    continue
                found(cm.start(1), cm.end(1), cm.group(1), True)
            walked_to = end
            pos = end + 1


_nlp: object | None = None
_ginza_tried = False


def _ginza(ctx: Context, seen: set[int]) -> None:
    """Names with no cue, from GiNZA's NER, when it is installed."""
    global _nlp, _ginza_tried
    if not _ginza_tried:
        _ginza_tried = True
        try:
            import ginza  # type: ignore[import-not-found]  # noqa: F401
            import spacy

            _nlp = spacy.load("ja_ginza")
        except Exception:  # noqa: BLE001 - optional: any failure means no NER
            _nlp = None
    if _nlp is None:
        return
    doc = _nlp(ctx.text)  # type: ignore[operator]
    for ent in doc.ents:
        if ent.label_ in ("Person", "PERSON") and ent.start_char not in seen:
            ctx.add("person_name", ent.start_char, ent.end_char, mask_name(ent.text), 0.6)
