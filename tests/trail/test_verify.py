"""record() chains events; verify() proves the chain and names the first bad event."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mamori.trail.chain import event_hash
from mamori.trail.models import GENESIS_HASH, Checkpoint, Event, TrailHead
from mamori.trail.services import record
from mamori.trail.verify import verify

pytestmark = pytest.mark.django_db

FIELDS = (
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


def test_record_chains_each_event_to_the_one_before(events, staff):
    first, second = events(2)
    third = record(
        "test.other",
        actor=staff.user,
        obj=staff,
        data={"b": 2, "a": 1},
        organization_id=staff.organization_id,
    )
    assert (first.seq, second.seq, third.seq) == (1, 2, 3)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert third.actor_label == str(staff) and third.object_type == "org.person"
    assert third.object_id == str(staff.pk) and third.data_json == '{"a":1,"b":2}'
    stored = Event.objects.get(seq=3)
    assert stored.hash == event_hash(
        stored.prev_hash,
        3,
        stored.at,
        staff.user.pk,
        str(staff),
        staff.organization_id,
        "test.other",
        "org.person",
        str(staff.pk),
        str(staff),
        '{"a":1,"b":2}',
    )
    head = TrailHead.objects.get()
    assert (head.last_seq, head.last_hash) == (3, third.hash)


def test_segments_close_with_a_checkpoint(events, small_segments):
    recorded = events(25)
    checkpoints = list(
        Checkpoint.objects.values_list("segment", "first_seq", "last_seq", "start_hash", "end_hash")
    )
    assert checkpoints == [
        (0, 1, 10, GENESIS_HASH, recorded[9].hash),
        (1, 11, 20, recorded[9].hash, recorded[19].hash),
    ]
    assert [e.segment for e in recorded[19:22]] == [1, 2, 2]


def test_clean_chain_verifies(events, small_segments):
    events(37)
    result = verify(batch=7)  # a batch size that does not divide anything
    assert result.ok, result.reason
    assert (result.checked, result.first_bad_seq) == (37, None)


def test_empty_trail_verifies(db):
    result = verify()
    assert result.ok and result.checked == 0


@pytest.mark.parametrize(
    "field, value",
    [
        ("data_json", '{"n":999}'),
        ("actor_label", "someone else"),
        ("action", "test.harmless"),
        ("organization_id", 999),
        ("object_label", "別の対象"),
    ],
)
def test_an_altered_field_is_detected(events, field, value):
    events(10)
    Event.objects.filter(seq=6).update(**{field: value})
    result = verify()
    assert not result.ok
    assert result.first_bad_seq == 6 and result.checked == 5
    assert "#6" in result.reason


def test_an_altered_time_is_detected(events):
    events(10)
    at = Event.objects.get(seq=4).at
    Event.objects.filter(seq=4).update(at=at + timedelta(microseconds=1))
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 4)


def test_an_altered_segment_number_is_detected(events, small_segments):
    events(15)
    Event.objects.filter(seq=12).update(segment=0)
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 12)


def test_a_deleted_row_is_detected(events):
    events(10)
    Event.objects.filter(seq=5).delete()
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 5)
    assert "#5" in result.reason


def test_a_deleted_row_renumbered_over_is_detected(events):
    """Close the gap by renumbering: the next row no longer follows."""
    events(10)
    Event.objects.filter(seq=5).delete()
    for seq in range(6, 11):
        Event.objects.filter(seq=seq).update(seq=seq - 1)
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 5)


def _swap_contents(a: int, b: int) -> None:
    rows = {row["seq"]: row for row in Event.objects.filter(seq__in=[a, b]).values("seq", *FIELDS)}
    for target, source in ((a, b), (b, a)):
        values = {field: rows[source][field] for field in FIELDS}
        Event.objects.filter(seq=target).update(**values)


def test_two_rows_with_swapped_contents_are_detected(events):
    events(10)
    _swap_contents(4, 7)
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 4)
    assert "#4" in result.reason


def test_two_rows_with_swapped_seq_numbers_are_detected(events):
    events(10)
    Event.objects.filter(seq=3).update(seq=-3)
    Event.objects.filter(seq=8).update(seq=3)
    Event.objects.filter(seq=-3).update(seq=8)
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 3)


def test_a_deleted_tail_is_detected(events):
    events(10)
    Event.objects.filter(seq__gte=8).delete()
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 8)
    assert "#8" in result.reason and "#10" in result.reason


def test_a_deleted_tail_with_its_checkpoint_is_detected(events, small_segments):
    events(25)
    Event.objects.filter(seq__gte=11).delete()
    Checkpoint.objects.filter(segment=1).delete()
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 11)


def test_a_head_set_back_with_the_tail_is_detected(events):
    """Delete the tail and make the head agree: the rows past the head give it away
    only while they remain; a rewritten head without them is beyond a hash chain."""
    recorded = events(10)
    TrailHead.objects.update(last_seq=7, last_hash=recorded[6].hash)
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 8)


def test_a_deleted_head_row_is_detected(events):
    events(3)
    TrailHead.objects.all().delete()
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 1)


@pytest.mark.parametrize("field", ["end_hash", "start_hash"])
def test_a_tampered_checkpoint_is_detected(events, small_segments, field):
    events(35)
    Checkpoint.objects.filter(segment=1).update(**{field: "f" * 64})
    result = verify()
    assert not result.ok
    # end_hash of segment 1 no longer matches its last event (#20); start_hash no
    # longer follows segment 0 (#11).
    assert result.first_bad_seq == (20 if field == "end_hash" else 11)


def test_a_checkpoint_with_a_moved_time_is_detected(events, small_segments):
    events(25)
    checkpoint = Checkpoint.objects.get(segment=0)
    Checkpoint.objects.filter(pk=checkpoint.pk).update(
        last_at=checkpoint.last_at - timedelta(days=400)
    )
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 10)


def test_a_deleted_checkpoint_is_detected(events, small_segments):
    events(35)
    Checkpoint.objects.filter(segment=1).delete()
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 11)


def test_the_earliest_problem_is_reported(events, small_segments):
    events(35)
    Event.objects.filter(seq=3).update(data_json="{}")
    Checkpoint.objects.filter(segment=2).update(start_hash="0" * 64)
    assert verify().first_bad_seq == 3


def test_events_appended_after_the_head_was_read_are_left_for_the_next_run(events, monkeypatch):
    """verify() checks up to the head it read; later appends are not tampering."""
    from mamori.trail import verify as module

    events(5)
    head_then = TrailHead.objects.values_list(
        "last_seq", "last_hash", "segment", "segment_first_seq"
    ).get()
    events(3)
    reads = iter([head_then, (8, "", 0, 1)])  # the second read: the head has moved on
    monkeypatch.setattr(module, "_read_head", lambda: next(reads))
    result = verify()
    assert result.ok, result.reason
    assert result.checked == 5
