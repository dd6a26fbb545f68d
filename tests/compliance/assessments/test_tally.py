"""The running answer tally (AnswerTally) that the dashboards read: after any sequence of
answers, revisions, distributions to newcomers and submissions made through the
services it equals a fresh recount of the items; the repair command rebuilds it."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mamori.compliance.assessments import services, services_answers, tally
from mamori.compliance.assessments.models import AnswerTally, Checklist, ChecklistItem
from mamori.errors import MamoriError
from mamori.rules.requirements import load_all

from .conftest import events
from .test_revision import with_official_text

ANSWERS = ["", "done", "partial", "not_done", "na"]

answer_op = st.tuples(
    st.just("answer"),
    st.integers(min_value=0, max_value=3),  # whose checklist
    st.lists(
        # a few items only, so that later answers change earlier ones
        st.tuples(st.integers(min_value=0, max_value=5), st.sampled_from(ANSWERS)),
        min_size=1,
        max_size=12,
    ),
)
operations = st.lists(
    st.one_of(
        answer_op,
        answer_op,
        answer_op,
        st.tuples(st.just("revise")),
        st.tuples(st.just("newcomer"), st.sampled_from(["d1", "d2", "d3", None])),
        st.tuples(st.just("submit"), st.integers(min_value=0, max_value=3)),
    ),
    min_size=1,
    max_size=12,
)


class Rollback(Exception):
    """Leaves the example's changes behind (the database is shared by every example)."""


@pytest.fixture
def people(staff, other_staff, outsider, isec_officer):
    return [staff, other_staff, outsider, isec_officer]


def _answer(plan, person, picks):
    checklist = Checklist.objects.filter(plan=plan, person=person).first()
    if checklist is None:
        return
    ids = list(checklist.items.order_by("position").values_list("pk", flat=True))
    answers = {ids[index % len(ids)]: (value, "理由") for index, value in picks}
    try:
        services_answers.answer_items(checklist, person, answers)
    except MamoriError:
        pass  # a submitted checklist: refused, and nothing may change


def _run(plan, chief, people, ops, monkeypatch, person_with, units):
    from mamori.org.models import Person

    newcomers = 0
    for op in ops:
        if op[0] == "answer":
            _answer(plan, people[op[1]], op[2])
        elif op[0] == "submit":
            checklist = Checklist.objects.get(plan=plan, person=people[op[1]])
            try:
                services_answers.submit_checklist(checklist, people[op[1]])
            except MamoriError:
                pass
        elif op[0] == "revise":
            catalogs = dict(load_all())
            catalogs["toitsu"], _clause = with_official_text(catalogs["toitsu"])
            with monkeypatch.context() as patch:
                patch.setattr(services, "_catalog", catalogs.__getitem__)
                services.revise_plan(plan, chief, reason="公式の統一基準を取り込んだため")
        else:
            newcomers += 1
            person = person_with(unit=op[1] or "d1", username=f"newcomer-{newcomers}")
            if op[1] is None:
                Person.objects.filter(pk=person.pk).update(unit=None)
            services.generate_checklists(plan, chief)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_the_tally_equals_a_recount_after_any_sequence(
    ops, make_plan, chief, people, monkeypatch, person_with, units
):
    with pytest.raises(Rollback), transaction.atomic():
        plan = make_plan()
        assert tally.stored(plan) == tally.recount(plan)
        _run(plan, chief, people, ops, monkeypatch, person_with, units)
        assert tally.stored(plan) == tally.recount(plan)
        raise Rollback


def test_distribution_counts_every_item(make_plan, staff, other_staff, outsider):
    plan = make_plan()
    rows = AnswerTally.objects.filter(plan=plan)
    assert (
        sum(row.items for row in rows) == ChecklistItem.objects.filter(checklist__plan=plan).count()
    )
    assert {row.unit_id for row in rows} == set(
        Checklist.objects.filter(plan=plan).values_list("unit_id", flat=True)
    )
    assert all(row.unanswered == row.items for row in rows)


def test_answers_move_between_counters(make_plan, staff, checklist_of):
    plan = make_plan()
    checklist = checklist_of(plan, staff)
    first = checklist.items.order_by("position").first()
    row = AnswerTally.objects.get(
        plan=plan, unit=staff.unit, rulebook=first.rulebook, requirement_id=first.requirement_id
    )
    services_answers.answer_items(checklist, staff, {first.pk: ("partial", "一部のみ")})
    row.refresh_from_db()
    assert (row.done, row.partial, row.unanswered) == (0, 1, row.items - 1)
    services_answers.answer_items(checklist, staff, {first.pk: ("done", "")})
    row.refresh_from_db()
    assert (row.done, row.partial, row.unanswered) == (1, 0, row.items - 1)
    services_answers.answer_items(checklist, staff, {first.pk: ("", "")})
    row.refresh_from_db()
    assert (row.done, row.partial, row.unanswered) == (0, 0, row.items)


def test_a_refused_answer_changes_no_count(make_plan, staff, checklist_of):
    plan = make_plan()
    checklist = checklist_of(plan, staff)
    ids = list(checklist.items.values_list("pk", flat=True))[:2]
    before = tally.stored(plan)
    with pytest.raises(MamoriError):
        # the second answer lacks the comment 一部実施 needs: nothing is saved
        services_answers.answer_items(
            checklist, staff, {ids[0]: ("done", ""), ids[1]: ("partial", "")}
        )
    assert tally.stored(plan) == before


def test_the_command_rebuilds_a_damaged_tally(make_plan, staff, answer_all):
    plan = make_plan()
    answer_all(plan, staff, "done")
    AnswerTally.objects.filter(plan=plan).update(done=0)
    AnswerTally.objects.filter(plan=plan).first().delete()
    assert tally.stored(plan) != tally.recount(plan)

    call_command("assessment_tally", "--rebuild", "--plan", str(plan.pk))

    assert tally.stored(plan) == tally.recount(plan)
    assert sum(tally.stored(plan)[key]["done"] for key in tally.stored(plan)) > 0
    rebuilt = events("assessments.tally.rebuilt")
    assert [(e.object_id, e.data["rows"]) for e in rebuilt] == [
        (str(plan.pk), AnswerTally.objects.filter(plan=plan).count())
    ]


def test_the_command_refuses_without_rebuild_or_with_an_unknown_plan(db):
    with pytest.raises(CommandError):
        call_command("assessment_tally")
    with pytest.raises(CommandError):
        call_command("assessment_tally", "--rebuild", "--plan", "999999")
