"""Incident figures for one Japanese fiscal year (April to March): cases by kind, by
unit and by month, time to first response and to closure (median and 90th percentile,
in hours), and reporting-chain notifications that are overdue or were sent late.

A fixed number of queries whatever the number of cases: counts are ORM aggregates, the
durations come back as one column each and the percentiles are taken in Python (SQLite
has no percentile function)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from mamori.incidents.models import ChainItem, Incident
from mamori.incidents.pdf import kind_label, recipient_label
from mamori.rules import incident_kinds

# Who reads the figures: the CSIRT and the officers who answer for the whole
# organisation (CISO, 統括情報セキュリティ責任者, 事案対処統括責任者, 情報保証統括責任者).
METRICS_ROLES = (
    "csirt",
    "csirt_lead",
    "ciso",
    "deputy_ciso",
    "chief_isec_officer",
    "incident_chief",
    "ia_chief",
)
OVERDUE_LIST_LIMIT = 200


def fiscal_year(day: date) -> int:
    """The Japanese fiscal year a day falls in: FY2026 runs 2026-04-01 … 2027-03-31."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_range(year: int) -> tuple[datetime, datetime]:
    """[start, end) of a fiscal year in local time (Asia/Tokyo)."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(date(year, 4, 1), time.min), zone)
    end = timezone.make_aware(datetime.combine(date(year + 1, 4, 1), time.min), zone)
    return start, end


def percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (the common spreadsheet method)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _hours(value: timedelta | None) -> float | None:
    return value.total_seconds() / 3600 if value is not None else None


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


@dataclass(frozen=True)
class Durations:
    count: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, values: list[float]) -> Durations:
        return cls(len(values), _round(percentile(values, 0.5)), _round(percentile(values, 0.9)))


@dataclass
class KindRow:
    code: str
    label: str
    count: int
    response: Durations
    closure: Durations


@dataclass
class Metrics:
    year: int
    start: datetime
    end: datetime
    total: int
    by_kind: list[KindRow]
    by_unit: list[tuple[str, int]]
    by_month: list[tuple[str, int]]  # ("2026-04", n) for the twelve months
    response: Durations
    closure: Durations
    overdue_open: int
    sent_late: int
    overdue_items: list = field(default_factory=list)
    years: list[int] = field(default_factory=list)


def _months(year: int) -> list[str]:
    return [f"{year + (m < 4)}-{m:02d}" for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def compute(
    cases, year: int, *, now: datetime | None = None, overdue_limit: int | None = OVERDUE_LIST_LIMIT
) -> Metrics:
    """Figures for the cases (an Incident queryset already scoped to the reader)
    reported in fiscal `year`; the overdue list is cut at `overdue_limit` (None: all)."""
    now = now or timezone.now()
    start, end = fiscal_range(year)
    period = cases.filter(reported_at__gte=start, reported_at__lt=end)

    kind_counts = dict(
        period.order_by().values_list("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    unit_rows = (
        period.order_by()
        .values("reporter_unit", "reporter_unit__name", "reporter_unit__name_en")
        .annotate(n=Count("id"))
        .order_by("-n", "reporter_unit__name")
    )
    month_counts = {
        timezone.localtime(row["month"]).strftime("%Y-%m"): row["n"]
        for row in period.order_by()
        .annotate(month=TruncMonth("reported_at"))
        .values("month")
        .annotate(n=Count("id"))
        if row["month"] is not None
    }

    # One row per case: kind, hours to first response, hours to closure.
    durations = period.order_by().annotate(
        to_response=ExpressionWrapper(
            F("first_response_at") - F("reported_at"), output_field=DurationField()
        ),
        to_closure=ExpressionWrapper(
            F("closed_at") - F("reported_at"), output_field=DurationField()
        ),
    )
    response_by_kind: dict[str, list[float]] = {}
    closure_by_kind: dict[str, list[float]] = {}
    for kind, to_response, to_closure, status in durations.values_list(
        "kind", "to_response", "to_closure", "status"
    ):
        hours = _hours(to_response)
        if hours is not None and hours >= 0:
            response_by_kind.setdefault(kind, []).append(hours)
        hours = _hours(to_closure)
        if status == "closed" and hours is not None and hours >= 0:
            closure_by_kind.setdefault(kind, []).append(hours)

    items = ChainItem.objects.filter(incident__in=period.values("pk"))
    overdue = Q(sent_at__isnull=True, cancelled_at__isnull=True, due_at__lt=now)
    chain_counts = items.aggregate(
        overdue_open=Count("id", filter=overdue),
        sent_late=Count("id", filter=Q(sent_at__isnull=False, due_at__lt=F("sent_at"))),
    )
    overdue_query = items.filter(overdue).select_related("incident").order_by("due_at", "id")
    overdue_items = list(overdue_query[:overdue_limit] if overdue_limit else overdue_query)
    for item in overdue_items:
        item.recipient_label = recipient_label(item)

    known = [k.code for k in incident_kinds.KINDS]
    codes = known + sorted(set(kind_counts) - set(known))
    by_kind = [
        KindRow(
            code=code,
            label=kind_label(code),
            count=kind_counts.get(code, 0),
            response=Durations.of(response_by_kind.get(code, [])),
            closure=Durations.of(closure_by_kind.get(code, [])),
        )
        for code in codes
    ]
    by_unit = [(_unit_name(row), row["n"]) for row in unit_rows]
    every_response = [h for hours in response_by_kind.values() for h in hours]
    every_closure = [h for hours in closure_by_kind.values() for h in hours]
    return Metrics(
        year=year,
        start=start,
        end=end,
        total=sum(kind_counts.values()),
        by_kind=by_kind,
        by_unit=by_unit,
        by_month=[(month, month_counts.get(month, 0)) for month in _months(year)],
        response=Durations.of(every_response),
        closure=Durations.of(every_closure),
        overdue_open=chain_counts["overdue_open"],
        sent_late=chain_counts["sent_late"],
        overdue_items=overdue_items,
        years=sorted({year, *available_years(cases, now=now)}, reverse=True),
    )


def _unit_name(row: dict) -> str:
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    if row["reporter_unit"] is None:
        return _("所属なし")
    if get_language() == "en" and row["reporter_unit__name_en"]:
        return row["reporter_unit__name_en"]
    return row["reporter_unit__name"]


def available_years(cases, *, now: datetime | None = None) -> list[int]:
    """Fiscal years from the first case to this one, newest first."""
    current = fiscal_year(timezone.localdate(now or timezone.now()))
    first = cases.order_by().aggregate(first=Min("reported_at"))["first"]
    oldest = fiscal_year(timezone.localtime(first).date()) if first else current
    return list(range(current, min(oldest, current) - 1, -1))


def chart_configs(metrics: Metrics) -> dict:
    """Chart.js configurations for the page (drawn by app.js from json_script islands)."""
    from django.utils.translation import gettext as _

    def bar(labels, values, label, horizontal=False):
        config = {
            "type": "bar",
            "data": {"labels": labels, "datasets": [{"label": label, "data": values}]},
            "options": {
                "plugins": {"legend": {"display": False}},
                # counts: whole-number ticks on the value axis
                "scales": {
                    "x": {"beginAtZero": True, "ticks": {"precision": 0}},
                    "y": {"beginAtZero": True, "ticks": {"precision": 0}},
                },
            },
        }
        if horizontal:
            config["options"]["indexAxis"] = "y"
        return config

    return {
        "kind": bar(
            [row.label for row in metrics.by_kind],
            [row.count for row in metrics.by_kind],
            _("件数"),
            horizontal=True,
        ),
        "unit": bar(
            [name for name, _n in metrics.by_unit],
            [n for _name, n in metrics.by_unit],
            _("件数"),
            horizontal=True,
        ),
        "month": bar(
            [m for m, _n in metrics.by_month], [n for _m, n in metrics.by_month], _("件数")
        ),
    }


def incidents_for(person):
    return Incident.objects.visible_to(person)


# --- Excel ------------------------------------------------------------------------------


def _cell(sheet, row: int, column: int, value) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    # openpyxl stores a string starting with "=" as a formula: case titles are typed by
    # staff, so text is always text.
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def _sheet(workbook, title: str, header: list[str], rows) -> None:
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title)
    for column, text in enumerate(header, start=1):
        _cell(sheet, 1, column, text)
        sheet.cell(row=1, column=column).font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            _cell(sheet, r, column, value)
    for column, text in enumerate(header, start=1):
        letter = sheet.cell(row=1, column=column).column_letter
        sheet.column_dimensions[letter].width = max(12, len(text) * 2 + 2)
    sheet.freeze_panes = "A2"


def workbook_bytes(metrics: Metrics) -> bytes:
    """The figures as an .xlsx: 概要, 種類別, 組織単位別, 対応時間, 期限超過."""
    import io

    from django.utils.translation import gettext as _
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    period = f"{metrics.start:%Y-%m-%d} – {(metrics.end - timedelta(days=1)):%Y-%m-%d}"
    _sheet(
        workbook,
        _("概要"),
        [_("項目"), _("値")],
        [
            (_("年度"), metrics.year),
            (_("期間"), period),
            (_("件数"), metrics.total),
            (_("初動対応までの時間 中央値（時間）"), metrics.response.median),
            (_("初動対応までの時間 90パーセンタイル（時間）"), metrics.response.p90),
            (_("終結までの時間 中央値（時間）"), metrics.closure.median),
            (_("終結までの時間 90パーセンタイル（時間）"), metrics.closure.p90),
            (_("期限を過ぎた未送付の報告"), metrics.overdue_open),
            (_("期限後に送付された報告"), metrics.sent_late),
        ],
    )
    _sheet(
        workbook,
        _("種類別"),
        [_("種類"), _("コード"), _("件数")],
        [(row.label, row.code, row.count) for row in metrics.by_kind],
    )
    _sheet(workbook, _("組織単位別"), [_("組織単位"), _("件数")], metrics.by_unit)
    _sheet(
        workbook,
        _("対応時間"),
        [
            _("種類"),
            _("初動対応 件数"),
            _("初動対応 中央値（時間）"),
            _("初動対応 90パーセンタイル（時間）"),
            _("終結 件数"),
            _("終結 中央値（時間）"),
            _("終結 90パーセンタイル（時間）"),
        ],
        [
            (
                row.label,
                row.response.count,
                row.response.median,
                row.response.p90,
                row.closure.count,
                row.closure.median,
                row.closure.p90,
            )
            for row in [*metrics.by_kind, _total_row(metrics)]
        ],
    )
    _sheet(
        workbook,
        _("期限超過"),
        [_("事案番号"), _("件名"), _("報告"), _("宛先"), _("期限"), _("根拠")],
        [
            (
                item.incident.number,
                item.incident.title,
                item.title,
                item.recipient_label,
                timezone.localtime(item.due_at).strftime("%Y-%m-%d %H:%M"),
                item.citation,
            )
            for item in metrics.overdue_items
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _total_row(metrics: Metrics) -> KindRow:
    from django.utils.translation import gettext as _

    return KindRow("", _("合計"), metrics.total, metrics.response, metrics.closure)
