"""Normalisation with offsets back to the original, and the scanner's purity."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from mamori.scan.detect import detect
from mamori.scan.detect.normalize import normalize
from mamori.scan.types import PART_SEPARATOR


def test_plain_text_is_left_as_it_is():
    text = "令和6年度の業務報告（案）：概要"
    n = normalize(text)
    assert n.text == text
    assert n.identity


def test_full_width_digits_keep_their_offsets():
    n = normalize("番号１２３４")
    assert n.text == "番号1234"
    assert n.identity


def test_characters_that_change_length_are_mapped_back():
    original = "ｶﾞｲﾄﾞ㈱①ﾏｲﾅﾝﾊﾞｰ１２"
    n = normalize(original)
    assert n.text == "ガイド(株)1マイナンバー12"
    at = n.text.index("マイナンバー")
    assert original[n.start(at) : n.end(at + len("マイナンバー"))] == "ﾏｲﾅﾝﾊﾞｰ"
    at = n.text.index("(株)")
    assert original[n.start(at) : n.end(at + 3)] == "㈱"
    at = n.text.index("12")
    assert original[n.start(at) : n.end(at + 2)] == "１２"


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(["ｶﾞ", "ﾊﾟ", "①", "㈱", "㍻", "ｱ", "Ａ", "１", "漢", "　", "Ⅻ", "−"]),
        max_size=12,
    )
)
def test_a_finding_after_any_prefix_points_at_the_original_characters(prefix):
    head = "".join(prefix)
    text = f"{head}\n個人番号：１２３４５６７８９０１８　電話０３−１２３４−５６７８"
    found = {f.type: text[f.start : f.end] for f in detect(text)}
    assert found["my_number"] == "１２３４５６７８９０１８"
    assert found["phone"] == "０３−１２３４−５６７８"


def test_lines_are_counted_in_the_text_given():
    text = "一行目\n二行目\n\n電話 03-1234-5678"
    [f] = detect(text)
    assert f.line == 4


def test_no_finding_spans_the_part_separator():
    text = f"氏名：山田{PART_SEPARATOR}太郎 090-1234{PART_SEPARATOR}5678"
    for f in detect(text):
        assert PART_SEPARATOR not in text[f.start : f.end]


def test_findings_are_sorted_by_start():
    text = "電話 03-1234-5678\n【機密性２】\n氏名：山田太郎\n個人番号 123456789018"
    starts = [f.start for f in detect(text)]
    assert starts == sorted(starts) and len(starts) == 4


def test_the_scanner_imports_no_django():
    code = (
        "import sys; import mamori.scan.detect, mamori.scan.corpus; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


_PIECES = st.sampled_from(
    [
        "個人番号", "電話", "〒", "氏名：", "様", "山田", "東京都千代田区", "霞が関", "1-2-3",
        "機密性", "２", "限り", "生年月日", "昭和", "年", "月", "日", "@", "a", "Z",
        "0", "1", "9", "０", "９", "-", "－", " ", "　", "\n", "\t", ",", "ｶﾞ", "①", "㈱",
        PART_SEPARATOR, "普通", "旅券", "AB", "記号", "番号", "保険証",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_any_text_gives_findings_inside_it_that_never_show_a_whole_number(pieces):
    text = "".join(pieces)
    findings = detect(text)
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert f.line == text.count("\n", 0, f.start) + 1
        assert PART_SEPARATOR not in text[f.start : f.end]
        assert 0.0 <= f.confidence <= 1.0
        if f.type not in ("classification_marking", "handling_marking", "person_name", "address"):
            digits = [ch for ch in f.masked if ch.isdigit()]
            assert len(digits) <= 4, f
