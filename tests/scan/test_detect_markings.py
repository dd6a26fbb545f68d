"""Classification and handling markings."""

from __future__ import annotations

import pytest

from mamori.scan.detect import detect
from mamori.scan.types import PART_SEPARATOR


def markings(text, type_="classification_marking"):
    return [f for f in detect(text) if f.type == type_]


@pytest.mark.parametrize(
    ("written", "label", "level"),
    [
        ("機密性２", "機密性２", 2),
        ("機密性2", "機密性２", 2),
        ("機密性３情報", "機密性３", 3),
        ("機密性2情報", "機密性２", 2),
        ("機密性１", "機密性１", 1),
        ("機密性：２", "機密性２", 2),
        ("完全性２", "完全性２", 2),
        ("可用性2情報", "可用性２", 2),
        ("要機密", "要機密", 2),
        ("要機密情報", "要機密", 2),
        ("要保全", "要保全", 2),
        ("要安定", "要安定", 2),
        ("要保護", "要保護", None),
    ],
)
def test_classification_markings_in_a_header(written, label, level):
    text = f"【{written}】\n令和6年度 業務報告書\n"
    [f] = markings(text)
    assert text[f.start : f.end] == written
    assert (f.label, f.level, f.line) == (label, level, 1)
    assert f.masked == written  # markings are shown as they are
    assert f.confidence >= 0.9


def test_a_marking_in_a_file_name_part():
    text = f"【機密性３】人事異動案.docx{PART_SEPARATOR}本文"
    [f] = markings(text)
    assert f.level == 3
    assert f.line == 1


def test_機密性_without_a_level_is_no_marking():
    assert markings("機密性の高い情報は暗号化すること。") == []
    assert markings("機密性 区分なし") == []
    assert markings("機密性4") == []
    assert markings("機密性23") == []


def test_a_marking_quoted_in_running_text_has_low_confidence():
    text = "統一基準では、機密性３情報、要保全情報又は要安定情報の取扱いについて定めている。"
    found = markings(text)
    assert [f.label for f in found] == ["機密性３", "要保全", "要安定"]
    assert all(f.confidence < 0.5 for f in found)


def test_a_document_stating_its_own_marking_in_a_sentence_counts():
    [f] = markings("本資料は機密性２情報に該当する。")
    assert f.level == 2
    assert f.confidence >= 0.5


def test_offsets_after_half_width_katakana():
    text = "ﾃﾞｰﾀ一覧 ［機密性２］"
    [f] = markings(text)
    assert text[f.start : f.end] == "機密性２"


@pytest.mark.parametrize(
    ("written", "label"),
    [
        ("関係者限り", "関係者限り"),
        ("部内限り", "部内限り"),
        ("課内限り", "課内限り"),
        ("人事課限り", "人事課限り"),
        ("○○担当者限り", "○○担当者限り"),
        ("複製禁止", "複製禁止"),
        ("転送禁止", "転送禁止"),
        ("配布禁止", "配布禁止"),
        ("配付禁止", "配付禁止"),
        ("持出禁止", "持出禁止"),
        ("持ち出し禁止", "持出禁止"),
        ("暗号化必須", "暗号化必須"),
        ("読後廃棄", "読後廃棄"),
        ("取扱注意", "取扱注意"),
    ],
)
def test_handling_markings(written, label):
    text = f"【機密性２】【{written}】\n本文"
    [f] = markings(text, "handling_marking")
    assert text[f.start : f.end] == written
    assert f.label == label
    assert f.level is None


@pytest.mark.parametrize(
    "prose",
    [
        "今回限りの特例とする。",
        "本日限りで受付を終了する。",
        "可能な限り早く対応する。",
        "できる限り簡潔に記載すること。",
        "一回限りの措置である。",
        "その場限りの対応は避ける。",
        "今年度限りの経過措置である。",
    ],
)
def test_限り_in_ordinary_prose_is_no_handling_marking(prose):
    assert markings(prose, "handling_marking") == []


def test_限り_marking_must_name_people_or_a_unit_and_can_sit_in_a_sentence():
    [f] = markings("なお、本資料は関係者限りとしてお取り扱いください。", "handling_marking")
    assert f.label == "関係者限り"
    assert f.confidence >= 0.5
