"""Writing to the trail. Call record() inside the transaction of the change it records."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from mamori.trail.chain import canonical_json, event_hash
from mamori.trail.models import Checkpoint, Event, TrailHead


def _describe(obj: models.Model | None) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk), str(obj)[:300]


def record(action: str, *, actor=None, obj: models.Model | None = None, data: dict | None = None,
           organization_id: int | None = None, actor_label: str | None = None) -> Event:
    """Append one event. `actor` is a User (or None for the system)."""
    object_type, object_id, object_label = _describe(obj)
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    if actor_label is None:
        person = getattr(actor, "person", None) if actor_id else None
        actor_label = (str(person) if person else actor.get_username()) if actor_id else "system"
    data_json = canonical_json(data)
    size = settings.TRAIL_SEGMENT_SIZE
    with transaction.atomic():
        head, _ = TrailHead.objects.select_for_update().get_or_create(pk=1)
        seq = head.last_seq + 1
        at = timezone.now()
        digest = event_hash(head.last_hash, seq, at, actor_id, actor_label, organization_id,
                            action, object_type, object_id, object_label, data_json)
        event = Event.objects.create(
            seq=seq, segment=(seq - 1) // size, at=at, actor_id=actor_id, actor_label=actor_label,
            organization_id=organization_id, action=action, object_type=object_type,
            object_id=object_id, object_label=object_label, data_json=data_json,
            prev_hash=head.last_hash, hash=digest)
        if seq % size == 0:
            _close_segment(event, size)
        TrailHead.objects.filter(pk=1).update(last_seq=seq, last_hash=digest)
    return event


def _close_segment(last: Event, size: int) -> None:
    first = Event.objects.only("seq", "prev_hash", "at").get(seq=last.seq - size + 1)
    Checkpoint.objects.create(
        segment=last.segment, first_seq=first.seq, last_seq=last.seq, start_hash=first.prev_hash,
        end_hash=last.hash, first_at=first.at, last_at=last.at)
