"""Passport, residence card, health insurance card, bank account and birth date."""

from __future__ import annotations

import pytest

from mamori.scan.detect import detect


def of_type(text, type_):
    return [text[f.start : f.end] for f in detect(text) if f.type == type_]


def test_passport_numbers_need_their_cue():
    assert of_type("旅券番号：TK1234567", "passport") == ["TK1234567"]
    assert of_type("パスポート ＴＫ１２３４５６７", "passport") == ["ＴＫ１２３４５６７"]
    assert of_type("型番TK1234567の端末", "passport") == []
    assert of_type("旅券番号：TK12345678", "passport") == []


def test_residence_card_numbers_stand_on_their_shape():
    [cued] = [f for f in detect("在留カード番号 AB12345678CD") if f.type == "residence_card"]
    [bare] = [f for f in detect("番号 AB12345678CD") if f.type == "residence_card"]
    assert cued.confidence > bare.confidence >= 0.5
    assert "12345678" not in bare.masked
    assert of_type("XAB12345678CD", "residence_card") == []


def test_health_insurance_symbol_and_number_near_the_card():
    assert of_type("被保険者証 記号 1234 番号 56", "health_insurance") == ["1234 番号 56"]
    assert of_type("保険証の記号・番号：ＡＢ12・345", "health_insurance") == ["ＡＢ12・345"]
    assert of_type("図面の記号 A1 を参照", "health_insurance") == []


def test_bank_accounts_need_a_keyword():
    assert of_type("みずほ銀行 霞が関支店 普通 1234567", "bank_account") == ["1234567"]
    assert of_type("口座番号：７６５４３２１", "bank_account") == ["７６５４３２１"]
    assert of_type("登録番号 1234567", "bank_account") == []
    assert of_type("普通 12345678", "bank_account") == []


def test_bank_accounts_in_a_table_column():
    text = "氏名\t支店\t口座番号\n山田太郎\t新宿支店\t1234567\n"
    assert of_type(text, "bank_account") == ["1234567"]


@pytest.mark.parametrize(
    "written",
    [
        "1980年4月1日",
        "1980/04/01",
        "1980-4-1",
        "昭和55年4月1日",
        "平成元年1月8日",
        "令和5年4月1日",
        "S55.4.1",
        "H1.1.8",
        "R5/4/1",
        "１９８０年４月１日",
        "昭和５５年　４月　１日",
    ],
)
def test_birth_dates_in_western_and_japanese_forms(written):
    text = f"生年月日：{written}\n"
    assert of_type(text, "birth_date") == [written]
    [f] = [f for f in detect(text) if f.type == "birth_date"]
    assert not any(ch.isdigit() for ch in f.masked)


def test_a_date_followed_by_生_is_a_birth_date():
    assert of_type("山田太郎（昭和50年4月1日生）", "birth_date") == ["昭和50年4月1日"]
    assert of_type("1980年4月1日生まれ", "birth_date") == ["1980年4月1日"]


def test_a_date_without_a_birth_cue_is_no_birth_date():
    assert of_type("会議は令和5年4月1日に開催した。", "birth_date") == []
    assert of_type("1980年生まれ", "birth_date") == []


def test_birth_dates_in_a_table_column():
    text = "氏名,生年月日,電話\n山田太郎,1980/04/01,03-1234-5678\n佐藤花子,昭和60年2月3日,03-1234-5679\n"
    assert of_type(text, "birth_date") == ["1980/04/01", "昭和60年2月3日"]
