"""The self-assessment results as Excel and PDF: the figures a reader sees on the
dashboard, every person's answers, the reader's scope, and the trail of each download."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from tests.compliance.assessments.test_dashboard import (  # noqa: F401  chief, plan: fixtures
    DASHBOARD,
    answer,
    chief,
    expected_rate,
    item_counts,
    plan,
)
from tests.incidents.test_pdf import pdf_text

from mamori.compliance.assessments.models import Checklist, ChecklistItem
from mamori.trail.models import Event


def exported_formats() -> list[str]:
    events = Event.objects.filter(action="assessments.results.exported")
    return [event.data["format"] for event in events]


def _sheet(workbook, title):
    return [list(row) for row in workbook[title].iter_rows(values_only=True)]


def test_excel_has_the_figures_and_every_answer(client, login, ciso, plan, staff):  # noqa: F811
    login(ciso)
    response = client.get(DASHBOARD + "results.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert workbook.sheetnames == ["概要", "組織単位別", "条項別", "回答一覧"]

    summary = dict(row[:2] for row in _sheet(workbook, "概要")[1:])
    counts = item_counts(plan)
    assert summary["配付数"] == Checklist.objects.filter(plan=plan).count()
    assert summary["提出数"] == 1
    assert summary["実施率（%）"] == expected_rate(
        counts["done"], counts["partial"], counts["not_done"]
    )
    assert summary["実施していない"] == counts["not_done"]

    units = {row[0].strip("　"): row for row in _sheet(workbook, "組織単位別")[1:]}
    assert units["総務課"][4] == 1  # submitted
    assert units["総務課"][5] == 100.0  # submission rate
    assert units["会計課"][12] == 100.0  # implementation rate

    requirements = _sheet(workbook, "条項別")
    assert requirements[0][0] == "条項"
    rates = [row[7] for row in requirements[1:] if row[7] not in ("", None)]
    assert rates == sorted(rates)

    answers = _sheet(workbook, "回答一覧")
    assert answers[0] == [
        "組織単位",
        "職員番号",
        "氏名",
        "自己点検票の状態",
        "条項",
        "回答",
        "コメント",
        "回答日時",
    ]
    assert len(answers) - 1 == ChecklistItem.objects.filter(checklist__plan=plan).count()
    mine = [row for row in answers[1:] if row[2] == f"{staff.family_name} {staff.given_name}"]
    assert {row[5] for row in mine} == {"実施している", "一部実施", "実施していない", "該当しない"}
    assert any(row[6] == "対応中です。" for row in mine)
    assert all(row[3] == "提出済" for row in mine)
    assert exported_formats() == ["xlsx"]


def test_comment_starting_with_equals_stays_text(client, login, ciso, plan, other_staff):  # noqa: F811
    checklist = Checklist.objects.get(plan=plan, person=other_staff)
    item = checklist.items.order_by("position").first()
    from mamori.compliance.assessments import services_answers

    services_answers.answer_items(checklist, other_staff, {item.pk: ("partial", '=HYPERLINK("x")')})
    login(ciso)
    content = b"".join(client.get(DASHBOARD + "results.xlsx").streaming_content)
    workbook = load_workbook(io.BytesIO(content))
    comments = [row[6] for row in workbook["回答一覧"].iter_rows(values_only=True)]
    assert '=HYPERLINK("x")' in comments
    cell = next(c for c in workbook["回答一覧"]["G"] if c.value == '=HYPERLINK("x")')
    assert cell.data_type == "s"


def test_unit_officer_exports_only_their_units(client, login, isec_officer, plan, outsider, units):  # noqa: F811
    login(isec_officer)
    content = b"".join(client.get(DASHBOARD + "results.xlsx").streaming_content)
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    names = [row[0].strip("　") for row in _sheet(workbook, "組織単位別")[1:]]
    assert names == ["総務局", "総務課", "会計課"]
    answers = _sheet(workbook, "回答一覧")[1:]
    in_scope = ChecklistItem.objects.filter(
        checklist__plan=plan, checklist__unit__path__startswith=units["b1"].path
    ).count()
    assert len(answers) == in_scope
    assert not [row for row in answers if row[2] == f"{outsider.family_name} {outsider.given_name}"]


def test_pdf_in_japanese_with_the_figures(client, login, ciso, plan):  # noqa: F811
    login(ciso)
    response = client.get(DASHBOARD + "results.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    flat = text.replace("\r", "").replace("\n", "").replace(" ", "")
    year = plan.fiscal_year
    assert f"{year}年度自己点検結果" in flat
    assert "組織単位別" in flat and "条項別（実施率の低い順）" in flat
    counts = item_counts(plan)
    rate = expected_rate(counts["done"], counts["partial"], counts["not_done"])
    distributed = Checklist.objects.filter(plan=plan).count()
    assert f"配付数{distributed}" in flat
    assert f"実施率（%）{rate}" in flat
    assert "総務課" in flat and "情報課" in flat
    assert "統一基準" in flat
    assert exported_formats() == ["pdf"]


@pytest.mark.parametrize("path", ["results.xlsx", "results.pdf"])
def test_staff_cannot_export(client, login, staff, plan, path):  # noqa: F811
    login(staff)
    assert client.get(DASHBOARD + path).status_code == 403
    assert not Event.objects.filter(action="assessments.results.exported").exists()


def test_answers_in_progress_are_in_the_export(client, login, ciso, chief, plan, outsider):  # noqa: F811
    answer(plan, outsider, ["na"])
    login(ciso)
    content = b"".join(client.get(DASHBOARD + "results.xlsx").streaming_content)
    answers = _sheet(load_workbook(io.BytesIO(content), read_only=True), "回答一覧")[1:]
    theirs = [row for row in answers if row[2] == f"{outsider.family_name} {outsider.given_name}"]
    assert theirs and {row[5] for row in theirs} == {"該当しない"}
    assert {row[3] for row in theirs} == {"回答中"}
