"""Answering one's own checklist and submitting it (統一基準(H30) 2.3.1(2))."""

from __future__ import annotations

import pytest

from mamori.compliance.assessments import services_answers
from mamori.compliance.assessments.models import ChecklistItem
from mamori.errors import Forbidden, InvalidInput, InvalidTransition

from .conftest import events


@pytest.fixture
def plan(make_plan, staff, other_staff):
    return make_plan()


def first_items(checklist, count=2):
    return list(checklist.items.order_by("position")[:count])


def test_answers_are_saved_and_counted(plan, staff, checklist_of):
    checklist = checklist_of(plan, staff)
    one, two = first_items(checklist)
    assert (
        services_answers.answer_items(checklist, staff, {one.pk: ("done", ""), two.pk: ("na", "")})
        == 2
    )
    checklist.refresh_from_db()
    assert checklist.answered_count == 2
    assert checklist.state == "in_progress"
    one.refresh_from_db()
    assert one.answer == "done" and one.answered_at is not None
    # Clearing an answer takes it off the count; saving the same answers changes nothing.
    services_answers.answer_item(two, staff, answer="")
    checklist.refresh_from_db()
    assert checklist.answered_count == 1
    assert services_answers.answer_items(checklist, staff, {one.pk: ("done", "")}) == 0
    event = events("assessments.checklist.answered")[0]
    assert event.data["changed"] == 2
    assert event.data["answers"][f"toitsu:{one.requirement_id}"] == "done"


@pytest.mark.parametrize("value", ["not_done", "partial"])
def test_not_done_and_partial_need_a_comment(plan, staff, checklist_of, value):
    checklist = checklist_of(plan, staff)
    one, two = first_items(checklist)
    with pytest.raises(InvalidInput) as refused:
        services_answers.answer_items(
            checklist, staff, {one.pk: ("done", ""), two.pk: (value, "  ")}
        )
    assert "コメント" in str(refused.value.details["items"][str(two.pk)])
    # Nothing of the refused form was saved.
    assert not ChecklistItem.objects.filter(checklist=checklist).exclude(answer="").exists()
    services_answers.answer_item(two, staff, answer=value, comment="手順書が未整備のため")
    two.refresh_from_db()
    assert two.answer == value and two.comment == "手順書が未整備のため"


def test_an_unknown_answer_is_refused(plan, staff, checklist_of):
    checklist = checklist_of(plan, staff)
    (one,) = first_items(checklist, 1)
    with pytest.raises(InvalidInput):
        services_answers.answer_item(one, staff, answer="maybe")


def test_nobody_answers_another_persons_checklist(
    plan, staff, other_staff, isec_officer, chief, checklist_of
):
    checklist = checklist_of(plan, staff)
    (one,) = first_items(checklist, 1)
    for intruder in (other_staff, isec_officer, chief):
        with pytest.raises(Forbidden):
            services_answers.answer_item(one, intruder, answer="done")
        with pytest.raises(Forbidden):
            services_answers.submit_checklist(checklist, intruder)
    one.refresh_from_db()
    assert one.answer == ""


def test_items_of_another_checklist_are_refused(plan, staff, other_staff, checklist_of):
    mine = checklist_of(plan, staff)
    (theirs,) = first_items(checklist_of(plan, other_staff), 1)
    with pytest.raises(InvalidInput):
        services_answers.answer_items(mine, staff, {theirs.pk: ("done", "")})
    theirs.refresh_from_db()
    assert theirs.answer == ""


def test_submit_refuses_unanswered_items(plan, staff, checklist_of):
    checklist = checklist_of(plan, staff)
    one, _two = first_items(checklist)
    services_answers.answer_item(one, staff, answer="done")
    with pytest.raises(InvalidInput) as refused:
        services_answers.submit_checklist(checklist, staff)
    missing = checklist.item_count - 1
    assert refused.value.details["unanswered"] == missing
    assert f"{missing}件" in str(refused.value.message)
    checklist.refresh_from_db()
    assert checklist.state == "in_progress"


def test_submitted_checklist_is_final(plan, staff, checklist_of, answer_all):
    checklist = answer_all(plan, staff, "done", submit=True)
    assert checklist.state == "submitted"
    assert checklist.submitted_at is not None
    assert checklist.answered_count == checklist.item_count
    event = events("assessments.checklist.submitted")[0]
    assert event.data == {"items": checklist.item_count, "answers": {"done": checklist.item_count}}
    (one,) = first_items(checklist, 1)
    with pytest.raises(InvalidTransition):
        services_answers.answer_item(one, staff, answer="na")
    with pytest.raises(InvalidTransition):
        services_answers.submit_checklist(checklist, staff)


def test_answers_only_while_the_plan_is_open(make_plan, chief, staff, checklist_of):
    plan = make_plan()
    checklist = checklist_of(plan, staff)
    plan.state = "closed"
    plan.save()
    (one,) = first_items(checklist, 1)
    with pytest.raises(InvalidTransition):
        services_answers.answer_item(one, staff, answer="done")
