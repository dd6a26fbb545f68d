"""Check digits of the My Number and the corporate number, against published examples."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mamori.scan.detect.checkdigits import (
    corporate_check_digit,
    is_valid_corporate_number,
    is_valid_my_number,
    my_number_check_digit,
)


def test_my_number_check_digit_of_the_common_sample_number():
    # 「123456789018」 is the sample number used in the government's own examples.
    assert my_number_check_digit("12345678901") == 8
    assert is_valid_my_number("123456789018")


@pytest.mark.parametrize("wrong", ["123456789010", "123456789011", "123456789019"])
def test_a_wrong_last_digit_is_no_my_number(wrong):
    assert not is_valid_my_number(wrong)


def test_remainder_zero_and_one_both_give_check_digit_zero():
    # Σ = 0 (remainder 0) and a base whose weighted sum leaves remainder 1.
    assert my_number_check_digit("00000000000") == 0
    # weight of the rightmost base digit is 2, of the 7th from the right 2 as well
    base = "00000000000"
    for i in range(11):
        for d in range(10):
            candidate = base[:i] + str(d) + base[i + 1 :]
            total = sum(
                int(ch) * (n + 1 if n <= 6 else n - 5)
                for n, ch in enumerate(reversed(candidate), start=1)
            )
            if total % 11 == 1:
                assert my_number_check_digit(candidate) == 0
                return
    pytest.fail("no base with remainder 1 found")


def test_my_number_length_and_digits_are_checked():
    assert not is_valid_my_number("12345678901")
    assert not is_valid_my_number("1234567890188")
    assert not is_valid_my_number("１２３４５６７８９０１８")  # the detector normalises first
    with pytest.raises(ValueError):
        my_number_check_digit("1234567890")


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_exactly_one_check_digit_makes_a_valid_my_number(base):
    valid = [d for d in range(10) if is_valid_my_number(base + str(d))]
    assert valid == [my_number_check_digit(base)]


@pytest.mark.parametrize(
    "number",
    [
        "7000012050002",  # 国税庁
        "2021001052596",
        "5010401067252",
    ],
)
def test_published_corporate_numbers_are_valid(number):
    assert is_valid_corporate_number(number)
    assert corporate_check_digit(number[1:]) == int(number[0])


def test_a_corporate_number_with_another_leading_digit_is_invalid():
    assert not is_valid_corporate_number("8000012050002")
    assert not is_valid_corporate_number("700001205000")
