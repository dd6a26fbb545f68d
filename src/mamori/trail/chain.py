"""The hash rule of the chain, kept apart so record() and verify() cannot drift."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime


def canonical_json(data: dict | None) -> str:
    return json.dumps(data or {}, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str)


def format_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(prev_hash: str, seq: int, at: datetime, actor_id: int | None, actor_label: str,
               organization_id: int | None, action: str, object_type: str, object_id: str,
               object_label: str, data_json: str) -> str:
    body = "\x1f".join((
        prev_hash, str(seq), format_time(at), "" if actor_id is None else str(actor_id),
        actor_label, "" if organization_id is None else str(organization_id), action,
        object_type, object_id, object_label, data_json,
    ))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
