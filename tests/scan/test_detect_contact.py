"""Phone numbers, postal codes, e-mail addresses and addresses."""

from __future__ import annotations

import pytest

from mamori.scan.detect import detect


def of_type(text, type_):
    return [f for f in detect(text) if f.type == type_]


@pytest.mark.parametrize(
    "number",
    [
        "03-1234-5678",
        "045-123-4567",
        "0422-12-3456",
        "090-1234-5678",
        "080 1234 5678",
        "050-1234-5678",
        "0120-123-456",
        "0800-123-4567",
        "+81-3-1234-5678",
        "+81 90-1234-5678",
        "03(1234)5678",
        "(03) 1234-5678",
        "０３－１２３４－５６７８",
        "03−1234−5678",
    ],
)
def test_phone_numbers(number):
    text = f"連絡先 {number} まで"
    [f] = of_type(text, "phone")
    assert text[f.start : f.end] == number
    assert f.confidence >= 0.8
    assert sum(ch.isdigit() for ch in f.masked) <= 4


@pytest.mark.parametrize(
    "not_a_phone",
    [
        "2024-04-01",
        "令和6年4月1日",
        "金額 1,234,567円",
        "受付番号 2024-00123",
        "03-1234-56789",  # too long
        "090-1234-567",  # too short for a mobile number
        "12-3456-7890",  # no leading 0
    ],
)
def test_dates_amounts_and_other_numbers_are_no_phone(not_a_phone):
    assert of_type(not_a_phone, "phone") == []


def test_a_bare_run_of_digits_is_a_phone_only_with_low_confidence_unless_cued():
    [bare] = of_type("値 0312345678 を入力", "phone")
    [cued] = of_type("TEL 0312345678", "phone")
    assert bare.confidence < 0.5 < cued.confidence


def test_postal_codes():
    [marked] = of_type("〒100-8926 東京都千代田区霞が関2-1-2", "postal_code")
    assert marked.confidence >= 0.9
    [keyword] = of_type("郵便番号：100-8926", "postal_code")
    assert keyword.confidence >= 0.9
    [bare] = of_type("コード 100-8926 を参照", "postal_code")
    assert 0.5 <= bare.confidence < 0.9
    [packed] = of_type("〒1008926", "postal_code")
    assert packed.start == 0
    assert of_type("03-1234-5678", "postal_code") == []
    assert of_type("1234-5678", "postal_code") == []


def test_postal_code_in_full_width_digits_maps_to_the_original():
    text = "〒１００－８９２６"
    [f] = of_type(text, "postal_code")
    assert (f.start, f.end) == (0, len(text))
    assert "8926" not in f.masked and "１００" not in f.masked


def test_email_addresses():
    text = "宛先: taro.yamada@example.go.jp、控え k-suzuki@mail.example.lg.jp"
    found = of_type(text, "email")
    assert [text[f.start : f.end] for f in found] == [
        "taro.yamada@example.go.jp",
        "k-suzuki@mail.example.lg.jp",
    ]
    assert found[0].masked == "t***@example.go.jp"
    assert of_type("@example.go.jp と user@ はアドレスではない", "email") == []


def test_full_width_email_is_normalised():
    text = "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"
    [f] = of_type(text, "email")
    assert (f.start, f.end) == (0, len(text))


@pytest.mark.parametrize(
    "address",
    [
        "東京都千代田区霞が関2-1-2",
        "東京都千代田区霞が関二丁目1番2号",
        "北海道札幌市中央区北一条西6丁目1番地",
        "神奈川県横浜市中区日本大通1",
        "大阪府大阪市北区梅田1-1-1",
        "茨城県つくば市研究学園1-1-1",
        "埼玉県さいたま市浦和区高砂3-15-1",
        "沖縄県那覇市泉崎1-2-2",
        "長野県北佐久郡軽井沢町長倉2381",
        "世田谷区太子堂2丁目17番15号",
        "横浜市中区日本大通1",
    ],
)
def test_addresses(address):
    text = f"住所：{address}\n"
    [f] = of_type(text, "address")
    assert text[f.start : f.end].startswith(address[:4])
    assert f.end >= text.index(address) + len(address) - 2
    assert f.confidence >= 0.8
    assert f.masked.endswith("*") and address not in f.masked


def test_a_place_name_without_a_block_number_has_low_confidence():
    [f] = of_type("説明会は大阪府大阪市で開催した。", "address")
    assert f.confidence < 0.5


def test_no_address_from_a_prefecture_in_a_sentence_or_a_ward_inside_a_word():
    assert of_type("東京都において検討を行った。", "address") == []
    assert of_type("香港区域の調査1-2", "address") == []
