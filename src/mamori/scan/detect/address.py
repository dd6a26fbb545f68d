"""Addresses: a prefecture (all 47) followed by a municipality, a town and a block
number; or, without the prefecture, a Tokyo special ward or a designated city's ward
followed by a town and a block number. Without the number part an address is only a
place name (「東京都千代田区で開催」) and is reported with low confidence."""

from __future__ import annotations

import re
from bisect import bisect_right

from mamori.scan.detect.context import Context
from mamori.scan.detect.mask import mask_address

PREFECTURES = (
    "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 神奈川県 "
    "新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 大阪府 兵庫県 "
    "奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 福岡県 佐賀県 長崎県 "
    "熊本県 大分県 宮崎県 鹿児島県 沖縄県"
).split()
TOKYO_WARDS = (
    "千代田 中央 港 新宿 文京 台東 墨田 江東 品川 目黒 大田 世田谷 渋谷 中野 杉並 豊島 北 荒川 板橋 練馬 "
    "足立 葛飾 江戸川"
).split()
DESIGNATED_CITIES = (
    "札幌 仙台 さいたま 千葉 横浜 川崎 相模原 新潟 静岡 浜松 名古屋 京都 大阪 堺 岡山 広島 北九州 福岡 熊本 神戸"
).split()
# Municipalities written in hiragana, which the kanji-and-katakana pattern would miss.
_KANA_MUNICIPALITIES = "さいたま|つくばみらい|つくば|ひたちなか|いわき|かすみがうら|いちき串木野|みどり|あきる野|ふじみ野|みよし|せたな|むつ|えびの|いすみ|うきは|みやま|たつの|南あわじ|あわら"

_K = r"\u4e00-\u9fff々〆ヶケ"
_MUNICIPALITY = (
    rf"(?:[{_K}]{{1,4}}郡)?(?:{_KANA_MUNICIPALITIES}|[{_K}\u30a1-\u30faー]{{1,5}}?)[市区町村]"
    rf"(?:[{_K}]{{1,4}}区)?"
)
_TOWN = rf"[{_K}\u30a1-\u30faーがのつ]{{0,12}}?"
_BLOCK = r"[0-9]{1,5}(?:(?:丁目|番地|番|号|-|の)[0-9]{1,5}){0,3}(?:番地|番|号)?"

_PREFECTURE = re.compile("|".join(PREFECTURES))
_AFTER_PREFECTURE = re.compile(
    rf"(?P<muni>{_MUNICIPALITY})(?:(?P<town>{_TOWN})(?P<block>{_BLOCK}))?"
)
_WARD_NAMES = frozenset(w + "区" for w in TOKYO_WARDS)
_CITY_WARD = re.compile(rf"(?:{'|'.join(DESIGNATED_CITIES)})市[{_K}]{{1,3}}$")
_AFTER_WARD = re.compile(rf"(?P<town>{_TOWN})(?P<block>{_BLOCK})")
_WORD_CHAR = re.compile(rf"[{_K}\u30a1-\u30fa]")


def detect_addresses(ctx: Context) -> None:
    text = ctx.text
    covered: list[int] = []  # ends of the addresses found from a prefecture
    starts: list[int] = []
    for m in _PREFECTURE.finditer(text):
        a = m.start()
        rest = _AFTER_PREFECTURE.match(text, m.end())
        if rest is None:
            continue
        b = rest.end()
        confidence = 0.9 if rest.group("block") else 0.45
        ctx.add("address", a, b, mask_address(text[a:b], rest.end("muni") - a), confidence)
        starts.append(a)
        covered.append(b)
    # Without a prefecture: a Tokyo special ward or a designated city's ward, followed by
    # a town and a block number. Found from each 「区」, which is rare in prose.
    pos = text.find("区")
    while pos >= 0:
        i = bisect_right(starts, pos) - 1
        if i < 0 or covered[i] <= pos:
            _ward_address(ctx, text, pos)
        pos = text.find("区", pos + 1)


def _ward_address(ctx: Context, text: str, ku: int) -> None:
    start = -1
    for width in (4, 3, 2):
        if text[ku - width + 1 : ku + 1] in _WARD_NAMES:
            start = ku - width + 1
            break
    if start < 0:
        city = _CITY_WARD.search(text, max(0, ku - 8), ku)
        if city is None:
            return
        start = city.start()
    # Part of a longer word (「香港区域」「北区画」) is no ward.
    if start > 0 and _WORD_CHAR.match(text, start - 1):
        return
    rest = _AFTER_WARD.match(text, ku + 1)
    if rest is None:
        return
    ctx.add(
        "address", start, rest.end(), mask_address(text[start : rest.end()], ku + 1 - start), 0.8
    )
