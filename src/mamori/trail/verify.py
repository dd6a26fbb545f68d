"""Proving the trail intact: `mamori trail verify`.

verify() reads the trail head first and checks everything up to it, so events appended
meanwhile are left for the next run. It streams raw rows in seq order, keyset-paged,
without building model instances or datetimes (`at` is read as text: SQLite's stored UTC
text, or the hashed form written by PostgreSQL), and recomputes every hash with the
rule in chain.py. It stops at the first problem and
names the event (seq) where the trail stops being trustworthy.

What it catches: a changed field of any event (hash), a deleted event (sequence gap),
rows swapped or renumbered (prev_hash no longer follows), a changed or missing
checkpoint, checkpoints that no longer chain, a deleted tail (the head disagrees with
the last event), and events deleted from the start that no `trail.pruned` event vouches
for. It cannot catch a rewrite of the whole chain from some point on by someone with
write access to the database: anchor the head hash outside (print it into a report,
send it to another system) when that matters.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import connection, models
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from mamori.trail.chain import SEPARATOR, format_time, time_text
from mamori.trail.models import GENESIS_HASH, Checkpoint, Event, TrailHead

_COLUMNS = (
    "seq",
    "segment",
    "at",
    "actor_id",
    "actor_label",
    "organization_id",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "data_json",
    "prev_hash",
    "hash",
)
_PRUNED = "trail.pruned"
# chain.format_time's form, "2026-04-01T03:04:05.123456Z", produced by PostgreSQL.
_PG_HASHED_TIME = """to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""


@dataclass(frozen=True)
class Result:
    ok: bool
    checked: int
    first_bad_seq: int | None
    reason: str


@dataclass
class _Segment:
    """What the events of one segment must agree with: its checkpoint, or the open one."""

    number: int
    first_seq: int
    last_seq: int  # for the open segment: the head's last_seq
    end_hash: str | None  # None for the open segment (the head is checked at the end)
    first_at: str | None = None
    last_at: str | None = None


class _Failure(Exception):
    def __init__(self, seq: int | None, reason: str) -> None:
        super().__init__(reason)
        self.seq, self.reason = seq, reason


def _rows(after: int, last_seq: int, batch: int):
    """Raw event rows with after < seq <= last_seq, in seq order, `batch` per query."""
    events = Event.objects.order_by("seq")
    columns = list(_COLUMNS)
    # Read `at` as text rather than have the driver build a datetime for every event,
    # which would cost more than the hash itself.
    if connection.vendor == "sqlite":  # the UTC text Django stored
        events = events.annotate(at_text=Cast("at", output_field=models.TextField()))
        columns[columns.index("at")] = "at_text"
    elif connection.vendor == "postgresql":  # the hashed form, written by the server
        events = events.annotate(
            at_text=models.Func(
                models.F("at"), template=_PG_HASHED_TIME, output_field=models.TextField()
            )
        )
        columns[columns.index("at")] = "at_text"
    with connection.cursor() as cursor:
        while after < last_seq:
            query = events.filter(seq__gt=after, seq__lte=last_seq).values_list(*columns)[:batch]
            sql, params = query.query.sql_with_params()
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            if not rows:
                return
            yield rows
            if len(rows) < batch:
                return
            after = rows[-1][0]


class _Scan:
    """Walks the events once; keeps the state a failure message needs."""

    def __init__(self, first_seq: int, prev_hash: str, segments: list[_Segment]) -> None:
        self.expected_seq = first_seq
        self.expected_prev = prev_hash
        self.segments = segments
        self.checked = 0
        self.vouched_through = -1  # highest segment a trail.pruned event says it deleted

    def run(self, last_seq: int, batch: int) -> None:
        """Check the events from expected_seq up to last_seq; raise _Failure at the first
        bad one. Hot loop: locals only, one comparison per event for segment bounds."""
        segments = iter(self.segments)
        segment = next(segments, None)
        if segment is None or self.expected_seq > last_seq:
            return
        number, mark, closing = segment.number, segment.first_seq, False
        expected_seq = start = self.expected_seq
        expected_prev = self.expected_prev
        # The hash rule of chain.hash_text and chain.time_text, written out here because
        # two calls per event cost a tenth of the run; every verify test compares it
        # with record(), which uses chain.py, so the two cannot drift unnoticed.
        sha256, join, pruned_action = hashlib.sha256, SEPARATOR.join, _PRUNED
        # fmt: off
        try:
            for rows in _rows(expected_seq - 1, last_seq, batch):
                for (seq, seg, at, actor_id, actor_label, organization_id, action, object_type,
                     object_id, object_label, data_json, prev_hash, digest) in rows:
                    if seq != expected_seq:
                        raise _missing(expected_seq)
                    if prev_hash != expected_prev:
                        raise _broken_link(seq)
                    if (at.__class__ is str and len(at) == 26 and at[10] == " "
                            and at[19] == "." and at[20:].isdigit()):
                        at_text = f"{at[:10]}T{at[11:]}Z"
                    else:
                        at_text = time_text(at)
                    body = join((
                        prev_hash, str(seq), at_text, "" if actor_id is None else str(actor_id),
                        actor_label, "" if organization_id is None else str(organization_id),
                        action, object_type, object_id, object_label, data_json))
                    if sha256(body.encode("utf-8")).hexdigest() != digest:
                        raise _altered(seq)
                    if seg != number:
                        raise _bad_segment(seq, seg, number)
                    if seq == mark:  # the first or last event of a segment
                        if not closing:
                            if segment.first_at is not None and at_text != segment.first_at:
                                raise _checkpoint_mismatch(seq, number)
                            closing, mark = True, segment.last_seq
                        if seq == mark and segment.end_hash is not None:
                            if digest != segment.end_hash or at_text != segment.last_at:
                                raise _checkpoint_mismatch(seq, number)
                            segment = next(segments, None)
                            if segment is None:  # past the last segment expected
                                number, mark, closing = None, -1, True
                            else:
                                number, mark, closing = segment.number, segment.first_seq, False
                    if action == pruned_action:
                        self._note_pruned(data_json)
                    expected_seq, expected_prev = seq + 1, digest
        finally:
            self.expected_seq, self.expected_prev = expected_seq, expected_prev
            self.checked += expected_seq - start
        # fmt: on

    def _note_pruned(self, data_json: str) -> None:
        try:
            through = int(json.loads(data_json).get("through_segment", -1))
        except (ValueError, TypeError, AttributeError):
            through = -1
        self.vouched_through = max(self.vouched_through, through)


def _broken_link(seq: int) -> _Failure:
    return _Failure(
        seq,
        _(
            "イベント #%(seq)s: 直前のイベントとつながりません"
            "（行が削除されたか入れ替えられています）"
        )
        % {"seq": seq},
    )


def _altered(seq: int) -> _Failure:
    return _Failure(
        seq, _("イベント #%(seq)s: ハッシュが一致しません（行が改変されています）") % {"seq": seq}
    )


def _bad_segment(seq: int, found: int, expected: int) -> _Failure:
    return _Failure(
        seq,
        _("イベント #%(seq)s: 区間番号が改変されています（%(found)s、正しくは %(expected)s）")
        % {"seq": seq, "found": found, "expected": expected},
    )


def _missing(seq: int) -> _Failure:
    return _Failure(
        seq,
        _("イベント #%(seq)s がありません（行が削除されたか連番が改変されています）")
        % {"seq": seq},
    )


def _checkpoint_mismatch(seq: int, segment: int) -> _Failure:
    return _Failure(
        seq,
        _(
            "イベント #%(seq)s: 区間 %(segment)s のチェックポイントと一致しません"
            "（チェックポイントが改変されています）"
        )
        % {"seq": seq, "segment": segment},
    )


def _read_head() -> tuple[int, str, int, int] | None:
    return (
        TrailHead.objects.filter(pk=1)
        .values_list("last_seq", "last_hash", "segment", "segment_first_seq")
        .first()
    )


def verify(batch: int = 5000) -> Result:
    """Check the whole trail; see the module docstring for what that covers."""
    if batch < 1:
        raise ValueError("batch must be at least 1")
    scan = None
    try:
        head = _read_head()
        if head is None:
            first = Event.objects.order_by("seq").values_list("seq", flat=True).first()
            if first is not None or Checkpoint.objects.exists():
                raise _Failure(first or 1, _("証跡の先頭情報（TrailHead）がありません"))
            return Result(True, 0, None, "")
        last_seq, last_hash, open_segment, open_first_seq = head
        checkpoints = list(Checkpoint.objects.filter(segment__lt=open_segment).order_by("segment"))
        pruned, valid, pending = _check_checkpoints(checkpoints, open_first_seq, last_seq)
        _check_not_kept(pruned)
        segments = [
            _Segment(
                c.segment,
                c.first_seq,
                c.last_seq,
                c.end_hash,
                format_time(c.first_at),
                format_time(c.last_at),
            )
            for c in checkpoints[len(pruned) : valid]
        ]
        if pending is None:
            segments.append(_Segment(open_segment, open_first_seq, last_seq, None))
        scan = _Scan(
            pruned[-1].last_seq + 1 if pruned else 1,
            pruned[-1].end_hash if pruned else GENESIS_HASH,
            segments,
        )
        # With a broken checkpoint, the events before it are still checked first, so
        # that the earliest problem is the one reported.
        scan.run(last_seq if pending is None else min(last_seq, pending.seq - 1), batch)
        if pending is not None:
            raise pending
        _check_vouched(scan, pruned)
        _check_tail(scan, last_seq, last_hash)
    except _Failure as failure:
        return Result(False, scan.checked if scan else 0, failure.seq, failure.reason)
    return Result(True, scan.checked, None, "")


def _check_checkpoints(
    checkpoints: list[Checkpoint], open_first_seq: int, last_seq: int
) -> tuple[list[Checkpoint], int, _Failure | None]:
    """Checkpoints must cover 1..n without gaps and chain by hash; pruned ones come first.

    Returns the pruned checkpoints, how many checkpoints are sound, and the failure
    that stopped the check (None when all are sound)."""
    expected_first, expected_start = 1, GENESIS_HASH
    pruned: list[Checkpoint] = []
    for index, checkpoint in enumerate(checkpoints):
        if checkpoint.segment != index:
            return (
                pruned,
                index,
                _Failure(
                    expected_first,
                    _("イベント #%(seq)s: 区間 %(segment)s のチェックポイントがありません")
                    % {"seq": expected_first, "segment": index},
                ),
            )
        if (
            checkpoint.first_seq != expected_first
            or checkpoint.last_seq < checkpoint.first_seq
            or checkpoint.start_hash != expected_start
        ):
            return (
                pruned,
                index,
                _Failure(
                    expected_first,
                    _(
                        "イベント #%(seq)s: 区間 %(segment)s のチェックポイントが前の区間とつながりません"
                        "（チェックポイントが改変されています）"
                    )
                    % {"seq": expected_first, "segment": index},
                ),
            )
        if checkpoint.pruned_at is not None:
            if len(pruned) != index:
                return (
                    pruned,
                    index,
                    _Failure(
                        checkpoint.first_seq,
                        _(
                            "イベント #%(seq)s: 区間 %(segment)s は削除済みとされていますが、"
                            "それより前の区間が残っています（チェックポイントが改変されています）"
                        )
                        % {"seq": checkpoint.first_seq, "segment": index},
                    ),
                )
            pruned.append(checkpoint)
        expected_first, expected_start = checkpoint.last_seq + 1, checkpoint.end_hash
    if open_first_seq != expected_first or last_seq < open_first_seq - 1:
        return (
            pruned,
            len(checkpoints),
            _Failure(
                expected_first,
                _("イベント #%(seq)s: 証跡の先頭情報が最後のチェックポイントとつながりません")
                % {"seq": expected_first},
            ),
        )
    return pruned, len(checkpoints), None


def _check_not_kept(pruned: list[Checkpoint]) -> None:
    """A segment marked pruned must have no events left."""
    if not pruned:
        return
    left = (
        Event.objects.filter(seq__lte=pruned[-1].last_seq)
        .order_by("seq")
        .values_list("seq", flat=True)
        .first()
    )
    if left is not None:
        segment = next(c.segment for c in pruned if left <= c.last_seq)
        raise _Failure(
            left,
            _(
                "イベント #%(seq)s: 削除済みとされた区間 %(segment)s に残っています"
                "（チェックポイントが改変されています）"
            )
            % {"seq": left, "segment": segment},
        )


def _check_tail(scan: _Scan, last_seq: int, last_hash: str) -> None:
    if scan.expected_seq <= last_seq:
        raise _Failure(
            scan.expected_seq,
            _(
                "イベント #%(seq)s 以降がありません（末尾が削除されています。最後は #%(last)s のはずです）"
            )
            % {"seq": scan.expected_seq, "last": last_seq},
        )
    if scan.expected_prev != last_hash:
        raise _Failure(
            last_seq,
            _("イベント #%(seq)s: 証跡の先頭情報のハッシュと一致しません") % {"seq": last_seq},
        )
    # Events past the head we read are fine if they were appended meanwhile, which
    # moves the head on; a head set back while events remain past it is not.
    beyond = (
        Event.objects.filter(seq__gt=last_seq).order_by("seq").values_list("seq", flat=True).first()
    )
    if beyond is not None:
        head = _read_head()
        if head is None or head[0] <= last_seq:
            raise _Failure(
                beyond,
                _("イベント #%(seq)s: 証跡の先頭情報より後にあります（先頭情報が改変されています）")
                % {"seq": beyond},
            )


def _check_vouched(scan: _Scan, pruned: list[Checkpoint]) -> None:
    """Segments deleted from the start must be vouched for by a trail.pruned event."""
    for checkpoint in pruned:
        if checkpoint.segment > scan.vouched_through:
            raise _Failure(
                checkpoint.first_seq,
                _("イベント #%(first)s〜#%(last)s: trail.pruned の記録なしに削除されています")
                % {"first": checkpoint.first_seq, "last": pruned[-1].last_seq},
            )


def verify_segment(checkpoint: Checkpoint, batch: int = 5000) -> Result:
    """Check one closed segment on its own, against its checkpoint (used before pruning)."""
    scan = _Scan(
        checkpoint.first_seq,
        checkpoint.start_hash,
        [
            _Segment(
                checkpoint.segment,
                checkpoint.first_seq,
                checkpoint.last_seq,
                checkpoint.end_hash,
                format_time(checkpoint.first_at),
                format_time(checkpoint.last_at),
            )
        ],
    )
    try:
        scan.run(checkpoint.last_seq, batch)
        if scan.expected_seq <= checkpoint.last_seq:
            raise _missing(scan.expected_seq)
    except _Failure as failure:
        return Result(False, scan.checked, failure.seq, failure.reason)
    return Result(True, scan.checked, None, "")
