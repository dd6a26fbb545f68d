"""例外措置 pages. Every change goes through compliance.exceptions.services; requests are
decided on the approvals page (mamori.approvals), where separation of duties applies."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from mamori.approvals import services as approvals
from mamori.approvals import workflow as approval_workflow
from mamori.approvals.models import Request
from mamori.approvals.workflow import State
from mamori.compliance.exceptions import services
from mamori.compliance.exceptions.forms import (
    DesignationForm,
    EndReportForm,
    LedgerFilter,
    ProcedureForm,
    RequestForm,
    RevokeForm,
)
from mamori.compliance.exceptions.kinds import EXCEPTION_KIND, KIND_CODE
from mamori.compliance.exceptions.models import (
    LEDGER_ROLES,
    ExceptionProcedure,
    ExceptionRecord,
    RecordState,
)
from mamori.errors import MamoriError
from mamori.org import scope
from mamori.org.models import RoleAssignment
from mamori.trail.models import Event
from mamori.web.access import person_required, report
from mamori.web.export import csv_response

PAGE_SIZE = 25
HISTORY_LABELS = {
    "compliance_exceptions.record.created": pgettext_lazy("history", "台帳に登録"),
    "compliance_exceptions.record.reminded": pgettext_lazy("history", "終了前の通知"),
    "compliance_exceptions.record.expired": pgettext_lazy("history", "期限切れ"),
    "compliance_exceptions.record.ended": pgettext_lazy("history", "終了報告"),
    "compliance_exceptions.record.revoked": pgettext_lazy("history", "取消し"),
}


def _records(person):
    return ExceptionRecord.objects.visible_to(person).select_related(
        "unit", "owner", "applicant", "permitted_by"
    )


def _ledger(request):
    person = request.person
    form = LedgerFilter(request.GET or None, organization_id=person.organization_id)
    return form, form.apply(_records(person), timezone.localdate())


@person_required
def ledger(request):
    form, queryset = _ledger(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    pending = Request.objects.filter(
        kind=KIND_CODE,
        applicant=request.person,
        state__in=[State.DRAFT, State.SUBMITTED, State.RETURNED],
    ).order_by("-created_at")[:20]
    return render(
        request,
        "exceptions/ledger.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "pending": pending,
            "editable_states": approval_workflow.EDITABLE_STATES,
            "full_ledger": scope.has_role(request.person, *LEDGER_ROLES),
            "is_ciso": scope.has_role(request.person, *services.DESIGNATING_ROLES),
        },
    )


@person_required
def ledger_export(request):
    _form, queryset = _ledger(request)

    def rows():
        for r in queryset.iterator(chunk_size=500):
            yield [
                r.reference,
                r.get_state_display(),
                r.requirement_citation,
                r.unit,
                r.applicant,
                r.owner,
                r.permitted_by,
                r.period_start,
                r.period_end,
                r.scope,
                r.measures,
                r.ended_on,
            ]

    header = [
        _("番号"),
        _("状態"),
        _("遵守事項"),
        _("申請部署"),
        _("申請者"),
        _("責任者"),
        _("許可権限者"),
        _("期間開始"),
        _("期間終了"),
        _("対象範囲"),
        _("代替措置"),
        _("終了日"),
    ]
    return csv_response("exceptions.csv", header, rows())


def _statement(form) -> dict:
    data = form.cleaned_data
    rulebook, clause_id = data["requirement"]
    return {
        "rulebook": rulebook,
        "clause_id": clause_id,
        "reason": data["reason"],
        "scope_text": data["scope_text"],
        "scope_units": data["scope_units"],
        "measures": data["measures"],
        "period_start": data["period_start"],
        "period_end": data["period_end"],
    }


def _request_page(request, form, obj=None):
    return render(
        request,
        "exceptions/request_form.html",
        {
            "form": form,
            "kind": EXCEPTION_KIND,
            "object": obj,
            "procedure": services.current_procedure(request.person.organization_id),
        },
    )


@person_required
def request_new(request):
    person = request.person
    form = RequestForm(request.POST or None, organization=person.organization)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            created = services.file_request(person, submit=submit, **_statement(form))
        except MamoriError as error:
            report(request, error, form)
        else:
            messages.success(
                request, _("例外措置を申請しました。") if submit else _("下書きを保存しました。")
            )
            return redirect("approvals:detail", created.pk)
    return _request_page(request, form)


@person_required
def request_edit(request, pk):
    """The applicant corrects their draft or returned request (pk: the approvals.Request)."""
    person = request.person
    obj = get_object_or_404(
        Request.objects.filter(
            kind=KIND_CODE, applicant=person, organization_id=person.organization_id
        ),
        pk=pk,
    )
    if obj.state not in approval_workflow.EDITABLE_STATES:
        messages.error(request, _("下書き又は差戻しの自分の申請だけを修正できます。"))
        return redirect("approvals:detail", pk)
    details = obj.details or {}
    initial = {
        "requirement": f"{details.get('rulebook', '')}:{details.get('requirement', '')}",
        "reason": details.get("reason", ""),
        "scope_text": details.get("scope", ""),
        "scope_units": details.get("scope_unit_ids", []),
        "measures": obj.conditions,
        "period_start": obj.period_start,
        "period_end": obj.period_end,
    }
    form = RequestForm(request.POST or None, organization=person.organization, initial=initial)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.update_request(obj, person, submit=submit, **_statement(form))
        except MamoriError as error:
            report(request, error, form)
        else:
            messages.success(
                request, _("例外措置を申請しました。") if submit else _("申請を更新しました。")
            )
            return redirect("approvals:detail", pk)
    return _request_page(request, form, obj)


@person_required
def record_detail(request, pk):
    record = get_object_or_404(
        _records(request.person).select_related("request", "end_reported_by"), pk=pk
    )
    person = request.person
    may_revoke = (
        record.state == RecordState.ACTIVE
        and approvals.decider_verdict(person, record.request).allowed
    )
    events = Event.objects.filter(
        object_type="compliance_exceptions.exceptionrecord", object_id=str(record.pk)
    ).order_by("seq")
    history = [(event, HISTORY_LABELS.get(event.action, event.action)) for event in events]
    return render(
        request,
        "exceptions/detail.html",
        {
            "record": record,
            "scope_units": record.scope_units.all(),
            "today": timezone.localdate(),
            "may_report_end": record.owner_id == person.pk
            and record.state in (RecordState.ACTIVE, RecordState.EXPIRED),
            "may_revoke": may_revoke,
            "end_form": EndReportForm(),
            "revoke_form": RevokeForm(),
            "history": history,
        },
    )


@require_POST
@person_required
def record_end(request, pk):
    record = get_object_or_404(_records(request.person), pk=pk)
    form = EndReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("終了日と復旧した内容を入力してください。"))
        return redirect("exceptions:detail", pk)
    try:
        services.report_end(record, request.person, **form.cleaned_data)
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(request, _("終了報告を登録しました。"))
    return redirect("exceptions:detail", pk)


@require_POST
@person_required
def record_revoke(request, pk):
    record = get_object_or_404(_records(request.person), pk=pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("取消しの理由を入力してください。"))
        return redirect("exceptions:detail", pk)
    try:
        services.revoke(record, request.person, form.cleaned_data["reason"])
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(request, _("例外措置を取り消しました。"))
    return redirect("exceptions:detail", pk)


# --- the CISO: 許可権限者 and 審査手続 ------------------------------------------------------------


def _require_ciso(person) -> None:
    if not scope.has_role(person, *services.DESIGNATING_ROLES):
        raise PermissionDenied(_("最高情報セキュリティ責任者だけが利用できます。"))


@person_required
def authorities(request):
    person = request.person
    _require_ciso(person)
    designation_form = DesignationForm(organization=person.organization)
    procedure_form = ProcedureForm(
        initial={
            "text": getattr(services.current_procedure(person.organization_id), "text", ""),
        }
    )
    if request.method == "POST":
        try:
            if "designate" in request.POST:
                designation_form = DesignationForm(request.POST, organization=person.organization)
                if designation_form.is_valid():
                    data = designation_form.cleaned_data
                    services.designate_permit_authority(
                        person,
                        data["person"],
                        unit=data["unit"],
                        valid_from=data["valid_from"],
                        valid_to=data["valid_to"],
                    )
                    messages.success(request, _("許可権限者を指定しました。"))
                    return redirect("exceptions:authorities")
            elif "procedure" in request.POST:
                procedure_form = ProcedureForm(request.POST)
                if procedure_form.is_valid():
                    services.set_procedure(
                        person,
                        procedure_form.cleaned_data["text"],
                        procedure_form.cleaned_data["effective_from"],
                    )
                    messages.success(request, _("審査手続を定めました。"))
                    return redirect("exceptions:authorities")
        except MamoriError as error:
            report(
                request, error, designation_form if "designate" in request.POST else procedure_form
            )
    assignments = (
        RoleAssignment.objects.active()
        .filter(organization_id=person.organization_id, role=services.PERMIT_ROLE)
        .select_related("person", "person__unit", "unit")
        .order_by("unit__path", "id")
    )
    return render(
        request,
        "exceptions/authorities.html",
        {
            "assignments": assignments,
            "designation_form": designation_form,
            "procedure_form": procedure_form,
            "procedures": ExceptionProcedure.objects.filter(
                organization_id=person.organization_id
            ).select_related("created_by")[:50],
            "current": services.current_procedure(person.organization_id),
            "citation": services.CITATION_PROCEDURE,
        },
    )


@require_POST
@person_required
def end_designation(request, pk):
    person = request.person
    _require_ciso(person)
    assignment = get_object_or_404(
        RoleAssignment, pk=pk, organization_id=person.organization_id, role=services.PERMIT_ROLE
    )
    try:
        services.end_permit_authority(person, assignment)
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(request, _("許可権限者の指定を終了しました。"))
    return redirect("exceptions:authorities")
