"""Check digits of the My Number (個人番号) and the corporate number (法人番号)."""

from __future__ import annotations

from operator import mul

# Q_n for n = 1.. (digits counted from the right, the check digit left out).
_MY_NUMBER_WEIGHTS = tuple(n + 1 if n <= 6 else n - 5 for n in range(1, 12))
_CORPORATE_WEIGHTS = tuple(1 if n % 2 else 2 for n in range(1, 13))


def my_number_check_digit(first11: str) -> int:
    """行政手続における特定の個人を識別するための番号の利用等に関する法律施行令/
    施行規則 (総務省令) 第5条: with P_n the n-th of the 11 base digits counted from the
    right and Q_n = n + 1 for n = 1..6, n - 5 for n = 7..11, the remainder r = ΣP_n×Q_n
    mod 11 gives check digit 0 when r ≤ 1 and 11 − r otherwise."""
    if len(first11) != 11 or not first11.isascii() or not first11.isdigit():
        raise ValueError("eleven ASCII digits expected")
    total: int = sum(map(mul, map(int, reversed(first11)), _MY_NUMBER_WEIGHTS))
    r = total % 11
    return 0 if r <= 1 else 11 - r


def is_valid_my_number(digits: str) -> bool:
    if len(digits) != 12 or not digits.isascii() or not digits.isdigit():
        return False
    return my_number_check_digit(digits[:11]) == int(digits[11])


def corporate_check_digit(base12: str) -> int:
    """法人番号の指定等に関する省令 第2条: with P_n the n-th of the 12 base digits counted
    from the right and Q_n = 1 for odd n, 2 for even n, the leading check digit is
    9 − (ΣP_n×Q_n mod 9)."""
    if len(base12) != 12 or not base12.isascii() or not base12.isdigit():
        raise ValueError("twelve ASCII digits expected")
    total: int = sum(map(mul, map(int, reversed(base12)), _CORPORATE_WEIGHTS))
    return 9 - total % 9


def is_valid_corporate_number(digits: str) -> bool:
    if len(digits) != 13 or not digits.isascii() or not digits.isdigit():
        return False
    return corporate_check_digit(digits[1:]) == int(digits[0])
