"""The results of a yearly self-assessment as Excel and as a printable PDF, for the same
readers and the same scope as the dashboard (mamori.compliance.assessments.dashboards).

Excel (openpyxl, write-only so that 5,000 people × 70 clauses stream row by row from the
database to a temporary file): 概要, 組織単位別, 条項別 and 回答一覧 (every person's
answer to every clause, with the comment). PDF (WeasyPrint, Japanese): the summary
figures, the per-unit table and the per-requirement table, worst first."""

from __future__ import annotations

import tempfile

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mamori.compliance.assessments import dashboards
from mamori.compliance.assessments.workflow import (
    Answer,
    ChecklistState,
    EvaluationState,
    PlanState,
)
from mamori.web.pdf import render_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_PER_FETCH = 2000


def _cell(ws, value):
    """Cells typed by people stay text: openpyxl would store "=…" as a formula."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def _rate(value: float | None):
    return value if value is not None else ""


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def _scope_label(dashboard: dashboards.Dashboard) -> str:
    if dashboard.scope.whole_org:
        return _("組織全体")
    return "、".join(row.name for row in dashboard.units if row.depth == 0)


def summary_rows(dashboard: dashboards.Dashboard) -> list[tuple[str, object]]:
    """(label, value) of the headline figures, shared by the Excel and the PDF."""
    total = dashboard.total
    plan = dashboard.plan
    org_state = (
        _label(EvaluationState, dashboard.org_evaluation.state)
        if dashboard.org_evaluation
        else _("未着手")
    )
    return [
        (_("年度"), plan.fiscal_year),
        (_("件名"), plan.title),
        (_("計画の状態"), _label(PlanState, plan.state)),
        (_("対象範囲"), _scope_label(dashboard)),
        (_("回答期限"), plan.answer_due.isoformat()),
        (_("配付数"), total.distributed),
        (_("提出数"), total.submitted),
        (_("提出率（%）"), _rate(total.submission_rate)),
        (_("期限を過ぎた未提出"), total.overdue),
        (_("項目数"), total.items),
        (_("回答済の項目数"), total.answered),
        (_("実施している"), total.done),
        (_("一部実施"), total.partial),
        (_("実施していない"), total.not_done),
        (_("該当しない"), total.na),
        (_("実施率（%）"), _rate(total.implementation_rate)),
        (_("実施率の算出方法"), str(dashboards.RATE_NOTE)),
        (
            _("情報セキュリティ責任者の評価（報告済／対象）"),
            f"{dashboard.evaluations_reported} / {len(dashboard.evaluations)}",
        ),
        (_("統括情報セキュリティ責任者の評価"), org_state),
        (_("集計日時"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]


def unit_header() -> list[str]:
    return [
        _("組織単位"),
        _("種別"),
        _("在籍者"),
        _("配付数"),
        _("提出数"),
        _("提出率（%）"),
        _("期限を過ぎた未提出"),
        _("実施している"),
        _("一部実施"),
        _("実施していない"),
        _("該当しない"),
        _("未回答"),
        _("実施率（%）"),
        _("責任者の評価"),
    ]


def unit_values(row: dashboards.UnitRow) -> list:
    t = row.tally
    return [
        ("　" * row.depth) + row.name,
        row.kind_label,
        t.members,
        t.distributed,
        t.submitted,
        _rate(t.submission_rate),
        t.overdue,
        t.done,
        t.partial,
        t.not_done,
        t.na,
        t.unanswered,
        _rate(t.implementation_rate),
        row.evaluation_label,
    ]


def requirement_header() -> list[str]:
    return [
        _("条項"),
        _("内容"),
        _("実施している"),
        _("一部実施"),
        _("実施していない"),
        _("該当しない"),
        _("未回答"),
        _("実施率（%）"),
    ]


def requirement_values(row: dashboards.RequirementRow) -> list:
    t = row.tally
    return [
        row.citation,
        row.text,
        t.done,
        t.partial,
        t.not_done,
        t.na,
        t.unanswered,
        _rate(t.implementation_rate),
    ]


def answer_rows(dashboard: dashboards.Dashboard):
    """Every person's answer to every clause of the scope, streamed from the database."""
    labels = {code: str(label) for code, label in Answer.choices}
    states = {code: str(label) for code, label in ChecklistState.choices}
    citations: dict[tuple[str, str], str] = {}
    catalogs: dict = {}
    items = (
        dashboards.items_in(dashboard.plan, dashboard.scope)
        .order_by("checklist__unit__path", "checklist__person_id", "position")
        .values_list(
            "checklist__unit__name",
            "checklist__person__employee_number",
            "checklist__person__family_name",
            "checklist__person__given_name",
            "checklist__state",
            "rulebook",
            "requirement_id",
            "answer",
            "comment",
            "answered_at",
        )
    )
    for (
        unit,
        number,
        family,
        given,
        state,
        rulebook,
        requirement,
        answer,
        comment,
        when,
    ) in items.iterator(chunk_size=ROWS_PER_FETCH):
        key = (rulebook, requirement)
        if key not in citations:
            citations[key] = dashboards.requirement_label(rulebook, requirement, catalogs)[0]
        yield [
            unit or _("所属なし"),
            number,
            f"{family} {given}",
            states.get(state, state),
            citations[key],
            labels.get(answer, answer),
            comment,
            timezone.localtime(when).strftime("%Y-%m-%d %H:%M") if when else "",
        ]


def answer_header() -> list[str]:
    return [
        _("組織単位"),
        _("職員番号"),
        _("氏名"),
        _("自己点検票の状態"),
        _("条項"),
        _("回答"),
        _("コメント"),
        _("回答日時"),
    ]


def write_workbook(dashboard: dashboards.Dashboard, target) -> None:
    """Write the .xlsx to `target` (a path or a binary file object)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def sheet(title: str, header: list[str], rows, widths: list[int]):
        ws = workbook.create_sheet(title)
        for index, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + index)].width = width
        ws.freeze_panes = "A2"
        cells = []
        for text in header:
            cell = WriteOnlyCell(ws, value=text)
            cell.font = bold
            cells.append(cell)
        ws.append(cells)
        for row in rows:
            ws.append([_cell(ws, value) for value in row])

    sheet(_("概要"), [_("項目"), _("値")], summary_rows(dashboard), [36, 40])
    sheet(
        _("組織単位別"),
        unit_header(),
        (unit_values(row) for row in dashboard.units),
        [28, 8, 8, 8, 8, 10, 10, 10, 10, 10, 10, 8, 10, 12],
    )
    sheet(
        _("条項別"),
        requirement_header(),
        (requirement_values(row) for row in dashboard.requirements),
        [24, 60, 10, 10, 10, 10, 8, 10],
    )
    sheet(_("回答一覧"), answer_header(), answer_rows(dashboard), [24, 12, 16, 12, 24, 14, 40, 16])
    workbook.save(target)


def workbook_file(dashboard: dashboards.Dashboard):
    """The workbook in an anonymous temporary file, rewound (for a FileResponse)."""
    handle = tempfile.TemporaryFile()
    write_workbook(dashboard, handle)
    handle.seek(0)
    return handle


def xlsx_filename(dashboard: dashboards.Dashboard) -> str:
    return _("自己点検結果_%(year)s年度.xlsx") % {"year": dashboard.plan.fiscal_year}


def pdf_filename(dashboard: dashboards.Dashboard) -> str:
    return _("自己点検結果_%(year)s年度.pdf") % {"year": dashboard.plan.fiscal_year}


def render_results_pdf(dashboard: dashboards.Dashboard, *, language: str = "ja") -> bytes:
    """The A4 report (Japanese unless asked otherwise)."""
    with translation.override(language):
        context = {
            "dashboard": dashboard,
            "plan": dashboard.plan,
            "summary": summary_rows(dashboard),
            "unit_header": unit_header(),
            "unit_rows": [unit_values(row) for row in dashboard.units],
            "requirement_header": requirement_header(),
            "requirement_rows": [requirement_values(row) for row in dashboard.requirements],
            "language": language,
            "generated_at": timezone.localtime(),
        }
        return render_pdf("assessments/dashboard/results_pdf.html", context)
