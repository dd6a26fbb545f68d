"""Person names found by context."""

from __future__ import annotations

import pytest

from mamori.scan.detect import detect


def names(text):
    return [text[f.start : f.end] for f in detect(text) if f.type == "person_name"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("氏名：山田太郎", "山田太郎"),
        ("氏名　山田 太郎", "山田 太郎"),
        ("お名前（佐藤花子）", "佐藤花子"),
        ("担当者：総務課 鈴木一郎", "鈴木一郎"),
        ("申請者氏名：勅使河原蓮", "勅使河原蓮"),
        ("フリガナ：ヤマダ タロウ", "ヤマダ タロウ"),
        ("山田様\n\nお世話になっております。", "山田"),
        ("総務課山田様", "山田"),
        ("鈴木 一郎殿", "鈴木 一郎"),
        ("阿部さんから連絡があった。", "阿部"),
        ("岡本さくらさん", "岡本さくら"),
        ("人事課の田中です。", "田中"),
        ("本件は山田課長が説明した。", "山田"),
        ("担当者は佐藤です。", "佐藤"),
    ],
)
def test_names_next_to_a_cue(text, name):
    assert names(text) == [name]


def test_every_name_of_a_list_after_a_label():
    text = "出席者：総務課 山田太郎氏、会計課 佐藤花子、広報室 スミス\n"
    assert names(text) == ["山田太郎", "佐藤花子", "スミス"]


@pytest.mark.parametrize(
    "text",
    [
        "関係者の皆様へ",
        "お客様からの問い合わせ",
        "調達仕様書を確認する。",
        "同様の事案が発生した。",
        "様式第1号により申請する。",
        "みなさん、たくさんの意見をありがとう。",
        "担当：総務課",
        "総務課長が説明した。",
        "氏名\t個人番号\t電話",
        "統括情報セキュリティ責任者は評価結果を報告する。",
        "責任者（以下「端末管理責任者」という。）",
        "過去４年間で演習参加者は着実に増加した。",
    ],
)
def test_words_next_to_a_cue_that_are_no_names(text):
    assert names(text) == []


def test_names_in_a_table_column_headed_氏名():
    text = "No,氏名,電話\n1,山田太郎,03-1234-5678\n2,佐藤 花子,090-1234-5678\n\n氏名のない行,x\n"
    assert names(text) == ["山田太郎", "佐藤 花子"]


def test_a_common_surname_raises_confidence_and_the_name_is_masked():
    [common] = [f for f in detect("担当者：山田花子") if f.type == "person_name"]
    [rare] = [f for f in detect("担当者：雲母花子") if f.type == "person_name"]
    assert common.confidence > rare.confidence
    assert common.masked == "山***"


def test_works_without_ginza():
    # GiNZA is optional; without it names still come from context alone.
    with pytest.raises(ImportError):
        import ginza  # noqa: F401
    assert names("氏名：山田太郎") == ["山田太郎"]
