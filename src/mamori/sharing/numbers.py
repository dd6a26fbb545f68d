"""Reference numbers of reports, alerts and drills.

A row gets its readable number (R-2026-000123) from its primary key, so it is first saved
under a unique placeholder. The placeholder must fit the column (24 characters): SQLite does
not enforce the length, PostgreSQL does."""

from __future__ import annotations

import secrets

PLACEHOLDER_PREFIX = "tmp-"


def placeholder_number() -> str:
    """A unique temporary number of exactly 24 characters."""
    return PLACEHOLDER_PREFIX + secrets.token_hex(10)
