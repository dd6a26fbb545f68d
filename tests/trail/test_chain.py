"""The hash rule: the time form that is hashed, whatever shape the database returns."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from mamori.trail.chain import event_hash, format_time, hash_text, time_text

AT = datetime(2026, 4, 1, 3, 4, 5, 123456, tzinfo=UTC)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2026-04-01 03:04:05.123456", "2026-04-01T03:04:05.123456Z"),  # SQLite, as Django stores
        ("2026-04-01 03:04:05", "2026-04-01T03:04:05.000000Z"),  # SQLite, whole second
        ("2026-04-01 03:04:05.123+00", "2026-04-01T03:04:05.123000Z"),  # PostgreSQL text
        ("2026-04-01 12:04:05.123456+09:00", "2026-04-01T03:04:05.123456Z"),
        (AT, "2026-04-01T03:04:05.123456Z"),
        (AT.astimezone(ZoneInfo("Asia/Tokyo")), "2026-04-01T03:04:05.123456Z"),
        (AT.replace(tzinfo=None), "2026-04-01T03:04:05.123456Z"),  # naive: UTC, as stored
    ],
)
def test_time_text_gives_one_form_for_one_instant(raw, expected):
    assert time_text(raw) == expected


@pytest.mark.parametrize("raw", ["not a time", "2026-13-01T00:00:00+00:00", ""])
def test_time_text_keeps_garbage_as_is_so_the_hash_fails(raw):
    assert time_text(raw) == raw


def test_event_hash_is_hash_text_over_the_utc_time():
    fields = (
        7,
        "職員 1号",
        3,
        "approvals.request.approved",
        "approvals.request",
        "12",
        "申請 12",
        '{"a":1}',
    )
    assert event_hash("0" * 64, 5, AT, *fields) == hash_text("0" * 64, 5, format_time(AT), *fields)
    assert event_hash("0" * 64, 5, AT, *fields) != event_hash("0" * 64, 6, AT, *fields)
    # Absent ids hash as empty strings, not as "None".
    assert hash_text("0" * 64, 1, "t", None, "", None, "a", "", "", "", "{}") == hash_text(
        "0" * 64, 1, "t", "", "", "", "a", "", "", "", "{}"
    )
