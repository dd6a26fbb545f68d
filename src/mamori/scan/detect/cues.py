"""Cue words: the words near a value that say what it is.

`Context` finds every cue word of every family in one pass over the text (one regex of
all the words, no per-family pass), the first time any family is asked for. Each family
also has its own pattern, used to read a table's header cell."""

from __future__ import annotations

import re

_FAMILIES: dict[str, tuple[str, ...]] = {
    "my_number": ("マイナンバー", "個人番号", "通知カード", "MyNumber", "My Number", "my number"),
    "corporate": ("法人番号", "会社法人等番号", "Corporate Number", "corporate number"),
    "drivers": ("運転免許", "免許証番号", "免許番号", "Driver's License", "driver's license"),
    "passport": ("旅券", "パスポート", "Passport", "passport", "PASSPORT"),
    "residence": ("在留カード", "特別永住者証明書", "在留番号", "Residence Card", "residence card"),
    "insurance": ("保険証", "被保険者", "保険者番号", "資格確認書", "健康保険", "後期高齢者医療"),
    "bank": ("口座", "普通預金", "当座預金", "普通", "当座", "貯蓄", "支店", "店番", "Bank Account"),
    "phone": (
        "電話", "TEL", "Tel", "tel", "携帯", "FAX", "Fax", "fax", "ファックス", "ファクス",
        "連絡先", "内線", "問い合わせ", "問合せ", "Phone", "phone",
    ),
    "postal": ("〒", "郵便番号", "郵便", "住所"),
    # Labels before a person's name, and table headers over a column of names.
    "name_label": (
        "氏名", "お名前", "名前", "フリガナ", "ふりがな", "担当者名", "担当者", "担当", "申請者",
        "申込者", "作成者", "報告者", "記入者", "届出人", "代表者", "責任者", "差出人", "受取人",
        "宛名", "本人", "被保険者", "出席者", "参加者", "欠席者", "相談者",
    ),
    "name_header": ("氏名", "お名前", "名前", "フリガナ", "ふりがな", "担当者"),
    "birth": (
        "日生",  # 「昭和50年4月1日生」: the cue ends the date
        "生年月日", "生まれ", "誕生日", "出生", "DOB", "Date of Birth", "date of birth", "Birthdate",
        "birth date",
    ),
}  # fmt: skip


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


# Every word, longest first, to the families it belongs to.
WORD_FAMILIES: dict[str, tuple[str, ...]] = {}
for _family, _words in _FAMILIES.items():
    for _w in _words:
        WORD_FAMILIES[_w] = (*WORD_FAMILIES.get(_w, ()), _family)
ALL = _pattern(tuple(WORD_FAMILIES))
PATTERNS: dict[str, re.Pattern[str]] = {f: _pattern(w) for f, w in _FAMILIES.items()}

MY_NUMBER = "my_number"
CORPORATE = "corporate"
DRIVERS = "drivers"
PASSPORT = "passport"
RESIDENCE = "residence"
INSURANCE = "insurance"
BANK = "bank"
PHONE = "phone"
POSTAL = "postal"
BIRTH = "birth"
NAME_LABEL = "name_label"
NAME_HEADER = "name_header"
