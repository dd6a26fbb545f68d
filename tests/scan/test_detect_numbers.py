"""My Number, corporate number and driver's licence number."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mamori.scan.detect import detect
from mamori.scan.detect.checkdigits import corporate_check_digit, my_number_check_digit
from mamori.scan.types import PART_SEPARATOR

VALID = "123456789018"
INVALID = "123456789012"
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def of_type(text, type_):
    return [f for f in detect(text) if f.type == type_]


def shown(text, finding):
    return text[finding.start : finding.end]


def test_a_valid_my_number_after_its_keyword_is_found_with_high_confidence():
    text = f"個人番号：{VALID}"
    [f] = of_type(text, "my_number")
    assert shown(text, f) == VALID
    assert f.confidence >= 0.85
    assert f.line == 1


def test_a_wrong_check_digit_is_never_a_my_number_even_after_the_keyword():
    assert of_type(f"マイナンバー：{INVALID}", "my_number") == []
    assert of_type(INVALID, "my_number") == []


def test_without_a_keyword_the_confidence_is_lower():
    [bare] = of_type(f"番号 {VALID} を記載", "my_number")
    [cued] = of_type(f"マイナンバー {VALID} を記載", "my_number")
    assert bare.confidence <= 0.5 < 0.85 <= cued.confidence


def test_a_keyword_in_an_earlier_sentence_does_not_count():
    text = f"本件で個人番号の取扱いはない。管理番号{VALID}の機器を更新する。"
    [f] = of_type(text, "my_number")
    assert f.confidence <= 0.5


def test_full_width_digits_and_4_4_4_groups():
    for written in (
        VALID.translate(FULL),
        "1234-5678-9018",
        "1234 5678 9018",
        "１２３４－５６７８－９０１８",
        "１２３４　５６７８　９０１８",
    ):
        text = f"通知カード番号 {written}。"
        [f] = of_type(text, "my_number")
        assert shown(text, f) == written


def test_mixed_groupings_are_not_a_my_number():
    assert of_type("個人番号 123-456789-018", "my_number") == []


def test_a_number_broken_across_one_line_break_is_found():
    for written in ("12345678\n9018", "1234-5678-\n9018", "1234 5678\n9018", "123\n456789018"):
        text = f"個人番号：{written}\n以上"
        [f] = of_type(text, "my_number")
        assert shown(text, f) == written
        assert f.line == 1


def test_a_number_split_by_part_separator_is_not_found():
    text = f"個人番号：12345678{PART_SEPARATOR}9018"
    assert of_type(text, "my_number") == []
    assert of_type("個人番号：1234\n\n56789018", "my_number") == []


def test_no_my_number_inside_a_longer_digit_run():
    assert of_type(f"個人番号 1{VALID}", "my_number") == []
    assert of_type(f"個人番号 {VALID}5", "my_number") == []
    assert of_type(f"個人番号 12-{VALID}", "my_number") == []


def test_a_card_number_in_four_groups_is_no_my_number():
    assert of_type("個人番号 1234 5678 9018 3456", "my_number") == []


def test_masked_value_never_holds_the_whole_number():
    for written in (VALID, "1234-5678-9018", "12345678\n9018", VALID.translate(FULL)):
        [f] = of_type(f"個人番号 {written}", "my_number")
        digits = "".join(ch for ch in f.masked if ch.isdigit())
        assert len(digits) <= 4
        assert f.masked.endswith("9018") or f.masked.endswith("９０１８")
        assert VALID not in f.masked


def test_a_table_column_headed_個人番号_counts_as_the_keyword():
    text = "氏名\t個人番号\t電話\n山田太郎\t123456789018\t03-1234-5678\n"
    [f] = of_type(text, "my_number")
    assert f.confidence >= 0.85
    assert f.line == 2
    csv = "氏名,マイナンバー\n佐藤花子,123456789018\n"
    [g] = of_type(csv, "my_number")
    assert g.confidence >= 0.85


def test_offsets_point_into_the_original_text_after_characters_nfkc_changes():
    prefix = "ｶﾞｲﾄﾞ①㈱ﾃｽﾄ　"
    text = f"{prefix}個人番号：{VALID.translate(FULL)}"
    [f] = of_type(text, "my_number")
    assert shown(text, f) == VALID.translate(FULL)


def test_a_13_digit_corporate_number_is_not_a_my_number():
    text = "法人番号 7000012050002"
    assert of_type(text, "my_number") == []
    [f] = of_type(text, "corporate_number")
    assert shown(text, f) == "7000012050002"
    assert f.confidence >= 0.85
    assert "7000012050002" not in f.masked


def test_a_13_digit_run_with_a_wrong_check_digit_is_nothing():
    assert of_type("法人番号 8000012050002", "corporate_number") == []
    assert of_type("法人番号 8000012050002", "my_number") == []


def test_a_licence_number_is_reported_as_a_licence_not_a_my_number():
    text = f"マイナンバー：{VALID}\n運転免許証番号：{VALID}"
    found = {(f.type, f.line) for f in detect(text)}
    assert ("my_number", 1) in found
    assert ("drivers_license", 2) in found
    assert ("my_number", 2) not in found


def test_a_licence_number_is_no_my_number_when_only_my_numbers_are_asked_for():
    assert detect(f"運転免許証番号：{VALID}", types=["my_number"]) == []


def test_types_limit_what_is_reported():
    text = f"個人番号 {VALID} 電話 03-1234-5678"
    assert {f.type for f in detect(text, types=["phone"])} == {"phone"}
    assert detect(text, types=[]) == []


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="0123456789", min_size=11, max_size=11),
    st.sampled_from(["", " ", "-"]),
    st.booleans(),
    st.sampled_from(["個人番号：", "マイナンバー ", "通知カードの番号は"]),
)
def test_every_valid_my_number_with_a_keyword_is_found(base, sep, full_width, cue):
    number = base + str(my_number_check_digit(base))
    written = sep.join((number[:4], number[4:8], number[8:]))
    if full_width:
        written = written.translate(FULL)
    text = f"申請書\n{cue}{written}\n"
    [f] = of_type(text, "my_number")
    assert shown(text, f) == written
    assert f.confidence >= 0.85
    assert number not in f.masked


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.integers(1, 9))
def test_no_wrong_check_digit_is_ever_reported(base, shift):
    number = base + str((my_number_check_digit(base) + shift) % 10)
    assert of_type(f"個人番号：{number}", "my_number") == []


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_corporate_numbers_found_from_any_base(base12):
    number = f"{corporate_check_digit(base12)}{base12}"
    [f] = of_type(f"法人番号：{number}", "corporate_number")
    assert f.end - f.start == 13
