"""The self-assessment dashboard: the CISO's whole-organisation figures, a 情報セキュリティ
責任者's units with who has not submitted, refusals, and a query count that does not grow
with the number of staff.

The organisation of tests/conftest.py: 総務局 b1 (総務課 d1, 会計課 d2), 情報局 b2 (情報課 d3).
Implementation rate: 実施している 1, 一部実施 0.5, 実施していない 0, 該当しない left out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mamori.compliance.assessments import (
    dashboards,
    services,
    services_answers,
    services_evaluations,
)
from mamori.compliance.assessments.models import Checklist, ChecklistItem
from mamori.rules import deadlines

DASHBOARD = "/self-assessment/dashboard/"


def make_plan(chief, *, answer_due=None):
    year = deadlines.fiscal_year(timezone.localdate())
    end = deadlines.fiscal_year_end(year)
    answer_due = answer_due or min(timezone.localdate() + timedelta(days=20), end)
    plan = services.create_plan(
        chief,
        fiscal_year=year,
        title=f"{year}年度 自己点検",
        answer_due=answer_due,
        unit_evaluation_due=answer_due + timedelta(days=10),
        org_evaluation_due=answer_due + timedelta(days=20),
    )
    services.open_plan(plan, chief)
    plan.refresh_from_db()
    return plan


def checklist_of(plan, person) -> Checklist:
    return Checklist.objects.get(plan=plan, person=person)


def answer(plan, person, pattern: list[str] | None = None, *, submit: bool = False):
    """Answer every item of the person's checklist, cycling through `pattern`."""
    checklist = checklist_of(plan, person)
    pattern = pattern or ["done"]
    ids = list(checklist.items.order_by("position").values_list("pk", flat=True))
    answers = {}
    for index, item_id in enumerate(ids):
        value = pattern[index % len(pattern)]
        answers[item_id] = (value, "対応中です。" if value in ("partial", "not_done") else "")
    services_answers.answer_items(checklist, person, answers)
    if submit:
        services_answers.submit_checklist(checklist, person)
    return checklist


def expected_rate(done: int, partial: int, not_done: int) -> float:
    return round(100 * (done + partial * 0.5) / (done + partial + not_done), 1)


@pytest.fixture
def chief(person_with):
    from tests.conftest import with_totp

    person = person_with("chief_isec_officer", unit="b1", username="chief")
    with_totp(person)
    return person


@pytest.fixture
def plan(chief, ciso, isec_officer, staff, other_staff, outsider):
    """Everyone of the fixture organisation has a checklist: staff (d1) submitted with a
    mix of answers, other_staff (d2) answered everything 実施している without submitting."""
    plan = make_plan(chief)
    answer(plan, staff, ["done", "partial", "not_done", "na"], submit=True)
    answer(plan, other_staff, ["done"])
    return plan


def item_counts(plan, **filters) -> dict[str, int]:
    items = ChecklistItem.objects.filter(checklist__plan=plan, **filters)
    return {a: items.filter(answer=a).count() for a in ("done", "partial", "not_done", "na")}


def test_ciso_sees_submission_and_implementation_rates(client, login, ciso, plan, units):
    login(ciso)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    page = response.content.decode()
    distributed = Checklist.objects.filter(plan=plan).count()
    assert distributed == 6  # chief, ciso, isec_officer, staff, other_staff, outsider
    assert f"1 / {distributed}" in page

    counts = item_counts(plan)
    rate = expected_rate(counts["done"], counts["partial"], counts["not_done"])
    figures = response.context["figures"]
    assert figures.total.implementation_rate == rate
    assert f"{rate}" in page
    assert figures.total.submitted == 1
    assert figures.total.submission_rate == round(100 / 6, 1)

    rows = {row.name: row for row in figures.units}
    # 総務局 adds up its divisions (staff in d1, other_staff in d2) and its own members
    assert rows["総務課"].tally.submitted == 1
    assert rows["総務課"].tally.submission_rate == 100.0
    d1 = item_counts(plan, checklist__unit=units["d1"])
    assert rows["総務課"].tally.implementation_rate == expected_rate(
        d1["done"], d1["partial"], d1["not_done"]
    )
    assert rows["会計課"].tally.implementation_rate == 100.0
    assert rows["会計課"].tally.submitted == 0
    assert (
        rows["総務局"].tally.distributed
        == Checklist.objects.filter(plan=plan, unit__path__startswith=units["b1"].path).count()
    )
    assert rows["情報課"].tally.implementation_rate is None  # nothing answered yet
    assert 'id="asd-chart-units"' in page and 'data-assessment-chart="asd-chart-units"' in page


def test_worst_requirements_come_first(client, login, ciso, plan):
    login(ciso)
    figures = client.get(DASHBOARD).context["figures"]
    rated = [row for row in figures.requirements if row.tally.rated]
    rates = [row.tally.implementation_rate for row in rated]
    assert rates == sorted(rates)
    worst = rated[0]
    # staff answered it 実施していない, other_staff 実施している: (0 + 1) / 2
    assert (worst.tally.not_done, worst.tally.done, worst.tally.partial) == (1, 1, 0)
    assert worst.tally.implementation_rate == 50.0
    assert rated[-1].tally.implementation_rate == 100.0
    assert worst.citation.startswith(("統一基準", "総務省訓令"))
    chart = client.get(DASHBOARD).context["charts"]["requirements"]
    assert chart["data"]["labels"][0] == worst.citation
    assert chart["data"]["datasets"][0]["data"][0] == 50.0


def test_isec_officer_sees_only_their_units_and_who_has_not_submitted(
    client, login, isec_officer, plan, other_staff, outsider, units
):
    login(isec_officer)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert not figures.scope.whole_org
    names = [row.name for row in figures.units]
    assert names[:3] == ["総務局", "総務課", "会計課"]
    assert "情報課" not in names and "情報局" not in names
    in_scope = Checklist.objects.filter(plan=plan, unit__path__startswith=units["b1"].path)
    assert figures.total.distributed == in_scope.count()
    page = response.content.decode()
    assert f"1 / {in_scope.count()}" in page
    table = page[page.index('id="asd-not-submitted"') :]
    assert other_staff.display_name in table
    assert outsider.display_name not in page
    # the rows of the list are the unsubmitted checklists of the scope
    assert response.context["not_submitted"].paginator.count == in_scope.count() - 1


def test_section_officer_sees_their_division(client, login, section_officer, plan, chief):
    login(section_officer)
    figures = client.get(DASHBOARD).context["figures"]
    assert [row.name for row in figures.units] == ["総務課"]
    assert figures.total.submitted == 1


@pytest.mark.parametrize("who", ["staff", "outsider", "auditor"])
def test_anyone_else_is_refused_with_a_reason(client, login, plan, request, who):
    person = request.getfixturevalue(who)
    login(person)
    for url in (DASHBOARD, DASHBOARD + "results.xlsx", DASHBOARD + "results.pdf"):
        response = client.get(url)
        assert response.status_code == 403
        assert "自己点検の状況を見る権限がありません" in response.content.decode()


def test_overdue_checklists_are_counted(client, login, ciso, chief, staff, other_staff):
    plan = make_plan(chief)
    Checklist.objects.filter(plan=plan).update(due_date=timezone.localdate() - timedelta(days=1))
    answer(plan, staff, ["done"], submit=True)
    login(ciso)
    response = client.get(DASHBOARD)
    overdue = Checklist.objects.filter(plan=plan).exclude(person=staff).count()
    assert response.context["figures"].total.overdue == overdue
    assert f'id="asd-overdue">{overdue}<' in response.content.decode()


def test_unit_evaluations_and_the_org_evaluation_show(
    client, login, ciso, chief, isec_officer, plan, units
):
    login(ciso)
    figures = client.get(DASHBOARD).context["figures"]
    assert [(row.unit_name, row.state) for row in figures.evaluations] == [("総務局", "none")]
    assert figures.org_evaluation is None

    evaluation = services_evaluations.save_unit_evaluation(
        plan, units["b1"], isec_officer, summary="概ね実施されている。"
    )
    services_evaluations.report_unit_evaluation(evaluation, isec_officer)
    services_evaluations.save_org_evaluation(plan, chief, summary="共通の課題はない。")
    response = client.get(DASHBOARD)
    figures = response.context["figures"]
    assert figures.evaluations_reported == 1
    assert figures.evaluations[0].evaluator == isec_officer.display_name
    assert figures.org_evaluation.state == "draft"
    page = response.content.decode()
    assert 'id="asd-evaluations">1 / 1<' in page
    assert "作成中" in page[page.index('id="asd-org-evaluation"') :]


def test_without_a_plan_the_page_says_so(client, login, ciso, chief):
    login(ciso)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "年度自己点検計画はまだありません" in response.content.decode()
    assert client.get(DASHBOARD + "results.xlsx").status_code == 404


def test_year_picker_selects_an_older_plan(client, login, ciso, chief, plan):
    from mamori.compliance.assessments.models import AssessmentPlan

    older = AssessmentPlan.objects.create(
        organization=plan.organization,
        fiscal_year=plan.fiscal_year - 1,
        title="前年度",
        answer_due=plan.answer_due - timedelta(days=365),
        unit_evaluation_due=plan.unit_evaluation_due - timedelta(days=365),
        org_evaluation_due=plan.org_evaluation_due - timedelta(days=365),
        created_by=chief,
    )
    login(ciso)
    assert client.get(DASHBOARD).context["figures"].plan == plan
    response = client.get(DASHBOARD, {"fy": older.fiscal_year})
    assert response.context["figures"].plan == older
    assert response.context["figures"].total.distributed == 0
    assert f"{older.fiscal_year}年度" in response.content.decode()


def _grow(person_with, n: int, chief, plan):
    people = [person_with(unit=("d1", "d2", "d3")[i % 3]) for i in range(n)]
    services.generate_checklists(plan, chief)
    for index, person in enumerate(people):
        answer(plan, person, ["done", "partial", "not_done", "na"], submit=index % 2 == 0)
    return people


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_staff(
    client, login, person_with, ciso, chief, isec_officer
):
    from django.test import Client

    plan = make_plan(chief)
    _grow(person_with, 3, chief, plan)
    login(ciso)
    officer = login(isec_officer, Client())
    small = (_queries(client, DASHBOARD), _queries(officer, DASHBOARD))
    _grow(person_with, 27, chief, plan)
    assert Checklist.objects.filter(plan=plan).count() >= 33
    large = (_queries(client, DASHBOARD), _queries(officer, DASHBOARD))
    assert small == large


def test_rates_of_a_tally():
    tally = dashboards.Tally(distributed=4, submitted=3, done=6, partial=2, not_done=2, na=5)
    assert tally.submission_rate == 75.0
    assert tally.implementation_rate == 70.0  # (6 + 1) / 10
    assert dashboards.Tally().implementation_rate is None


def test_figures_follow_every_change(client, login, ciso, plan, other_staff):
    """Every view shows the figures as they are now (no cache to go stale)."""
    login(ciso)
    assert client.get(DASHBOARD).context["figures"].total.submitted == 1
    assert client.get(DASHBOARD).context["figures"].total.submitted == 1
    services_answers.submit_checklist(checklist_of(plan, other_staff), other_staff)
    response = client.get(DASHBOARD)
    assert response.context["figures"].total.submitted == 2
    assert f"2 / {Checklist.objects.filter(plan=plan).count()}" in response.content.decode()
    # an answer changed through the services shows at once (the tally moves with it)
    before = response.context["figures"].total
    answer(plan, ciso, ["not_done"])
    after = client.get(DASHBOARD).context["figures"].total
    assert after.not_done == before.not_done + checklist_of(plan, ciso).item_count
    assert after.implementation_rate < before.implementation_rate


def test_an_org_wide_evaluator_is_expected_for_every_top_unit(
    client, login, ciso, chief, person_with
):
    person_with("isec_officer", unit="b2", username="isec-whole")  # for the whole organisation
    make_plan(chief)
    login(ciso)
    figures = client.get(DASHBOARD).context["figures"]
    assert [(row.unit_name, row.state) for row in figures.evaluations] == [
        ("総務局", "none"),
        ("情報局", "none"),
    ]
    assert 'id="asd-evaluations">0 / 2<' in client.get(DASHBOARD).content.decode()
