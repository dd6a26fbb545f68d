"""prune() deletes whole expired segments from the start and the rest still verifies."""

from __future__ import annotations

import json
from datetime import date

import pytest

from mamori.trail.models import Checkpoint, Event
from mamori.trail.services import TrailTampered, prune, prune_segments
from mamori.trail.verify import verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def aged_trail(events, clock, small_segments):
    """Segments 0–1 in January, 2 ending 31 March 23:59 JST, 3 on 1 April 08:00 JST
    (still 31 March in UTC), 4 on 2 April, and 5 events in the open segment 5."""
    clock.set(2020, 1, 10, 9, 0)
    events(20)
    clock.set(2020, 3, 31, 23, 59)
    events(10)
    clock.set(2020, 4, 1, 8, 0)
    events(10)
    clock.set(2020, 4, 2, 9, 0)
    events(15)
    clock.set(2020, 4, 3, 9, 0)  # when prune runs
    return clock


def test_prune_deletes_whole_segments_before_the_local_date(aged_trail, staff):
    deleted = prune(date(2020, 4, 1), actor=staff.user)
    assert deleted == 30
    assert Event.objects.filter(seq__lte=30).count() == 0
    assert Event.objects.filter(seq__in=[31, 55]).count() == 2  # 1 April JST is kept
    assert list(
        Checkpoint.objects.filter(pruned_at__isnull=False).values_list("segment", flat=True)
    ) == [0, 1, 2]
    assert not Checkpoint.objects.filter(segment=3, pruned_at__isnull=False).exists()
    pruned = Event.objects.get(action="trail.pruned")
    assert pruned.seq == 56 and pruned.actor_id == staff.user.pk
    assert json.loads(pruned.data_json) == {
        "before": "2020-04-01",
        "segments": 3,
        "events": 30,
        "first_seq": 1,
        "last_seq": 30,
        "through_segment": 2,
    }


def test_the_trail_still_verifies_after_pruning_and_again_after_a_second_prune(aged_trail):
    prune(date(2020, 4, 1))
    result = verify()
    assert result.ok, result.reason
    assert result.checked == 26  # events 31–55 and the trail.pruned event
    prune(date(2020, 4, 3))
    result = verify()
    assert result.ok, result.reason
    assert Event.objects.order_by("seq").first().seq == 51


def test_the_open_segment_and_recent_segments_are_never_pruned(aged_trail):
    assert prune(date(2099, 1, 1)) == 50  # segments 0–4; the open one (51–55) stays
    assert Event.objects.filter(seq__gte=51).count() == 6


def test_nothing_before_the_date_means_nothing_deleted_and_no_event(aged_trail):
    assert prune(date(2020, 1, 1)) == 0
    assert Event.objects.count() == 55
    assert not Event.objects.filter(action="trail.pruned").exists()


def test_no_holes_are_punched(events, clock, small_segments):
    """A recent segment at the start stops pruning, even if later ones are old."""
    clock.set(2020, 5, 1, 9, 0)
    events(10)
    clock.set(2020, 1, 1, 9, 0)  # a clock set back: segment 1 looks older than segment 0
    events(15)
    assert prune(date(2020, 4, 1)) == 0
    assert Event.objects.count() == 25


def test_dry_run_reports_without_deleting(aged_trail):
    result = prune_segments(date(2020, 4, 1), dry_run=True)
    assert (result.segments, result.events, result.first_seq, result.last_seq) == (
        (0, 1, 2),
        30,
        1,
        30,
    )
    assert Event.objects.count() == 55
    assert not Checkpoint.objects.filter(pruned_at__isnull=False).exists()


def test_a_tampered_segment_is_kept_as_evidence(aged_trail):
    Event.objects.filter(seq=15).update(data_json='{"n":0}')
    with pytest.raises(TrailTampered) as raised:
        prune(date(2020, 4, 1))
    assert "#15" in str(raised.value.message)
    assert Event.objects.count() == 55
    assert not Checkpoint.objects.filter(pruned_at__isnull=False).exists()


def test_tampering_after_pruning_is_still_detected(aged_trail):
    prune(date(2020, 4, 1))
    Event.objects.filter(seq=33).update(actor_label="someone else")
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 33)


def test_a_tampered_pruned_checkpoint_is_detected(aged_trail):
    prune(date(2020, 4, 1))
    Checkpoint.objects.filter(segment=2).update(end_hash="e" * 64)
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 31)


def test_deleting_the_first_remaining_event_after_pruning_is_detected(aged_trail):
    prune(date(2020, 4, 1))
    Event.objects.filter(seq=31).delete()
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 31)


def test_segments_deleted_and_marked_pruned_by_hand_are_detected(aged_trail):
    """Without a trail.pruned event vouching for it, a missing start is tampering."""
    from django.utils import timezone

    Event.objects.filter(seq__lte=20).delete()
    Checkpoint.objects.filter(segment__in=[0, 1]).update(pruned_at=timezone.now())
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 1)
    assert "trail.pruned" in result.reason


def test_segments_deleted_without_marking_are_detected(aged_trail):
    Event.objects.filter(seq__lte=10).delete()
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 1)


def test_a_pruned_mark_on_a_kept_segment_is_detected(aged_trail):
    from django.utils import timezone

    Checkpoint.objects.filter(segment=1).update(pruned_at=timezone.now())
    result = verify()
    assert (result.ok, result.first_bad_seq) == (False, 11)


def test_a_change_of_segment_size_keeps_closed_segments_and_verifies(events, settings):
    settings.TRAIL_SEGMENT_SIZE = 10
    events(15)
    settings.TRAIL_SEGMENT_SIZE = 20  # the open segment (from #11) now closes at #30
    events(20)
    assert list(Checkpoint.objects.values_list("first_seq", "last_seq")) == [(1, 10), (11, 30)]
    assert verify().ok
