"""Violation report pages: the form (everyone), my reports, the officers' list, the
detail with the chain and its actions. Changes go through services_violations.
The reporter's identity is shown only to the reporter and the chain's recipients."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamori.compliance import permissions, services_violations, workflow
from mamori.compliance.forms import NoteForm, ViolationFilterForm, ViolationForm
from mamori.compliance.models import ViolationReport, ViolationStatus, ViolationStep
from mamori.errors import MamoriError
from mamori.web.access import person_required, report
from mamori.web.export import csv_response

PAGE_SIZE = 25


def _with_steps(queryset):
    return queryset.select_related("reporter", "reporter_unit").prefetch_related(
        Prefetch(
            "steps",
            queryset=ViolationStep.objects.select_related("sender", "recipient").order_by("order"),
        )
    )


def _rows(person, reports) -> list[dict]:
    rows = []
    for item in reports:
        steps = list(item.steps.all())
        rows.append(
            {
                "report": item,
                "badge": workflow.STATUS_BADGES.get(item.status, "submitted"),
                "current": steps[-1] if steps else None,
                "show_reporter": services_violations.in_chain(person, item),
            }
        )
    return rows


@person_required
def report_form(request):
    form = ViolationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services_violations.report_violation(request.person, **form.cleaned_data)
        except MamoriError as error:
            report(request, error, form)
        else:
            messages.success(request, _("報告しました。報告先に通知しました。"))
            return redirect("compliance:violation_detail", item.pk)
    officer = services_violations.officer_for(request.person)
    return render(request, "compliance/violation_form.html", {"form": form, "officer": officer})


@person_required
def mine(request):
    reports = _with_steps(ViolationReport.objects.filter(reporter=request.person))
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "compliance/violation_mine.html",
        {"page": page, "rows": _rows(request.person, page)},
    )


def _listed(request):
    person = request.person
    if not permissions.may_list_violations(person):
        raise PermissionDenied(_("違反の報告の一覧を閲覧する権限がありません。"))
    form = ViolationFilterForm(request.GET or None)
    reports = ViolationReport.objects.visible_to(person)
    if form.is_valid():
        if status := form.cleaned_data.get("status"):
            reports = reports.filter(status=status)
        if text := (form.cleaned_data.get("q") or "").strip():
            reports = reports.filter(Q(title__icontains=text) | Q(description__icontains=text))
    return form, _with_steps(reports)


@person_required
def officer_list(request):
    form, reports = _listed(request)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    waiting = (
        ViolationStep.objects.filter(
            recipient=request.person,
            acknowledged_at__isnull=True,
            report__organization_id=request.person.organization_id,
        )
        .exclude(report__status=ViolationStatus.CLOSED)
        .select_related("report")[:20]
    )
    return render(
        request,
        "compliance/violation_list.html",
        {
            "form": form,
            "page": page,
            "rows": _rows(request.person, page),
            "query": query.urlencode(),
            "waiting": waiting,
        },
    )


@person_required
def officer_csv(request):
    _form, reports = _listed(request)
    person = request.person
    rows = (
        [
            item.pk,
            item.title,
            item.get_status_display(),
            str(item.reporter) if services_violations.in_chain(person, item) else "",
            str(item.reporter_unit or ""),
            item.reported_at.strftime("%Y-%m-%d %H:%M"),
            str(list(item.steps.all())[-1].recipient) if item.steps.all() else "",
        ]
        for item in reports
    )
    header = [
        _("番号"),
        _("件名"),
        _("状態"),
        _("報告者"),
        _("報告者の所属"),
        _("報告日時"),
        _("現在の報告先"),
    ]
    return csv_response("violation-reports.csv", header, rows)


def _report(request, pk) -> ViolationReport:
    return get_object_or_404(_with_steps(ViolationReport.objects.visible_to(request.person)), pk=pk)


@person_required
def detail(request, pk):
    item = _report(request, pk)
    person = request.person
    steps = list(item.steps.all())
    current = steps[-1] if steps else None
    may_act = services_violations.may_act(person, current) and item.status != ViolationStatus.CLOSED
    return render(
        request,
        "compliance/violation_detail.html",
        {
            "report": item,
            "steps": steps,
            "current": current,
            "badge": workflow.STATUS_BADGES.get(item.status, "submitted"),
            "show_reporter": services_violations.in_chain(person, item),
            "may_acknowledge": may_act and current and not current.acknowledged_at,
            "may_escalate": may_act and item.status != ViolationStatus.REPORTED_TO_CISO,
            "may_close": may_act and item.status == ViolationStatus.REPORTED_TO_CISO,
            "note_form": NoteForm(),
        },
    )


def _act(request, pk, action, done: str):
    item = _report(request, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data.get("note", "") if form.is_valid() else ""
    try:
        action(request.person, item, note)
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(request, done)
    return redirect("compliance:violation_detail", item.pk)


@person_required
@require_POST
def acknowledge(request, pk):
    return _act(
        request,
        pk,
        lambda person, item, _note: services_violations.acknowledge(person, item),
        _("受領を確認しました。"),
    )


@person_required
@require_POST
def escalate(request, pk):
    return _act(request, pk, services_violations.escalate, _("上位の責任者に報告しました。"))


@person_required
@require_POST
def close(request, pk):
    return _act(request, pk, services_violations.close, _("報告を完了にしました。"))
