"""The self-assessment pages as their users see them: the 統括 creates and opens a plan,
staff answer and submit, the 情報セキュリティ責任者 and the 統括 evaluate; refusals for
everyone else; list pages cost the same queries for any number of checklists."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mamori.compliance.assessments import services, services_answers
from mamori.compliance.assessments.models import AssessmentPlan, Checklist

from .conftest import plan_dates
from .test_generation import add_people, fresh


@pytest.fixture
def plan(make_plan, staff, other_staff, isec_officer):
    return make_plan()


def form_dates():
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in plan_dates().items()}


def test_chief_creates_and_opens_a_plan_through_the_pages(client, login, chief, staff):
    login(chief)
    page = client.get(reverse("assessments:plan_create"))
    assert page.status_code == 200
    assert "統一基準" in page.content.decode()
    response = client.post(
        reverse("assessments:plan_create"),
        {"title": "令和8年度 自己点検", "rulebooks": ["toitsu"], "notes": "", **form_dates()},
    )
    plan = AssessmentPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:plan", args=[plan.pk])
    assert plan.rulebooks == ["toitsu"]
    response = client.post(reverse("assessments:plan_open", args=[plan.pk]), follow=True)
    assert "自己点検票を2件配付しました" in response.content.decode()
    page = client.get(reverse("assessments:plan", args=[plan.pk])).content.decode()
    assert "配付 2件／提出 0件" in page
    assert "実施中" in page


def test_bad_due_dates_are_shown_on_the_form(client, login, chief):
    login(chief)
    dates = form_dates()
    dates["org_evaluation_due"] = dates["answer_due"]
    dates["unit_evaluation_due"] = plan_dates()["org_evaluation_due"].isoformat()
    response = client.post(
        reverse("assessments:plan_create"), {"title": "x", "rulebooks": ["toitsu"], **dates}
    )
    assert response.status_code == 200
    assert "統括評価の期限は責任者評価の期限以後" in response.content.decode()
    assert not AssessmentPlan.objects.exists()


def test_staff_may_not_manage_plans(client, login, make_plan, staff):
    plan = make_plan(open=False)
    login(staff)
    assert client.get(reverse("assessments:plans")).status_code == 403
    assert client.get(reverse("assessments:plan_create")).status_code == 403
    assert client.post(reverse("assessments:plan_create"), {"title": "x"}).status_code == 403
    assert client.post(reverse("assessments:plan_open", args=[plan.pk])).status_code == 403
    plan.refresh_from_db()
    assert plan.state == "draft"


def test_isec_officer_sees_plans_but_cannot_open_them(client, login, make_plan, isec_officer):
    plan = make_plan(open=False)
    login(isec_officer)
    assert client.get(reverse("assessments:plans")).status_code == 200
    response = client.post(reverse("assessments:plan_open", args=[plan.pk]), follow=True)
    assert "統括情報セキュリティ責任者" in response.content.decode()
    plan.refresh_from_db()
    assert plan.state == "draft"


def test_staff_answers_and_submits_their_checklist(client, login, plan, staff, checklist_of):
    checklist = checklist_of(plan, staff)
    items = list(checklist.items.order_by("position"))
    login(staff)
    mine = client.get(reverse("assessments:mine")).content.decode()
    assert reverse("assessments:checklist", args=[checklist.pk]) in mine
    url = reverse("assessments:checklist", args=[checklist.pk])
    page = client.get(url).content.decode()
    assert "統一基準(" in page and items[0].requirement_id in page
    assert f'name="answer-{items[0].pk}" value="not_done"' in page
    assert "実施していない" in page and "該当しない" in page

    # 「実施していない」 without a comment: refused, what was typed is kept.
    response = client.post(
        url,
        {f"answer-{items[0].pk}": "done", f"answer-{items[1].pk}": "not_done", "action": "save"},
    )
    assert response.status_code == 400
    assert "コメントに記入してください" in response.content.decode()
    checklist.refresh_from_db()
    assert checklist.answered_count == 0

    response = client.post(url, {f"answer-{items[0].pk}": "done", "action": "submit"}, follow=True)
    assert f"未回答の項目が{len(items) - 1}件あります" in response.content.decode()
    checklist.refresh_from_db()
    assert checklist.answered_count == 1 and checklist.state == "in_progress"

    data = {f"answer-{item.pk}": "done" for item in items}
    data |= {f"answer-{items[1].pk}": "partial", f"comment-{items[1].pk}": "一部未対応"}
    response = client.post(url, {**data, "action": "submit"}, follow=True)
    assert "自己点検票を提出しました" in response.content.decode()
    checklist.refresh_from_db()
    assert checklist.state == "submitted"
    page = client.get(url).content.decode()
    assert "一部未対応" in page and 'type="radio"' not in page


def test_nobody_opens_or_answers_another_persons_checklist(
    client, login, plan, staff, other_staff, person_with, checklist_of
):
    checklist = checklist_of(plan, staff)
    item = checklist.items.first()
    url = reverse("assessments:checklist", args=[checklist.pk])
    login(other_staff)
    assert client.get(url).status_code == 404
    assert client.post(url, {f"answer-{item.pk}": "done"}).status_code == 404
    # An officer of the unit may read it, not answer it.
    officer = person_with("section_isec_officer", unit="d1", scope="d1")
    login(officer)
    page = client.get(url)
    assert page.status_code == 200 and 'type="radio"' not in page.content.decode()
    response = client.post(url, {f"answer-{item.pk}": "done"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.answer == ""


def test_checklist_list_query_count_is_constant(client, login, make_plan, chief, org, units, staff):
    plan = make_plan()
    url = reverse("assessments:plan", args=[plan.pk])
    login(chief)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_people(org, units["d2"], 40)
    services.generate_checklists(fresh(plan), chief)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.status_code == 200
    assert "多数" in page.content.decode()
    assert len(many) == len(few)


def test_checklist_list_filters_and_exports(client, login, plan, chief, staff, other_staff):
    login(chief)
    url = reverse("assessments:plan", args=[plan.pk])
    d2 = other_staff.unit
    page = client.get(url, {"unit": d2.pk}).content.decode()
    assert other_staff.display_name in page and staff.display_name not in page
    export = client.get(
        reverse("assessments:plan_checklists_export", args=[plan.pk]), {"unit": d2.pk}
    )
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "会計課" in body and "総務課" not in body
    plans_csv = b"".join(client.get(reverse("assessments:plans_export")).streaming_content)
    assert "自己点検".encode() in plans_csv


def test_isec_officer_sees_only_their_units_checklists(
    client, login, plan, isec_officer, staff, outsider
):
    login(isec_officer)
    page = client.get(reverse("assessments:plan", args=[plan.pk])).content.decode()
    assert staff.display_name in page and outsider.display_name not in page


def test_unit_evaluation_page(client, login, plan, isec_officer, staff, units, answer_all):
    answer_all(plan, staff, "done", submit=True)
    url = reverse("assessments:unit_evaluation", args=[plan.pk, units["b1"].pk])
    login(isec_officer)
    page = client.get(url).content.decode()
    assert "提出率" in page and "総務課" in page
    assert "100.0%" in page  # 総務課: the one checklist there is submitted, all done
    response = client.post(url, {"summary": "概ね良好", "unit_issues": "会計課が未提出"})
    assert response.status_code == 302
    client.post(reverse("assessments:unit_evaluation_report", args=[plan.pk, units["b1"].pk]))
    evaluation = plan.unit_evaluations.get()
    assert evaluation.state == "reported"


def test_unit_evaluation_refused_outside_scope(client, login, plan, person_with, units):
    other = person_with("isec_officer", unit="b2", scope="b2")
    login(other)
    url = reverse("assessments:unit_evaluation", args=[plan.pk, units["b1"].pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"summary": "x"}).status_code == 403
    assert not plan.unit_evaluations.exists()


def test_org_evaluation_page(client, login, plan, chief, ciso, isec_officer):
    url = reverse("assessments:org_evaluation", args=[plan.pk])
    login(isec_officer)
    assert client.get(url).status_code == 403
    login(chief)
    assert client.post(url, {"summary": "全体評価", "common_issues": "共通課題"}).status_code == 302
    client.post(reverse("assessments:org_evaluation_report", args=[plan.pk]))
    login(ciso)
    page = client.get(url).content.decode()
    assert "共通課題" in page and "報告済" in page and "<textarea" not in page


def test_revise_and_close_through_the_pages(client, login, plan, chief):
    login(chief)
    response = client.post(
        reverse("assessments:plan_revise", args=[plan.pk]), {"reason": "新たな脅威"}, follow=True
    )
    assert "第2版" in response.content.decode()
    response = client.post(reverse("assessments:plan_close", args=[plan.pk]), follow=True)
    assert "報告してから終了してください" in response.content.decode()
    plan.refresh_from_db()
    assert plan.state == "open"


def test_menu_items(client, login, plan, staff, chief):
    login(staff)
    page = client.get(reverse("assessments:mine")).content.decode()
    assert reverse("assessments:mine") in page
    assert reverse("assessments:plans") not in page
    login(chief)
    page = client.get(reverse("assessments:mine")).content.decode()
    assert reverse("assessments:plans") in page


def test_deadlines_in_the_calendar(plan, staff, isec_officer, chief, checklist_of):
    from mamori.web.deadlines import deadlines_for

    start, end = plan.answer_due, plan.org_evaluation_due
    mine = [d for d in deadlines_for(staff, start, end) if d.module == "assessments"]
    assert [d.uid for d in mine] == [f"assessments.checklist.{checklist_of(plan, staff).pk}"]
    officer = [d.uid for d in deadlines_for(isec_officer, start, end) if d.module == "assessments"]
    assert f"assessments.unit_evaluation.{plan.pk}.{isec_officer.unit_id}" in officer
    chief_uids = [d.uid for d in deadlines_for(chief, start, end) if d.module == "assessments"]
    assert f"assessments.org_evaluation.{plan.pk}" in chief_uids
    assert not any("unit_evaluation" in uid for uid in chief_uids)


def test_the_api(client, plan, staff, other_staff, checklist_of):
    from mamori.api import services as tokens

    _token, text = tokens.create_token(staff, name="test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {text}"}
    listed = client.get("/api/self-assessment/checklists", **auth).json()
    checklist = checklist_of(plan, staff)
    assert [c["id"] for c in listed] == [checklist.pk]
    detail = client.get(f"/api/self-assessment/checklists/{checklist.pk}", **auth).json()
    assert detail["item_count"] == len(detail["items"])
    first = detail["items"][0]
    assert first["citation"].startswith("統一基準(") and first["text"]
    response = client.post(
        f"/api/self-assessment/checklists/{checklist.pk}/answers",
        {"answers": [{"item_id": first["id"], "answer": "not_done", "comment": ""}]},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 400
    assert str(first["id"]) in response.json()["details"]["items"]
    response = client.post(
        f"/api/self-assessment/checklists/{checklist.pk}/answers",
        {"answers": [{"item_id": first["id"], "answer": "done", "comment": ""}]},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200 and response.json()["answered_count"] == 1
    theirs = checklist_of(plan, other_staff)
    assert client.get(f"/api/self-assessment/checklists/{theirs.pk}", **auth).status_code == 404
    response = client.post(f"/api/self-assessment/checklists/{checklist.pk}/submit", **auth)
    assert response.status_code == 400
    assert Checklist.objects.get(pk=checklist.pk).state == "in_progress"


def test_api_and_evaluation_pages_read_each_catalog_once(
    client, login, plan, staff, chief, isec_officer, checklist_of, answer_all, units
):
    """Queries do not grow with the number of items or weak clauses listed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    login(staff)
    few = queries(f"/api/self-assessment/checklists/{checklist_of(plan, staff).pk}")
    login(chief)
    many = queries(f"/api/self-assessment/checklists/{checklist_of(plan, chief).pk}")
    assert checklist_of(plan, chief).item_count > checklist_of(plan, staff).item_count
    assert few == many

    checklist = checklist_of(plan, staff)
    first_of_each = {}
    for item in checklist.items.order_by("-position"):
        first_of_each[item.rulebook] = item.pk
    services_answers.answer_items(
        checklist, staff, {pk: ("not_done", "未対応") for pk in first_of_each.values()}
    )
    login(isec_officer)
    evaluation = f"/self-assessment/plans/{plan.pk}/units/{units['b1'].pk}/evaluation/"
    assert len(client.get(evaluation).context["weak"]) == len(first_of_each)
    before = queries(evaluation)
    answer_all(plan, staff, "not_done")
    assert len(client.get(evaluation).context["weak"]) > 5
    assert queries(evaluation) == before


def test_lists_paginate_in_a_stable_order(client, login, plan, chief, isec_officer):
    import warnings

    from django.core.paginator import UnorderedObjectListWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        login(chief)
        for url in ("/self-assessment/plans/", "/self-assessment/plans/?sort=title"):
            assert client.get(url).status_code == 200
        assert client.get(f"/self-assessment/plans/{plan.pk}/?sort=name").status_code == 200
        login(isec_officer)
        assert client.get("/self-assessment/dashboard/").status_code == 200
    assert not [w for w in caught if issubclass(w.category, UnorderedObjectListWarning)]


def test_the_menu_links_the_dashboard_for_the_officers(client, login, plan, isec_officer, staff):
    login(isec_officer)
    assert 'href="/self-assessment/dashboard/"' in client.get("/self-assessment/").content.decode()
    page = client.get(f"/self-assessment/plans/{plan.pk}/").content.decode()
    assert f'href="/self-assessment/dashboard/?fy={plan.fiscal_year}"' in page
    login(staff)
    assert (
        'href="/self-assessment/dashboard/"' not in client.get("/self-assessment/").content.decode()
    )
