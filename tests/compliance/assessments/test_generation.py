"""Distribution of checklists (統一基準(H30) 2.3.1(1)(b)): exactly the items for the
person's roles and organisation kind, in catalog order; idempotent; one trail event and
one notice per person."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mamori.compliance.assessments import services
from mamori.compliance.assessments.models import Checklist
from mamori.notices.models import Notification, Outbox
from mamori.rules.requirements import load_all, requirements_for

from .conftest import events


def expected(person_roles, org_kind, rulebooks=("toitsu", "mic_pii")):
    catalogs = load_all()
    return [
        (code, entry.id)
        for code in rulebooks
        for entry in requirements_for(catalogs[code], set(person_roles), org_kind)
    ]


def items_of(checklist):
    return list(checklist.items.order_by("position").values_list("rulebook", "requirement_id"))


def test_each_checklist_holds_exactly_the_items_for_roles_and_kind(
    make_plan, chief, staff, isec_officer, checklist_of
):
    plan = make_plan()
    staff_items = items_of(checklist_of(plan, staff))
    officer_items = items_of(checklist_of(plan, isec_officer))
    chief_items = items_of(checklist_of(plan, chief))
    assert staff_items == expected([], "national")
    assert officer_items == expected(["isec_officer"], "national")
    assert chief_items == expected(["chief_isec_officer"], "national")
    # The roles make a difference a user notices: 2.3.1(1)(b) is the officer's duty,
    # 2.3.1(1)(c) the 統括's, and staff get neither.
    assert ("toitsu", "2.3.1(1)(b)") in officer_items
    assert ("toitsu", "2.3.1(1)(b)") not in staff_items
    assert ("toitsu", "2.3.1(1)(c)") in chief_items
    assert ("toitsu", "2.3.1(1)(c)") not in officer_items
    checklist = checklist_of(plan, isec_officer)
    assert checklist.item_count == len(officer_items)
    assert checklist.answered_count == 0
    assert checklist.roles == ["isec_officer"]
    assert checklist.unit.code == "b1"
    assert checklist.due_date == plan.answer_due


def test_an_independent_agency_gets_no_clause_for_national_bodies_only(db, person_with):
    from django.contrib.auth import get_user_model

    from mamori.org.models import Organization, OrgUnit, Person, RoleAssignment

    agency = Organization.objects.create(
        code="agency", name="独法", kind="independent", rulebooks=["toitsu"]
    )
    unit = OrgUnit.objects.create(organization=agency, code="u", name="本部", kind="bureau")

    def member(username, *roles):
        user = get_user_model().objects.create_user(username=username, password="x" * 12)
        person = Person.objects.create(
            user=user, organization=agency, unit=unit, family_name="独", given_name=username
        )
        for role in roles:
            RoleAssignment.objects.create(person=person, role=role, organization=agency)
        return person

    chief = member("agency-chief", "chief_isec_officer")
    ciso = member("agency-ciso", "ciso")
    from .conftest import plan_dates

    plan = services.create_plan(chief, title="独法の自己点検", **plan_dates())
    assert plan.rulebooks == ["toitsu"]
    services.open_plan(plan, chief)
    ciso_items = items_of(Checklist.objects.get(plan=plan, person=ciso))
    assert ciso_items == expected(["ciso"], "independent", ("toitsu",))
    # 2.1.1(7)(d) applies to national bodies only: the national CISO answers it.
    assert ("toitsu", "2.1.1(7)(d)") not in ciso_items
    assert ("toitsu", "2.1.1(7)(d)") in expected(["ciso"], "national", ("toitsu",))


def test_distribution_is_idempotent_and_reaches_newcomers(
    make_plan, chief, staff, person_with, checklist_of
):
    plan = make_plan()
    first = Checklist.objects.filter(plan=plan).count()
    assert services.generate_checklists(plan, chief) == 0
    assert Checklist.objects.filter(plan=plan).count() == first
    newcomer = person_with(unit="d2")
    assert services.generate_checklists(plan, chief) == 1
    assert checklist_of(plan, newcomer).item_count == len(expected([], "national"))


def test_inactive_people_and_ended_roles_are_left_out(make_plan, person_with, checklist_of):
    from datetime import timedelta

    from django.utils import timezone

    from mamori.org.models import RoleAssignment

    gone = person_with(unit="d1")
    gone.active = False
    gone.save()
    former = person_with("isec_officer", unit="b1", scope="b1")
    RoleAssignment.objects.filter(person=former).update(
        valid_from=timezone.localdate() - timedelta(days=30),
        valid_to=timezone.localdate() - timedelta(days=1),
    )
    plan = make_plan()
    assert not Checklist.objects.filter(plan=plan, person=gone).exists()
    assert items_of(checklist_of(plan, former)) == expected([], "national")


def test_one_trail_event_and_one_notice_per_person(make_plan, chief, staff, other_staff):
    plan = make_plan()
    people = Checklist.objects.filter(plan=plan).count()
    distributed = events("assessments.plan.distributed")
    assert len(distributed) == 1
    assert distributed[0].data["checklists"] == people
    assert distributed[0].data["items"] == sum(
        Checklist.objects.filter(plan=plan).values_list("item_count", flat=True)
    )
    assert len(events("assessments.plan.opened")) == 1
    notice = Notification.objects.get(recipient=staff)
    assert "自己点検票が配付されました" in notice.text
    assert notice.url == "/self-assessment/"
    assert Notification.objects.filter(message=notice.message).count() == people
    assert Outbox.objects.filter(to=staff.email, subject__contains="自己点検票").count() == 1


def test_distribution_costs_the_same_queries_for_more_people(make_plan, chief, org, units):
    plan = make_plan()
    add_people(org, units["d2"], 30, role="section_isec_officer")
    with CaptureQueriesContext(connection) as few_more:
        assert services.generate_checklists(fresh(plan), chief) == 30
    add_people(org, units["d3"], 60)
    with CaptureQueriesContext(connection) as many_more:
        assert services.generate_checklists(fresh(plan), chief) == 60
    # Only the batched inserts grow with the number of rows.
    assert reads_and_updates(many_more) == reads_and_updates(few_more)


def fresh(plan):
    from mamori.compliance.assessments.models import AssessmentPlan

    return AssessmentPlan.objects.get(pk=plan.pk)


def add_people(org, unit, count, role=None):
    """Many people at once, without logins (hashing passwords is what would be slow)."""
    from mamori.org.models import Person, RoleAssignment

    people = Person.objects.bulk_create(
        Person(organization=org, unit=unit, family_name="多数", given_name=str(n))
        for n in range(count)
    )
    if role:
        RoleAssignment.objects.bulk_create(
            RoleAssignment(person=p, role=role, organization=org, unit=unit) for p in people
        )
    return people


def reads_and_updates(context) -> int:
    return sum(not q["sql"].lstrip().upper().startswith("INSERT") for q in context.captured_queries)


@pytest.mark.parametrize("state", ["draft", "closed"])
def test_distribution_needs_an_open_plan(make_plan, chief, state):
    from mamori.errors import InvalidTransition

    plan = make_plan(open=False)
    plan.state = state
    with pytest.raises(InvalidTransition):
        services.generate_checklists(plan, chief)
