"""Writing to the trail. Call record() inside the transaction of the change it records.

prune() is the only way events leave the trail: whole closed segments, oldest first,
after their retention period, and it leaves a `trail.pruned` event behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamori.errors import MamoriError
from mamori.trail.chain import canonical_json, event_hash
from mamori.trail.models import Checkpoint, Event, TrailHead


def _describe(obj: models.Model | None) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk), str(obj)[:300]


def record(
    action: str,
    *,
    actor=None,
    obj: models.Model | None = None,
    data: dict | None = None,
    organization_id: int | None = None,
    actor_label: str | None = None,
) -> Event:
    """Append one event. `actor` is a User (or None for the system)."""
    object_type, object_id, object_label = _describe(obj)
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    if actor_label is None:
        person = getattr(actor, "person", None) if actor_id else None
        actor_label = (str(person) if person else actor.get_username()) if actor_id else "system"
    actor_label = actor_label[:200]
    data_json = canonical_json(data)
    with transaction.atomic(), connection.cursor() as cursor:
        last_seq, last_hash, segment, segment_first_seq = _lock_head(cursor)
        seq = last_seq + 1
        at = timezone.now()
        digest = event_hash(
            last_hash,
            seq,
            at,
            actor_id,
            actor_label,
            organization_id,
            action,
            object_type,
            object_id,
            object_label,
            data_json,
        )
        event = Event.objects.create(
            seq=seq,
            segment=segment,
            at=at,
            actor_id=actor_id,
            actor_label=actor_label,
            organization_id=organization_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_label=object_label,
            data_json=data_json,
            prev_hash=last_hash,
            hash=digest,
        )
        if seq - segment_first_seq + 1 >= settings.TRAIL_SEGMENT_SIZE:
            _close_segment(segment, segment_first_seq, event)
            segment, segment_first_seq = segment + 1, seq + 1
        _save_head(cursor, seq, digest, segment, segment_first_seq)
    return event


# The head is read and written with two plain statements: record() runs on every state
# change, and these two were most of its cost through model instances and save().


def _lock_head(cursor) -> tuple[int, str, int, int]:
    """The head row, locked until the transaction ends (SQLite: the whole database is,
    as mamori's transactions begin IMMEDIATE)."""
    table = connection.ops.quote_name(TrailHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = (
        f"SELECT last_seq, last_hash, segment, segment_first_seq "  # noqa: S608 (no input)
        f"FROM {table} WHERE id = 1{lock}"
    )
    cursor.execute(sql)
    row = cursor.fetchone()
    if row is None:  # the very first event (get_or_create copes with a concurrent first)
        TrailHead.objects.get_or_create(pk=1)
        cursor.execute(sql)
        row = cursor.fetchone()
    return row


def _save_head(cursor, last_seq: int, last_hash: str, segment: int, segment_first_seq: int) -> None:
    table = connection.ops.quote_name(TrailHead._meta.db_table)
    cursor.execute(
        f"UPDATE {table} SET last_seq = %s, last_hash = %s, "  # noqa: S608 (no input)
        f"segment = %s, segment_first_seq = %s WHERE id = 1",
        [last_seq, last_hash, segment, segment_first_seq],
    )


def _locked_head() -> TrailHead:
    head, _created = TrailHead.objects.select_for_update().get_or_create(pk=1)
    return head


def _close_segment(segment: int, first_seq: int, last: Event) -> None:
    if last.seq == first_seq:
        first_prev_hash, first_at = last.prev_hash, last.at
    else:
        first_prev_hash, first_at = (
            Event.objects.filter(seq=first_seq).values_list("prev_hash", "at").get()
        )
    Checkpoint.objects.create(
        segment=segment,
        first_seq=first_seq,
        last_seq=last.seq,
        start_hash=first_prev_hash,
        end_hash=last.hash,
        first_at=first_at,
        last_at=last.at,
    )


# --- pruning -------------------------------------------------------------------------------


class TrailTampered(MamoriError):
    """Pruning stopped: a segment due for deletion does not verify, so it is evidence."""

    status = 409
    code = "trail_tampered"


@dataclass(frozen=True)
class PruneResult:
    segments: tuple[int, ...]
    events: int
    first_seq: int | None = None
    last_seq: int | None = None


def start_of_day(day: date) -> datetime:
    """Midnight at the start of `day` in the deployment's time zone (Asia/Tokyo)."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def prune_segments(before: date, *, actor=None, dry_run: bool = False) -> PruneResult:
    """Delete the closed segments whose last event is before `before` (local date).

    Only a run of whole segments from the start of what remains is deleted, never one
    in the middle, and only after it still verifies (a tampered segment is kept as
    evidence). The checkpoints stay, marked pruned, so the rest still verifies."""
    from mamori.trail.verify import verify_segment

    cutoff = start_of_day(before)
    with transaction.atomic():
        head = _locked_head()  # no append or other prune runs meanwhile
        due = []
        for checkpoint in Checkpoint.objects.filter(
            pruned_at__isnull=True, segment__lt=head.segment
        ).order_by("segment"):
            if checkpoint.last_at >= cutoff:
                break
            due.append(checkpoint)
        if not due:
            return PruneResult((), 0)
        for checkpoint in due:
            problem = verify_segment(checkpoint)
            if not problem.ok:
                raise TrailTampered(
                    _("区間 %(segment)s は検証に失敗したため削除しません: %(reason)s")
                    % {"segment": checkpoint.segment, "reason": problem.reason},
                    details={"segment": checkpoint.segment, "seq": problem.first_bad_seq},
                )
        first_seq, last_seq = due[0].first_seq, due[-1].last_seq
        segments = tuple(c.segment for c in due)
        if dry_run:
            return PruneResult(segments, last_seq - first_seq + 1, first_seq, last_seq)
        deleted, _by_model = Event.objects.filter(seq__gte=first_seq, seq__lte=last_seq).delete()
        Checkpoint.objects.filter(segment__in=segments).update(pruned_at=timezone.now())
        record(
            "trail.pruned",
            actor=actor,
            data={
                "before": before.isoformat(),
                "segments": len(segments),
                "events": deleted,
                "first_seq": first_seq,
                "last_seq": last_seq,
                # verify() accepts a pruned start only as far as a trail.pruned event vouches.
                "through_segment": segments[-1],
            },
        )
    return PruneResult(segments, deleted, first_seq, last_seq)


def prune(before: date, actor=None) -> int:
    """Delete expired closed segments (see prune_segments); returns the events deleted."""
    return prune_segments(before, actor=actor).events
