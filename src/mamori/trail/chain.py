"""The hash rule of the chain, kept apart so record() and verify() cannot drift.

An event's hash is SHA-256 over its fields joined by U+001F (unit separator), in this
order: prev_hash, seq, at (UTC, "YYYY-MM-DDTHH:MM:SS.ffffffZ"), actor id, actor label,
organisation id, action, object type, object id, object label, data (canonical JSON).
An absent id is the empty string. An outside verifier needs nothing more than this.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime

SEPARATOR = "\x1f"


def canonical_json(data: dict | None) -> str:
    return json.dumps(
        data or {}, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    )


def format_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def time_text(value: datetime | str) -> str:
    """The hashed form of `at` from a raw database value, without building a datetime.

    SQLite hands back the UTC text Django stored ("2025-04-01 03:04:05.123456", the
    fraction left out when it is zero); PostgreSQL an aware datetime, or the hashed form
    itself when asked for it with to_char (as verify() does). Text of
    any other shape is parsed the slow way, so an equivalent rewrite of the same instant
    is not mistaken for tampering while any change of the instant still is."""
    if isinstance(value, str):
        if len(value) == 27 and value[10] == "T" and value[26] == "Z" and value[20:26].isdigit():
            return value  # already the hashed form (verify() has PostgreSQL write it so)
        if len(value) == 26 and value[10] == " " and value[19] == "." and value[20:].isdigit():
            return f"{value[:10]}T{value[11:]}Z"
        if len(value) == 19 and value[10] == " " and value[16] == ":" and value[17:].isdigit():
            return f"{value[:10]}T{value[11:]}.000000Z"
        try:
            parsed = parse_datetime(value)
        except ValueError:
            parsed = None
        if parsed is None:
            return value  # not a time at all: hashing it as is makes the mismatch show
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return format_time(parsed)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return format_time(value)


def hash_text(
    prev_hash: str,
    seq: int,
    at_text: str,
    actor_id: int | None,
    actor_label: str,
    organization_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    object_label: str,
    data_json: str,
) -> str:
    """The hash, given `at` already in its hashed form (see time_text)."""
    body = SEPARATOR.join(
        (
            prev_hash,
            str(seq),
            at_text,
            "" if actor_id is None else str(actor_id),
            actor_label,
            "" if organization_id is None else str(organization_id),
            action,
            object_type,
            object_id,
            object_label,
            data_json,
        )
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def event_hash(
    prev_hash: str,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    organization_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    object_label: str,
    data_json: str,
) -> str:
    return hash_text(
        prev_hash,
        seq,
        format_time(at),
        actor_id,
        actor_label,
        organization_id,
        action,
        object_type,
        object_id,
        object_label,
        data_json,
    )
