"""Incident figures per Japanese fiscal year: counts by kind, unit and month, response and
closure times, overdue notifications; the page, its constant query count and the Excel."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from tests.incidents.test_pdf import make_item
from tests.incidents.test_stix import make_case

from mamori.incidents import metrics

TOKYO = ZoneInfo("Asia/Tokyo")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TOKYO)


def test_fiscal_year_runs_april_to_march():
    assert metrics.fiscal_year(date(2026, 3, 31)) == 2025
    assert metrics.fiscal_year(date(2026, 4, 1)) == 2026
    start, end = metrics.fiscal_range(2025)
    assert (start, end) == (at(2025, 4, 1), at(2026, 4, 1))


def test_percentiles_interpolate_between_ranks():
    assert metrics.percentile([], 0.5) is None
    assert metrics.percentile([7.0], 0.9) == 7.0
    assert metrics.percentile([2.0, 10.0, 4.0], 0.5) == 4.0
    assert metrics.percentile([2.0, 4.0, 10.0], 0.9) == pytest.approx(8.8)


@pytest.fixture
def csirt(person_with):
    from tests.conftest import with_totp

    person = person_with("csirt", unit="b2", username="csirt-member")
    with_totp(person)
    return person


@pytest.fixture
def fy2025(staff, other_staff, outsider):
    """Four cases in FY2025 (one on its last evening) and one just after it."""
    a = make_case(
        staff,
        kind="malware",
        reported_at=at(2025, 5, 10, 10),
        first_response_at=at(2025, 5, 10, 12),
        closed_at=at(2025, 5, 12, 12),
        status="closed",
    )
    b = make_case(
        other_staff,
        kind="malware",
        reported_at=at(2025, 8, 1, 9),
        first_response_at=at(2025, 8, 1, 13),
        status="responding",
    )
    c = make_case(
        staff,
        kind="lost_device",
        title='=HYPERLINK("http://example.invalid")',
        reported_at=at(2026, 3, 31, 23, 30),
        first_response_at=at(2026, 4, 1, 9, 30),
        closed_at=at(2026, 4, 5, 3, 30),
        status="closed",
    )
    e = make_case(outsider, kind="dos", reported_at=at(2025, 6, 1, 8), status="cancelled")
    d = make_case(staff, kind="malware", reported_at=at(2026, 4, 1, 0, 10))
    now = timezone.now()
    make_item(a, due_at=now - timedelta(days=1))  # overdue, not sent
    make_item(a, due_at=now - timedelta(days=1), cancelled_at=now)  # no longer required
    make_item(b, due_at=at(2025, 8, 1, 10), sent_at=at(2025, 8, 1, 12))  # sent late
    make_item(c, due_at=now - timedelta(hours=2), title_ja="委員会への報告")  # overdue
    make_item(c, due_at=now + timedelta(hours=2))  # not yet due
    make_item(d, due_at=now - timedelta(days=1))  # overdue, but FY2026
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def test_figures_for_a_fiscal_year(csirt, fy2025):
    figures = metrics.compute(metrics.incidents_for(csirt), 2025)
    assert figures.total == 4
    counts = {row.code: row.count for row in figures.by_kind}
    assert (counts["malware"], counts["lost_device"], counts["dos"], counts["pii_leak"]) == (
        2,
        1,
        1,
        0,
    )
    assert dict(figures.by_unit) == {"総務課": 2, "会計課": 1, "情報課": 1}
    months = dict(figures.by_month)
    assert len(months) == 12 and list(months)[0] == "2025-04" and list(months)[-1] == "2026-03"
    assert (months["2025-05"], months["2025-06"], months["2025-08"], months["2026-03"]) == (
        1,
        1,
        1,
        1,
    )
    # first response after 2, 4 and 10 hours; closure after 50 and 100 hours
    assert (figures.response.count, figures.response.median, figures.response.p90) == (3, 4.0, 8.8)
    assert (figures.closure.count, figures.closure.median, figures.closure.p90) == (2, 75.0, 95.0)
    malware = next(row for row in figures.by_kind if row.code == "malware")
    assert (malware.response.median, malware.closure.median) == (3.0, 50.0)
    assert figures.overdue_open == 2
    assert figures.sent_late == 1
    assert [item.incident_id for item in figures.overdue_items] == [
        fy2025["a"].pk,
        fy2025["c"].pk,
    ]
    assert figures.years[-1] == 2025


def test_page_shows_the_figures_and_the_chart_data(client, login, csirt, fy2025):
    login(csirt)
    response = client.get("/incidents/metrics/?fy=2025")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="metrics-total">4<' in html
    assert 'id="metrics-overdue">2<' in html
    assert "4.0 / 8.8" in html and "75.0 / 95.0" in html
    assert '<script id="chart-kind" type="application/json">' in html
    assert "vendor/chart.umd.min.js" in html
    assert fy2025["a"].number in html and fy2025["d"].number not in html
    assert 'href="/incidents/metrics/export.xlsx?fy=2025"' in html


def test_query_count_does_not_grow_with_the_cases(client, login, csirt, staff):
    login(csirt)

    def queries_with(n: int) -> int:
        from mamori.incidents.models import Incident

        for _ in range(n - Incident.objects.count()):
            case = make_case(staff, first_response_at=timezone.now(), status="triaged")
            make_item(case, due_at=timezone.now() - timedelta(hours=1))
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/incidents/metrics/").status_code == 200
        return len(captured)

    assert queries_with(5) == queries_with(50)


def test_excel_has_a_sheet_per_view_with_the_figures(client, login, csirt, fy2025):
    login(csirt)
    response = client.get("/incidents/metrics/export.xlsx?fy=2025")
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["概要", "種類別", "組織単位別", "対応時間", "期限超過"]
    summary = {row[0]: row[1] for row in book["概要"].iter_rows(min_row=2, values_only=True)}
    assert summary["年度"] == 2025 and summary["件数"] == 4
    assert summary["期限を過ぎた未送付の報告"] == 2
    by_kind = {row[1]: row[2] for row in book["種類別"].iter_rows(min_row=2, values_only=True)}
    assert by_kind["malware"] == 2 and by_kind["dos"] == 1
    units = {row[0]: row[1] for row in book["組織単位別"].iter_rows(min_row=2, values_only=True)}
    assert units == {"総務課": 2, "会計課": 1, "情報課": 1}
    times = list(book["対応時間"].iter_rows(min_row=2, values_only=True))
    assert times[-1][0] == "合計" and times[-1][2:4] == (4.0, 8.8)
    overdue = list(book["期限超過"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in overdue] == [fy2025["a"].number, fy2025["c"].number]
    # A title typed as a formula stays text.
    cell = book["期限超過"]["B3"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


def test_ciso_may_read_the_figures(client, login, ciso):
    login(ciso)
    assert client.get("/incidents/metrics/").status_code == 200


def test_staff_and_unit_officers_are_refused(client, login, staff, section_officer):
    for person in (staff, section_officer):
        login(person)
        assert client.get("/incidents/metrics/").status_code == 403
        assert client.get("/incidents/metrics/export.xlsx").status_code == 403


def test_a_mistyped_year_shows_this_year(client, login, csirt):
    login(csirt)
    response = client.get("/incidents/metrics/?fy=abc")
    assert response.status_code == 200
    this_year = metrics.fiscal_year(timezone.localdate())
    assert f"{this_year}年度" in response.content.decode()
