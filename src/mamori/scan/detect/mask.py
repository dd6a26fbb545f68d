"""Masked forms of findings: what reports and the UI may show. A number never appears
whole: at most its last four characters stay, fewer for short numbers."""

from __future__ import annotations

import re

_ALNUM = re.compile(r"[^\W_]")
_NOT_ALNUM = re.compile(r"[\W_]+")
_ASCII_SEPARATORS = {ord(c): None for c in " -()+./_:"}


def mask_number(value: str, keep: int = 4) -> str:
    """Star every letter and digit except the last few, keeping separators, so
    「1234-5678-9018」 becomes 「****-****-9018」. At most a third of the characters stay."""
    if value.isdigit():  # the common case, quickly
        keep = min(keep, len(value) // 3)
        return "*" * (len(value) - keep) + value[len(value) - keep :]
    value = value.replace("\n", "").replace("\r", "")
    if value.isascii():  # digits with hyphens and spaces, passport numbers: quickly
        keep = min(keep, len(value.translate(_ASCII_SEPARATORS)) // 3)
    else:
        keep = min(keep, len(_NOT_ALNUM.sub("", value)) // 3)
    cut = len(value)
    while keep > 0 and cut > 0:
        cut -= 1
        if value[cut].isalnum():
            keep -= 1
    return _ALNUM.sub("*", value[:cut]) + value[cut:]


def mask_digits(value: str) -> str:
    """Every digit starred: dates keep their shape (「昭和**年*月**日」)."""
    return "".join("*" if ch.isdigit() else ch for ch in value if ch not in "\r\n")


def mask_name(value: str) -> str:
    chars = [ch for ch in value if not ch.isspace()]
    if not chars:
        return ""
    return chars[0] + "*" * max(1, len(chars) - 1)


def mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_address(value: str, keep: int) -> str:
    """The prefecture and municipality stay; the rest is starred."""
    head = value[:keep]
    return head + "*" * max(3, min(8, len(value) - keep))
