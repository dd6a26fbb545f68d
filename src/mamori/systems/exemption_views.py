"""適用除外 pages: application, list, detail with both documents, decision, PDFs.
Every change goes through systems.exemption_services."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamori.approvals import services as approvals
from mamori.approvals import workflow as approval_workflow
from mamori.approvals.workflow import State
from mamori.errors import MamoriError
from mamori.rules import roles as role_catalogue
from mamori.systems import exemption_services as services
from mamori.systems.exemption_forms import ApplicationForm, DecisionForm, ExemptionFilter
from mamori.systems.exemption_kinds import CITATION_APPLICATION, CITATION_DECISION
from mamori.systems.exemptions import Exemption
from mamori.web.access import person_required, report
from mamori.web.export import csv_response
from mamori.web.pdf import pdf_response, render_pdf

PAGE_SIZE = 25


def _require_use(person) -> None:
    if not services.may_use(person):
        raise PermissionDenied(
            _("適用除外は、防衛省通達を適用する組織の情報保証責任者等だけが利用できます。")
        )


def _visible(person):
    return Exemption.objects.visible_to(person).select_related(
        "system", "unit", "applicant", "request", "request__decided_by"
    )


def _get(request, pk) -> Exemption:
    _require_use(request.person)
    return get_object_or_404(_visible(request.person), pk=pk)


def _filtered(request):
    form = ExemptionFilter(request.GET or None)
    return form, form.apply(_visible(request.person))


@person_required
def exemption_list(request):
    _require_use(request.person)
    form, queryset = _filtered(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "systems/exemption_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_apply": bool(services.applicable_systems(request.person)),
        },
    )


@person_required
def exemption_export(request):
    _require_use(request.person)
    _form, queryset = _filtered(request)

    def rows():
        for e in queryset.iterator(chunk_size=500):
            yield [
                e.reference,
                e.request.get_state_display(),
                e.system.name,
                "、".join(e.clauses),
                e.period_start,
                e.period_end,
                e.unit,
                e.applicant,
                e.request.decided_by or "",
                "、".join(e.granted_clauses),
                e.granted_period_start,
                e.granted_period_end,
            ]

    header = [
        _("番号"),
        _("状態"),
        _("情報システム"),
        _("訓令の該当箇所"),
        _("期間開始"),
        _("期間終了"),
        _("申請部署"),
        _("申請者"),
        _("決定者"),
        _("許可した該当箇所"),
        _("許可期間開始"),
        _("許可期間終了"),
    ]
    return csv_response("exemptions.csv", header, rows())


def _application_page(request, form, exemption=None):
    return render(
        request,
        "systems/exemption_form.html",
        {"form": form, "citation": CITATION_APPLICATION, "exemption": exemption},
    )


@person_required
def exemption_new(request):
    person = request.person
    _require_use(person)
    systems = services.applicable_systems(person)
    if not systems:
        raise PermissionDenied(_("適用除外を申請できるのは情報保証責任者です。"))
    form = ApplicationForm(request.POST or None, systems=systems)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            exemption = services.apply(person, **form.cleaned_data, submit=submit)
        except MamoriError as error:
            report(request, error, form)
        else:
            messages.success(
                request, _("適用除外を申請しました。") if submit else _("下書きを保存しました。")
            )
            return redirect("systems:exemption_detail", exemption.pk)
    return _application_page(request, form)


def _may_revise(person, exemption) -> bool:
    return (
        exemption.applicant_id == person.pk
        and exemption.request.state in approval_workflow.EDITABLE_STATES
    )


@person_required
def exemption_edit(request, pk):
    """The applicant corrects a draft or returned application."""
    person = request.person
    exemption = _get(request, pk)
    if not _may_revise(person, exemption):
        messages.error(request, _("下書き又は差戻しの自分の申請だけを修正できます。"))
        return redirect("systems:exemption_detail", pk)
    initial = {
        name: getattr(exemption, name)
        for name in (
            "clauses",
            "period_start",
            "period_end",
            "measures",
            "impact",
            "end_report_method",
            "reason",
        )
    } | {"system": exemption.system_id}
    form = ApplicationForm(
        request.POST or None, systems=services.applicable_systems(person), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.revise(exemption, person, **form.cleaned_data, submit=submit)
        except MamoriError as error:
            report(request, error, form)
        else:
            messages.success(
                request, _("適用除外を申請しました。") if submit else _("申請を更新しました。")
            )
            return redirect("systems:exemption_detail", pk)
    return _application_page(request, form, exemption)


def _may_decide(person, exemption) -> bool:
    return (
        exemption.request.state == State.SUBMITTED
        and approvals.decider_verdict(person, exemption.request).allowed
    )


@person_required
def exemption_detail(request, pk):
    exemption = _get(request, pk)
    decision_form = None
    if _may_decide(request.person, exemption):
        decision_form = DecisionForm(exemption=exemption)
    return render(
        request,
        "systems/exemption_detail.html",
        _document_context(exemption)
        | {
            "decision_form": decision_form,
            "may_revise": _may_revise(request.person, exemption),
        },
    )


@require_POST
@person_required
def exemption_decide(request, pk):
    exemption = _get(request, pk)
    form = DecisionForm(request.POST, exemption=exemption)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide(
                exemption,
                request.person,
                grant=data["decision"] == "grant",
                reason=data["reason"],
                clauses=data["granted_clauses"],
                period_start=data["granted_period_start"],
                period_end=data["granted_period_end"],
                measures=data["granted_measures"],
                end_report_method=data["granted_end_report_method"],
            )
        except MamoriError as error:
            report(request, error, form)
        else:
            messages.success(request, _("審査の結果を通知しました。"))
            return redirect("systems:exemption_detail", pk)
    return render(
        request,
        "systems/exemption_detail.html",
        _document_context(exemption) | {"decision_form": form},
        status=400,
    )


def _document_context(exemption) -> dict:
    catalog = services.mod_catalog()

    def described(ids):
        return [(c, catalog.get(c).text if c in catalog else "") for c in ids]

    notice = exemption.notice()
    granted = notice is not None and notice.granted
    return {
        "dates": {
            "created": official_date(timezone.localtime(exemption.created_at).date()),
            "period_start": official_date(exemption.period_start),
            "period_end": official_date(exemption.period_end),
            "decided": official_date(timezone.localtime(notice.decided_at).date())
            if notice and notice.decided_at
            else "",
            "granted_start": official_date(notice.period_start) if granted else "",
            "granted_end": official_date(notice.period_end) if granted else "",
        },
        "applicant_role_label": role_catalogue.get(exemption.applicant_role).label(
            get_language() or "ja"
        ),
        "exemption": exemption,
        "request_obj": exemption.request,
        "notice": notice,
        "clauses": described(exemption.clauses),
        "granted_clauses": described(notice.clauses) if granted else [],
        "citation_application": CITATION_APPLICATION,
        "citation_decision": CITATION_DECISION,
        "as_of": timezone.localdate(),
    }


REIWA_START = date(2019, 5, 1)


def official_date(value: date) -> str:
    """A date as a Japanese official document writes it (令和7年4月1日, 令和元年 for the
    first year); ISO 8601 in any other language and before 令和."""
    if get_language() != "ja" or value < REIWA_START:
        return value.isoformat()
    year = value.year - 2018
    return f"令和{'元' if year == 1 else year}年{value.month}月{value.day}日"


@person_required
def application_pdf(request, pk):
    exemption = _get(request, pk)
    # The forms are Japanese official documents whatever the reader's language.
    with translation.override("ja"):
        content = render_pdf(
            "systems/exemption_application_pdf.html", _document_context(exemption), request
        )
    return pdf_response(content, f"適用除外申請書_{exemption.reference}.pdf")


@person_required
def notice_pdf(request, pk):
    exemption = _get(request, pk)
    if exemption.notice() is None:
        raise Http404(_("まだ審査の結果が出ていません。"))
    with translation.override("ja"):
        content = render_pdf(
            "systems/exemption_notice_pdf.html", _document_context(exemption), request
        )
    return pdf_response(content, f"適用除外通知書_{exemption.reference}.pdf")
