"""The indicators of 行動計画 Ⅴ.1.4 (/sharing/indicators/): figures per sector on a small
known data set, the latest version decides, liaison scoping, refusals, the Excel export
and a query count that does not grow with the number of reports."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mamori.rules.deadlines import fiscal_year
from mamori.sharing import drills, indicators, services, services_alerts
from mamori.sharing.models import Report

WITHIN = {"supply_loss_kw": 1000, "duration_minutes": 5}
EXCEEDS = {"supply_loss_kw": 120000, "duration_minutes": 15}
YEAR = fiscal_year(timezone.localdate())


def _content(figures):
    return services.ReportContent(
        title="更新",
        summary="更新した内容",
        event_type="unavailability",
        cause_type="accidental",
        service="electricity_supply",
        figures=figures,
        contact_means="電話",
        contact_person="山田 太郎",
    )


@pytest.fixture
def data(hub):
    # electricity: 4 reports this year, 1 last year
    first = hub.report(forward=True, figures=WITHIN)  # later updated to exceeding: counts once
    services.add_version(hub.elec1_person, first, _content(EXCEEDS), change_note="規模が判明")
    hub.report(figures=EXCEEDS)  # exceeds, still at the liaison (NISC does not know it yet)
    hub.report(forward=True, figures=WITHIN)  # within the level
    hub.report(figures={})  # cannot tell
    old = hub.report(forward=True, figures=EXCEEDS)
    Report.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=400))
    # an ordinary alert to electricity (elec CEPTOAR relays to its two members) and an
    # early warning straight to elec1 (it has the handling agreement)
    alert = services_alerts.issue_alert(
        hub.nisc_person,
        services_alerts.AlertDraft(
            title="注意喚起", body="内容", tlp="green", sectors=["electricity"]
        ),
    )
    services_alerts.acknowledge(
        hub.elec1_person, services_alerts.delivery_for(hub.elec1_person, alert)
    )
    services_alerts.issue_alert(
        hub.nisc_person,
        services_alerts.AlertDraft(
            title="早期警戒",
            body="内容",
            tlp="amber",
            category="early_warning",
            early_warning=True,
            direct_org_ids=[hub.elec1.pk],
        ),
    )
    # a drill to both CEPTOARs; the electricity CEPTOAR relays, elec1 acknowledges
    drill = drills.start_drill(hub.nisc_person, title="訓練", message="これは訓練です")
    drills.acknowledge_drill(hub.elec_poc, drill)
    drills.acknowledge_drill(hub.elec1_person, drill)
    return hub


def _row(result, code):
    return next(row for row in result.rows if row.code == code)


def test_figures_per_sector_on_a_known_data_set(data):
    from mamori.sharing.models import Delivery

    result = indicators.compute(data.nisc_person, YEAR)
    elec = _row(result, "electricity")
    assert (elec.reports, elec.exceeds, elec.exceeds_known, elec.undetermined) == (4, 2, 1, 1)
    elec_deliveries = Delivery.objects.filter(recipient__sharing_party__sector="electricity")
    # elec CEPTOAR + 2 members for the alert, elec1 for the early warning
    assert elec_deliveries.count() == 4
    assert (elec.alerts, elec.deliveries, elec.early_warnings) == (2, 4, 1)
    assert elec.acknowledged == 1 and elec.ack_rate == 25.0
    assert (elec.drills, elec.participants, elec.drill_ack_rate) == (1, 3, 66.7)
    bank = _row(result, "bank")
    assert (bank.reports, bank.alerts, bank.drills, bank.participants) == (0, 0, 1, 1)
    assert bank.drill_ack_rate == 0.0
    total = result.total
    assert (total.reports, total.exceeds, total.alerts, total.early_warnings) == (4, 2, 2, 1)
    assert (total.drills, total.participants, total.deliveries) == (1, 4, 4)
    # the previous year holds only the old report
    before = indicators.compute(data.nisc_person, YEAR - 1)
    assert (before.total.reports, before.total.exceeds, before.total.alerts) == (1, 1, 0)


def test_each_figure_carries_its_clause(data):
    cites = dict(indicators.FIGURES)
    assert cites["exceeds"] == "行動計画 Ⅴ.1.4.1"
    assert cites["alerts"] == "行動計画 Ⅴ.1.4.2(2)"
    assert cites["drills"] == "行動計画 Ⅴ.1.4.2(4)"
    assert indicators.CITATION == "行動計画 Ⅴ.1.4"


def test_page_shows_table_charts_and_clauses(client, data):
    client.force_login(data.nisc_person.user)
    response = client.get(reverse("sharing:indicators"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "行動計画 Ⅴ.1.4.1" in html and "行動計画 Ⅴ.1.4.2(2)" in html
    assert 'data-sharing-chart="chart-failures"' in html and 'id="chart-failures"' in html
    assert "sharing-indicators.js" in html and "<script>" not in html
    assert response.context["ind"].total.exceeds == 2
    assert "電力" in html and "銀行" in html


def test_liaison_sees_only_their_sectors(client, data):
    result = indicators.compute(data.meti_liaison, YEAR)
    assert [row.code for row in result.rows] == ["electricity", "gas"]
    assert result.total.drills == 1 and result.total.participants == 3
    fsa = indicators.compute(data.fsa_liaison, YEAR)
    assert [row.code for row in fsa.rows] == ["bank"]
    assert fsa.total.reports == 0 and fsa.total.exceeds == 0
    client.force_login(data.fsa_liaison.user)
    html = client.get(reverse("sharing:indicators")).content.decode()
    assert 'data-sector="electricity"' not in html and 'data-sector="bank"' in html


@pytest.mark.parametrize(
    "who", ["elec1_person", "elec_poc", "vendor_person", "crisis_person", "elec1_norole"]
)
def test_others_are_refused(client, data, who):
    client.force_login(getattr(data, who).user)
    assert client.get(reverse("sharing:indicators")).status_code == 403
    assert client.get(reverse("sharing:indicators_xlsx")).status_code == 403


def test_excel_has_a_sheet_per_table_with_the_numbers(client, data):
    from openpyxl import load_workbook

    client.force_login(data.nisc_person.user)
    response = client.get(reverse("sharing:indicators_xlsx"), {"fy": YEAR})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["概要", "ＩＴ障害", "情報共有", "訓練"]
    failures = {row[0]: row[1:] for row in book["ＩＴ障害"].iter_rows(min_row=2, values_only=True)}
    assert failures["電力"] == (2, 1, 1, 4)
    assert failures["合計"] == (2, 1, 1, 4)
    assert "行動計画 Ⅴ.1.4.1" in book["ＩＴ障害"]["B1"].value
    sharing = {row[0]: row[1:] for row in book["情報共有"].iter_rows(min_row=2, values_only=True)}
    assert sharing["電力"] == (2, 4, 1, 25.0)
    summary = {row[0]: row[1] for row in book["概要"].iter_rows(min_row=2, values_only=True)}
    assert summary["年度"] == YEAR


def test_queries_stay_constant_with_the_number_of_reports(client, hub):
    client.force_login(hub.nisc_person.user)
    for _n in range(2):
        hub.report(forward=True)
    urls = [reverse("sharing:indicators"), reverse("sharing:indicators_xlsx")]
    client.get(urls[0])
    with CaptureQueriesContext(connection) as few:
        for url in urls:
            assert client.get(url).status_code == 200
    for _n in range(8):
        hub.report(forward=True)
    with CaptureQueriesContext(connection) as many:
        for url in urls:
            assert client.get(url).status_code == 200
    assert Report.objects.count() == 10
    assert len(many) == len(few)
