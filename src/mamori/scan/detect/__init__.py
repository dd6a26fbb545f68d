"""Detectors: classification and handling markings and Japanese personal information.

    detect(text, types=None) -> list[Finding]   # sorted by start

Matching runs on the NFKC form of the characters detectors read (full-width digits and
letters, half-width katakana, 「①」 …: see normalize.py) and every offset is mapped back
to the text given. No match spans PART_SEPARATOR. Pure Python, no Django.

Confidence: 0.85 and above when a value has its cue word (or table column) or its check
digit and shape make it unmistakable; 0.5 to 0.85 for likely values without a cue; below
0.5 for what is reported only so a reviewer can look: a My Number with no cue word, a
bare place name, a marking quoted inside a sentence about the rules.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from mamori.scan.detect.address import detect_addresses
from mamori.scan.detect.contact import detect_emails, detect_phones, detect_postal_codes
from mamori.scan.detect.context import Context
from mamori.scan.detect.dates import detect_birth_dates
from mamori.scan.detect.ids import (
    detect_bank_accounts,
    detect_document_ids,
    detect_health_insurance,
)
from mamori.scan.detect.markings import detect_markings
from mamori.scan.detect.names import detect_names
from mamori.scan.detect.numbers import detect_long_numbers
from mamori.scan.types import FINDING_TYPES, Finding

__all__ = ["detect"]

_ALL = frozenset(FINDING_TYPES)
_DIGIT = re.compile(r"[0-9]")
_UPPER_DIGIT = re.compile(r"[A-Z][A-Z][0-9]")


def detect(text: str, types: Collection[str] | None = None) -> list[Finding]:
    want = _ALL if types is None else frozenset(types) & _ALL
    if not text or not want:
        return []
    ctx = Context(text)
    if want & {"classification_marking", "handling_marking"}:
        detect_markings(ctx, "classification_marking" in want, "handling_marking" in want)
    if "email" in want:
        detect_emails(ctx)
    if "address" in want:
        detect_addresses(ctx)
    if "person_name" in want:
        detect_names(ctx)
    text = ctx.text  # normalised: 「①」 and 「１」 are digits here
    if _DIGIT.search(text):
        if want & {"my_number", "corporate_number", "drivers_license"}:
            detect_long_numbers(ctx, want)
        if "phone" in want:
            detect_phones(ctx)
        if "postal_code" in want:
            detect_postal_codes(ctx)
        if "bank_account" in want:
            detect_bank_accounts(ctx)
        if "health_insurance" in want:
            detect_health_insurance(ctx)
        if "birth_date" in want:
            detect_birth_dates(ctx)
        if want & {"passport", "residence_card"} and _UPPER_DIGIT.search(text):
            detect_document_ids(ctx, want)
    return ctx.finish()
