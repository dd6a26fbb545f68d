"""The indicators of 行動計画 Ⅴ.1.4 for one 年度, per sector, for NISC (all sectors) and
the ministries' liaisons (the sectors they serve).

Figures (each with the clause it serves):
- IT failures exceeding the service-maintenance level (Ⅴ.1.4.1): reports filed in the
  year whose latest version (`Report.current`) has the computed verdict "exceeds"
  (別紙2), counted once per report; and of them those that reached NISC (内閣官房が認知).
- reports received (Ⅴ.1.4.1), alerts sent, items shared (deliveries), early warnings and
  the acknowledgement rate (Ⅴ.1.4.2(2)), drills held and their participants (Ⅴ.1.4.2(4)).

Everything is aggregated in the database with values().annotate(): a constant number of
queries whatever the number of reports, alerts or drills.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from mamori.errors import Forbidden
from mamori.org import scope
from mamori.rules import cip
from mamori.rules.deadlines import fiscal_year_end, fiscal_year_start
from mamori.rules.refs import CIP, cite
from mamori.sharing import access, structure
from mamori.sharing.drill_models import Drill, DrillDelivery
from mamori.sharing.models import AlertStatus, Delivery, PartyRole, Report, RouteStep
from mamori.web.deadlines import day_bounds

CITATION = cite(CIP, "Ⅴ.1.4")
LEVEL_CITATION = cite(CIP, "Ⅴ.1.4.1")
SHARING_CITATION = cite(CIP, "Ⅴ.1.4.2(2)")
DRILL_CITATION = cite(CIP, "Ⅴ.1.4.2(4)")
# 1.4.1: comparing sectors' failures to rate their measures is not appropriate.
NO_RANKING_CITATION = cite(CIP, "Ⅴ.1.4.1")

# (field, citation): the figures of a sector row, in table order.
FIGURES = (
    ("exceeds", LEVEL_CITATION),
    ("exceeds_known", LEVEL_CITATION),
    ("undetermined", LEVEL_CITATION),
    ("reports", LEVEL_CITATION),
    ("alerts", SHARING_CITATION),
    ("deliveries", SHARING_CITATION),
    ("early_warnings", SHARING_CITATION),
    ("ack_rate", SHARING_CITATION),
    ("drills", DRILL_CITATION),
    ("participants", DRILL_CITATION),
    ("drill_ack_rate", DRILL_CITATION),
)


def figure_labels() -> dict[str, str]:
    return {
        "exceeds": _("サービス維持レベルを超えたＩＴ障害"),
        "exceeds_known": _("うち内閣官房が認知したもの"),
        "undetermined": _("判定できない情報連絡"),
        "reports": _("受けた情報連絡"),
        "alerts": _("情報提供（内閣官房が発信した情報）"),
        "deliveries": _("共有された件数（配信）"),
        "early_warnings": _("早期警戒情報"),
        "ack_rate": _("情報提供の受領確認率（％）"),
        "drills": _("実施した訓練"),
        "participants": _("訓練の参加組織"),
        "drill_ack_rate": _("訓練の受領確認率（％）"),
    }


def rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class SectorRow:
    code: str
    label: str
    exceeds: int = 0
    exceeds_known: int = 0
    undetermined: int = 0
    reports: int = 0
    alerts: int = 0
    deliveries: int = 0
    acknowledged: int = 0
    early_warnings: int = 0
    drills: int = 0
    participants: int = 0
    drill_deliveries: int = 0
    drill_acknowledged: int = 0

    @property
    def ack_rate(self) -> float | None:
        return rate(self.acknowledged, self.deliveries)

    @property
    def drill_ack_rate(self) -> float | None:
        return rate(self.drill_acknowledged, self.drill_deliveries)


@dataclass
class Indicators:
    year: int
    start: date
    end: date  # inclusive
    rows: list[SectorRow]
    total: SectorRow
    citation: str = CITATION
    figures: tuple = FIGURES
    labels: dict = field(default_factory=dict)


def readable_sectors(person) -> list[str] | None:
    """None for NISC (every sector); a liaison's sectors; Forbidden for anyone else."""
    if access.is_nisc(person) and scope.has_role(person, "cip_nisc"):
        return None
    if scope.has_role(person, "cip_liaison") and access.organization_of(person) is not None:
        return [
            liaison.sector
            for liaison in structure.liaisons_of(person)
            if liaison.ministry_id == person.organization_id
        ]
    raise Forbidden(_("共有の指標を見られるのは内閣官房と所管省庁のリエゾンです。"))


def compute(person, year: int) -> Indicators:
    sectors = readable_sectors(person)
    start, end = fiscal_year_start(year), fiscal_year_end(year)
    since, until = day_bounds(start, end)
    codes = list(cip.sectors()) if sectors is None else [c for c in cip.sectors() if c in sectors]
    rows = {code: SectorRow(code, structure.sector_label(code)) for code in codes}

    reports = Report.objects.filter(created__gte=since, created__lt=until, sector__in=codes)
    for line in reports.values("sector").annotate(
        n=Count("id"),
        exceeds=Count("id", filter=Q(current__exceeds_level=True)),
        undetermined=Count("id", filter=Q(current__exceeds_level__isnull=True)),
    ):
        row = rows[line["sector"]]
        row.reports, row.exceeds, row.undetermined = (
            line["n"],
            line["exceeds"],
            line["undetermined"],
        )
    at_nisc = RouteStep.objects.filter(recipient_org__sharing_party__role=PartyRole.NISC)
    for line in (
        reports.filter(current__exceeds_level=True, pk__in=at_nisc.values("report_id"))
        .values("sector")
        .annotate(n=Count("id"))
    ):
        rows[line["sector"]].exceeds_known = line["n"]

    deliveries = Delivery.objects.filter(
        alert__status=AlertStatus.ISSUED,
        alert__issued_at__gte=since,
        alert__issued_at__lt=until,
        recipient__sharing_party__sector__in=codes,
    )
    for line in deliveries.values("recipient__sharing_party__sector").annotate(
        alerts=Count("alert", distinct=True),
        early=Count("alert", distinct=True, filter=Q(alert__early_warning=True)),
        n=Count("id"),
        acked=Count("id", filter=Q(acknowledged_at__isnull=False)),
    ):
        row = rows[line["recipient__sharing_party__sector"]]
        row.alerts, row.early_warnings = line["alerts"], line["early"]
        row.deliveries, row.acknowledged = line["n"], line["acked"]

    drill_rows = DrillDelivery.objects.filter(
        drill__started_at__gte=since,
        drill__started_at__lt=until,
        recipient__sharing_party__sector__in=codes,
    )
    for line in drill_rows.values("recipient__sharing_party__sector").annotate(
        drills=Count("drill", distinct=True),
        people=Count("recipient", distinct=True),
        n=Count("id"),
        acked=Count("id", filter=Q(acknowledged_at__isnull=False)),
    ):
        row = rows[line["recipient__sharing_party__sector"]]
        row.drills, row.participants = line["drills"], line["people"]
        row.drill_deliveries, row.drill_acknowledged = line["n"], line["acked"]

    total = SectorRow("", _("合計"))
    for row in rows.values():
        for name in (
            "exceeds",
            "exceeds_known",
            "undetermined",
            "reports",
            "deliveries",
            "acknowledged",
            "drill_deliveries",
            "drill_acknowledged",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    # an alert or drill reaching several sectors counts once in the total
    totals = deliveries.aggregate(
        alerts=Count("alert", distinct=True),
        early=Count("alert", distinct=True, filter=Q(alert__early_warning=True)),
    )
    total.alerts, total.early_warnings = totals["alerts"], totals["early"]
    drill_totals = drill_rows.aggregate(
        drills=Count("drill", distinct=True), people=Count("recipient", distinct=True)
    )
    total.drills, total.participants = drill_totals["drills"], drill_totals["people"]
    return Indicators(year, start, end, list(rows.values()), total, labels=figure_labels())


def years() -> list[int]:
    """The 年度 to offer: from the first report or drill (or this year) to this year."""
    from django.utils import timezone

    from mamori.rules.deadlines import fiscal_year

    current = fiscal_year(timezone.localdate())
    first = [
        value
        for value in (
            Report.objects.order_by("created").values_list("created", flat=True).first(),
            Drill.objects.order_by("started_at").values_list("started_at", flat=True).first(),
        )
        if value is not None
    ]
    start = min(fiscal_year(timezone.localtime(v).date()) for v in first) if first else current
    return list(range(current, min(start, current) - 1, -1))


def table(ind: Indicators) -> list[dict]:
    """Rows for the template: each figure with its value and citation."""
    return [
        {
            "row": row,
            "cells": [(getattr(row, name), citation) for name, citation in FIGURES],
        }
        for row in [*ind.rows, ind.total]
    ]


def chart_configs(ind: Indicators) -> dict:
    labels = [row.label for row in ind.rows]

    def bar(datasets, percent=False):
        return {
            "type": "bar",
            "data": {"labels": labels, "datasets": datasets},
            "options": {
                "indexAxis": "y",
                "scales": {"x": {"beginAtZero": True, "ticks": {"precision": 0}}},
                **({"percent": True} if percent else {}),
            },
        }

    def data(name):
        return [getattr(row, name) for row in ind.rows]

    return {
        "failures": bar(
            [
                {"label": ind.labels["exceeds"], "data": data("exceeds")},
                {"label": ind.labels["reports"], "data": data("reports")},
            ]
        ),
        "sharing": bar(
            [
                {"label": ind.labels["alerts"], "data": data("alerts")},
                {"label": ind.labels["early_warnings"], "data": data("early_warnings")},
                {"label": ind.labels["drills"], "data": data("drills")},
                {"label": ind.labels["participants"], "data": data("participants")},
            ]
        ),
        "rates": bar(
            [
                {"label": ind.labels["ack_rate"], "data": data("ack_rate")},
                {"label": ind.labels["drill_ack_rate"], "data": data("drill_ack_rate")},
            ],
            percent=True,
        ),
    }


# --- Excel ------------------------------------------------------------------------------


def write_sheet(workbook, title: str, header: list, rows) -> None:
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title[:31])
    sheet.append([str(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append(list(values))
        for cell in sheet[sheet.max_row]:
            # typed text is always text, never a formula
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(10, width * 2), 60)


def workbook_bytes(ind: Indicators) -> bytes:
    """概要 and one sheet per indicator table: ＩＴ障害, 情報共有, 訓練."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    labels = ind.labels
    write_sheet(
        workbook,
        _("概要"),
        [_("項目"), _("値"), _("根拠")],
        [
            (_("年度"), ind.year, ""),
            (_("期間"), f"{ind.start:%Y-%m-%d} – {ind.end:%Y-%m-%d}", ""),
            *[(labels[name], getattr(ind.total, name), citation) for name, citation in FIGURES],
        ],
    )
    groups = (
        (_("ＩＴ障害"), ("exceeds", "exceeds_known", "undetermined", "reports")),
        (_("情報共有"), ("alerts", "deliveries", "early_warnings", "ack_rate")),
        (_("訓練"), ("drills", "participants", "drill_ack_rate")),
    )
    cites = dict(FIGURES)
    for title, names in groups:
        write_sheet(
            workbook,
            title,
            [_("分野"), *[f"{labels[n]}（{cites[n]}）" for n in names]],
            [(row.label, *[getattr(row, n) for n in names]) for row in [*ind.rows, ind.total]],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
