"""Who reaches what in the self-assessment: plain staff, an officer of another unit and a
second organisation, on every page, export and API route; CSRF on every change. Each
refusal also leaves the state and the trail as they were."""

from __future__ import annotations

import pytest
from django.test import Client

from mamori.compliance.assessments import services, services_answers, services_evaluations
from mamori.compliance.assessments.models import ChecklistItem, UnitEvaluation
from mamori.trail.models import Event


@pytest.fixture
def plan(make_plan, staff, other_staff, outsider, isec_officer, section_officer):
    return make_plan(title="本省の年度点検計画")


@pytest.fixture
def stranger(db):
    """The CISO and 統括 of a second organisation (one person holding both roles)."""
    from django.contrib.auth import get_user_model
    from tests.conftest import with_totp

    from mamori.org.models import Organization, OrgUnit, Person, RoleAssignment

    other = Organization.objects.create(
        code="other-agency", name="別の機関", name_en="Other", kind="national", rulebooks=["toitsu"]
    )
    unit = OrgUnit.objects.create(organization=other, code="x1", name="別局", kind="bureau")
    user = get_user_model().objects.create_user(username="stranger", password="x")
    person = Person.objects.create(
        user=user, organization=other, unit=unit, family_name="別", given_name="人"
    )
    for role in ("ciso", "chief_isec_officer", "isec_officer"):
        RoleAssignment.objects.create(person=person, role=role, organization=other)
    with_totp(person)
    return person


def _urls(plan, checklist, unit):
    base = "/self-assessment"
    return {
        "plan": f"{base}/plans/{plan.pk}/",
        "plan_csv": f"{base}/plans/{plan.pk}/checklists.csv",
        "checklist": f"{base}/checklists/{checklist.pk}/",
        "unit_evaluation": f"{base}/plans/{plan.pk}/units/{unit.pk}/evaluation/",
        "org_evaluation": f"{base}/plans/{plan.pk}/evaluation/",
    }


def _posts(plan, unit):
    base = f"/self-assessment/plans/{plan.pk}"
    return {
        f"{base}/open/": {},
        f"{base}/distribute/": {},
        f"{base}/revise/": {"reason": "見直し"},
        f"{base}/revise/?empty": {},  # refused before the form is looked at
        f"{base}/close/": {},
        f"{base}/units/{unit.pk}/evaluation/": {"summary": "評価"},
        f"{base}/units/{unit.pk}/evaluation/report/": {},
        f"{base}/evaluation/": {"summary": "評価"},
        f"{base}/evaluation/report/": {},
    }


def test_a_second_organisation_reaches_nothing(
    client, login, plan, stranger, staff, checklist_of, units
):
    checklist = checklist_of(plan, staff)
    login(stranger)
    for name, url in _urls(plan, checklist, units["b1"]).items():
        assert client.get(url).status_code == 404, name
    before = Event.objects.count()
    for url, data in _posts(plan, units["b1"]).items():
        assert client.post(url, data).status_code == 404, url
    item = checklist.items.first()
    assert client.post(checklist_url(checklist), {f"answer-{item.pk}": "done"}).status_code == 404
    assert Event.objects.count() == before
    assert not UnitEvaluation.objects.exists()
    # their own dashboard shows their organisation only (no plan there)
    page = client.get("/self-assessment/dashboard/")
    assert page.status_code == 200 and page.context["figures"] is None
    assert plan.title not in page.content.decode()
    assert client.get("/self-assessment/dashboard/results.xlsx").status_code == 404
    assert client.get("/self-assessment/plans/").context["page"].paginator.count == 0


def checklist_url(checklist) -> str:
    return f"/self-assessment/checklists/{checklist.pk}/"


def test_plain_staff_reach_only_their_own_checklist(
    client, login, plan, staff, other_staff, checklist_of, units
):
    login(staff)
    mine = checklist_of(plan, staff)
    theirs = checklist_of(plan, other_staff)
    assert client.get(checklist_url(mine)).status_code == 200
    assert client.get(checklist_url(theirs)).status_code == 404
    urls = _urls(plan, mine, units["d1"])
    for name in ("plan", "plan_csv", "unit_evaluation", "org_evaluation"):
        assert client.get(urls[name]).status_code == 403, name
    for url in ("/self-assessment/plans/", "/self-assessment/plans/export.csv"):
        assert client.get(url).status_code == 403
    before = Event.objects.count()
    for url, data in _posts(plan, units["d1"]).items():
        assert client.post(url, data).status_code == 403, url
    assert Event.objects.count() == before


def test_an_officer_cannot_answer_for_someone_in_their_unit(
    client, login, plan, section_officer, staff, checklist_of
):
    """The 課室情報セキュリティ責任者 sees the checklists of the division, but answers none."""
    checklist = checklist_of(plan, staff)
    item = checklist.items.order_by("position").first()
    login(section_officer)
    assert client.get(checklist_url(checklist)).status_code == 200
    response = client.post(
        checklist_url(checklist), {f"answer-{item.pk}": "done", "action": "submit"}
    )
    assert response.status_code == 403
    assert ChecklistItem.objects.get(pk=item.pk).answer == ""
    # the API, signed in (it sees the checklist as the page does, and is refused the same)
    api = f"/api/self-assessment/checklists/{checklist.pk}"
    assert client.get(api).status_code == 200
    response = client.post(
        f"{api}/answers",
        {"answers": [{"item_id": item.pk, "answer": "done", "comment": ""}]},
        content_type="application/json",
    )
    assert response.status_code == 403, response.json()
    assert client.post(f"{api}/submit").status_code == 403
    assert ChecklistItem.objects.get(pk=item.pk).answer == ""


def test_an_officer_of_another_unit_reaches_neither_its_people_nor_its_evaluation(
    client, login, plan, isec_officer, outsider, checklist_of, units
):
    """The 情報セキュリティ責任者 of 総務局 (b1) and 情報局 (b2)."""
    login(isec_officer)
    assert client.get(checklist_url(checklist_of(plan, outsider))).status_code == 404
    evaluation = f"/self-assessment/plans/{plan.pk}/units/{units['b2'].pk}/evaluation/"
    assert client.get(evaluation).status_code == 403
    assert client.post(evaluation, {"summary": "他局の評価"}).status_code == 403
    assert client.post(evaluation + "report/").status_code == 403
    assert not UnitEvaluation.objects.filter(unit=units["b2"]).exists()
    # the plan page counts only the checklists the officer may see
    page = client.get(f"/self-assessment/plans/{plan.pk}/")
    assert page.context["counts"]["distributed"] == page.context["page"].paginator.count
    assert page.context["counts"]["distributed"] < plan.checklists.count()
    # and the dashboard lists only 総務局's units
    names = [row.name for row in client.get("/self-assessment/dashboard/").context["figures"].units]
    assert "情報課" not in names and "総務課" in names


def test_every_change_needs_the_csrf_token(plan, chief, staff, checklist_of, units):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(chief.user)
    before = Event.objects.count()
    for url, data in _posts(plan, units["b1"]).items():
        assert browser.post(url, data).status_code == 403, url
    assert Event.objects.count() == before
    checklist = checklist_of(plan, staff)
    item = checklist.items.first()
    browser.force_login(staff.user)
    before = Event.objects.count()  # signing in is on the trail too
    assert browser.post(checklist_url(checklist), {f"answer-{item.pk}": "done"}).status_code == 403
    response = browser.post(
        f"/api/self-assessment/checklists/{checklist.pk}/answers",
        {"answers": [{"item_id": item.pk, "answer": "done", "comment": ""}]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Event.objects.count() == before
    assert ChecklistItem.objects.get(pk=item.pk).answer == ""


def test_services_refuse_a_second_organisation(plan, stranger, units, staff, checklist_of):
    from mamori.errors import Forbidden

    with pytest.raises(Forbidden):
        services.revise_plan(plan, stranger, reason="x")
    with pytest.raises(Forbidden):
        services.generate_checklists(plan, stranger)
    with pytest.raises(Forbidden):
        services_evaluations.save_unit_evaluation(plan, units["b1"], stranger, summary="x")
    with pytest.raises(Forbidden):
        services_evaluations.save_org_evaluation(plan, stranger, summary="x")
    with pytest.raises(Forbidden):
        services_answers.answer_items(checklist_of(plan, staff), stranger, {})
