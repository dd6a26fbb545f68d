"""実施率 has one definition (rates.implementation): 実施している 1, 一部実施 0.5,
実施していない 0, over those three; 該当しない and unanswered items are left out. The
evaluation pages, the dashboard and the exports show the same figure and say how it is
computed."""

from __future__ import annotations

import io

from mamori.compliance.assessments import rates, services_answers
from mamori.compliance.assessments.models import ChecklistItem

NOTE = "「一部実施」の数×0.5"


def test_the_formula():
    assert rates.implementation(6, 2, 2) == 0.7  # (6 + 1) / 10
    assert rates.implementation(0, 0, 0) is None
    assert rates.Tally(items=20, done=6, partial=2, not_done=2, na=5).implementation_rate == 0.7


def test_every_page_and_export_shows_the_same_rate(
    client, login, make_plan, chief, ciso, staff, other_staff, checklist_of, units
):
    from openpyxl import load_workbook

    plan = make_plan()
    for person, pattern in (
        (staff, ["done", "partial", "na", "not_done", "partial"]),
        (other_staff, ["done", ""]),
    ):
        checklist = checklist_of(plan, person)
        ids = list(checklist.items.order_by("position").values_list("pk", flat=True))
        services_answers.answer_items(
            checklist,
            person,
            {pk: (pattern[n % len(pattern)], "理由") for n, pk in enumerate(ids)},
        )
    items = ChecklistItem.objects.filter(checklist__plan=plan)
    done, partial, not_done = (
        items.filter(answer=a).count() for a in ("done", "partial", "not_done")
    )
    assert items.filter(answer="na").exists() and items.filter(answer="").exists()
    expected = round(100 * (done + partial / 2) / (done + partial + not_done), 1)

    login(chief)
    page = client.get(f"/self-assessment/plans/{plan.pk}/evaluation/").content.decode()
    assert f"実施率 {expected:.1f}%" in page
    assert NOTE in page
    login(ciso)
    dashboard = client.get("/self-assessment/dashboard/")
    assert dashboard.context["figures"].total.implementation_rate == expected
    assert NOTE in dashboard.content.decode()
    response = client.get("/self-assessment/dashboard/results.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["概要"]
    summary = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert summary["実施率（%）"] == expected
    assert NOTE in summary["実施率の算出方法"]
