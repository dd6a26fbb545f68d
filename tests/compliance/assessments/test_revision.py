"""Revising the plan when new items appear mid-year (統一基準(H30) 2.3.1(1)(c)): an
administrator imports the official text of a clause the seeds abbreviate （略）, so it
becomes a clause everyone answers; the revision adds it to every checklist and re-opens
those already submitted."""

from __future__ import annotations

import dataclasses

import pytest

from mamori.compliance.assessments import services
from mamori.errors import Forbidden, InvalidInput
from mamori.notices.models import Notification
from mamori.rules.requirements import Catalog, load_all

from .conftest import events


def with_official_text(catalog: Catalog) -> tuple[Catalog, str]:
    """The catalog after an import gave an abbreviated clause its text, for all staff."""
    target = next(
        e for e in catalog.entries if e.abbreviated and e.kind == "requirement" and e.id > "2"
    )
    completed = dataclasses.replace(
        target,
        text="職員等は、新たに定める事項を遵守すること。",
        abbreviated=False,
        roles=("all_staff",),
    )
    entries = tuple(completed if e.id == target.id else e for e in catalog.entries)
    return Catalog(catalog.rulebook, catalog.title, catalog.org_kinds, entries), target.id


@pytest.fixture
def imported(monkeypatch):
    catalogs = dict(load_all())
    catalogs["toitsu"], clause = with_official_text(catalogs["toitsu"])
    monkeypatch.setattr(services, "_catalog", catalogs.__getitem__)
    monkeypatch.setattr(services, "catalog", catalogs.__getitem__)
    return clause


def test_revision_adds_new_items_and_reopens_submitted_checklists(
    make_plan, chief, staff, other_staff, checklist_of, answer_all, monkeypatch
):
    plan = make_plan()
    submitted = answer_all(plan, staff, "done", submit=True)
    working = checklist_of(plan, other_staff)
    before = submitted.item_count
    catalogs = dict(load_all())
    catalogs["toitsu"], clause = with_official_text(catalogs["toitsu"])
    monkeypatch.setattr(services, "_catalog", catalogs.__getitem__)

    counts = services.revise_plan(plan, chief, reason="公式の統一基準を取り込んだため")

    people = plan.checklists.count()
    assert counts == {
        "revision": 2,
        "checklists_changed": people,
        "items_added": people,
        "reopened": 1,
    }
    plan.refresh_from_db()
    assert plan.revision == 2
    submitted.refresh_from_db()
    assert submitted.state == "in_progress" and submitted.submitted_at is None
    assert submitted.item_count == before + 1
    assert submitted.answered_count == before
    new = submitted.items.get(requirement_id=clause)
    assert new.added_in_revision == 2 and new.answer == ""
    # The new item sits in its catalog place, not at the end.
    positions = list(submitted.items.order_by("position").values_list("requirement_id", flat=True))
    assert positions.index(clause) < len(positions) - 1
    working.refresh_from_db()
    assert working.state == "distributed"
    assert Notification.objects.filter(recipient=staff, message__contains="見直され").count() == 1
    event = events("assessments.plan.revised")[0]
    assert event.data["reason"] == "公式の統一基準を取り込んだため"
    assert event.data["clause"] == "統一基準(H30) 2.3.1(1)(c)"
    assert event.data["items_added"] == people
    # A second revision with nothing new adds nothing and re-opens nothing.
    again = services.revise_plan(plan, chief, reason="再確認")
    assert again["items_added"] == 0 and again["reopened"] == 0


def test_a_plan_opened_after_an_import_includes_the_new_clause(
    make_plan, chief, staff, checklist_of, answer_all, imported
):
    plan = make_plan()
    # The import happened before the plan was opened here: new checklists have it.
    assert checklist_of(plan, staff).items.filter(requirement_id=imported).exists()


def test_only_the_chief_revises_and_a_reason_is_needed(make_plan, chief, isec_officer):
    plan = make_plan()
    with pytest.raises(Forbidden):
        services.revise_plan(plan, isec_officer, reason="x")
    with pytest.raises(InvalidInput):
        services.revise_plan(plan, chief, reason="  ")
    plan.refresh_from_db()
    assert plan.revision == 1
