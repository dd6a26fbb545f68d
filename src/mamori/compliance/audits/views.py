"""The audit pages: plans, the audit page, checklist, findings and the report (the
improvement plans' pages: views_plans.py). Every change goes through the services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamori.compliance.audits import rules, services, services_plans
from mamori.compliance.audits.forms import (
    AuditFilterForm,
    AuditorForm,
    CheckForm,
    EvidenceForm,
    FindingFilterForm,
    FindingForm,
    InstructionForm,
    PlanForm,
    ReportForm,
)
from mamori.compliance.audits.models import (
    MENU_ROLES,
    Audit,
    ChecklistItem,
    CheckResult,
    Finding,
    FindingEvidence,
    FindingState,
    ImprovementPlan,
    Kind,
    sees_whole_audit,
)
from mamori.compliance.audits.pdf import report_context, report_pdf
from mamori.compliance.audits.workflow import AuditState
from mamori.errors import MamoriError
from mamori.org import scope
from mamori.rules.deadlines import fiscal_year
from mamori.rules.separation import OWN_AUDIT
from mamori.web.access import person_required, report
from mamori.web.export import csv_response

PAGE_SIZE = 25


def _require_menu(person) -> None:
    if not scope.has_role(person, *MENU_ROLES):
        raise PermissionDenied(_("監査の画面を利用する役割がありません。"))


def _audit(request, pk) -> Audit:
    return get_object_or_404(
        Audit.objects.visible_to(request.person).select_related("organization", "planner", "lead"),
        pk=pk,
    )


def _whole(request, audit: Audit) -> None:
    """The checklist, the report and every finding are for those who read the whole
    audit; a unit's officer reads what concerns their units on the audit page."""
    if not sees_whole_audit(request.person, audit):
        raise PermissionDenied(_("この監査の全体を閲覧する権限がありません。"))


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _done(request, message: str):
    messages.success(request, message)


def _years(person) -> list[int]:
    return list(
        Audit.objects.visible_to(person)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )


# --- audits -------------------------------------------------------------------------------


def _audit_list(person, form):
    return form.apply(
        Audit.objects.visible_to(person)
        .select_related("lead")
        .prefetch_related("units")
        .annotate(finding_count=Count("findings", distinct=True))
    )


@person_required
def index(request):
    person = request.person
    _require_menu(person)
    form = AuditFilterForm(request.GET or None, years=_years(person))
    page = Paginator(_audit_list(person, form), PAGE_SIZE).get_page(request.GET.get("page"))
    current = fiscal_year(timezone.localdate())
    has_periodic = Audit.objects.filter(
        organization_id=person.organization_id, fiscal_year=current, kind=Kind.PERIODIC
    ).exists()
    return render(
        request,
        "audits/index.html",
        {
            "form": form,
            "page": page,
            "query": _query(request),
            "current_year": current,
            "missing_periodic": not has_periodic,
            "periodic_clause": rules.kind_clause(
                Kind.PERIODIC, rulebooks=person.organization.rulebooks
            ),
            "may_plan": scope.has_role(person, *rules.PLANNERS[Kind.PERIODIC], "ia_audit_chief"),
        },
    )


@person_required
def export(request):
    person = request.person
    _require_menu(person)
    form = AuditFilterForm(request.GET or None, years=_years(person))
    header = [
        _("監査番号"),
        _("件名"),
        _("年度"),
        _("監査の区分"),
        _("状態"),
        _("被監査部門"),
        _("監査期間（開始）"),
        _("監査期間（終了）"),
        _("報告期限"),
        _("監査責任者"),
        _("指摘事項"),
    ]
    rows = (
        [
            a.number,
            a.title,
            a.fiscal_year,
            a.get_kind_display(),
            a.get_state_display(),
            "、".join(str(u) for u in a.units.all()),
            a.start_date,
            a.end_date,
            a.report_due,
            a.lead,
            a.finding_count,
        ]
        for a in _audit_list(person, form)
    )
    return csv_response("audits.csv", header, rows)


@person_required
def create(request):
    person = request.person
    if not scope.has_role(person, *rules.PLANNERS[Kind.PERIODIC], "ia_audit_chief"):
        raise PermissionDenied(_("監査実施計画を定める役割がありません。"))
    organization = person.organization
    form = PlanForm(
        request.POST or None,
        organization=organization,
        initial={"lead": person.pk, "rulebooks": organization.rulebooks[:1]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            audit = services.plan_audit(
                person,
                title=data["title"],
                kind=data["kind"],
                additional=data["additional"],
                reason=data["reason"],
                units=data["units"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                report_due=data["report_due"],
                rulebooks=data["rulebooks"],
                sections=services.parse_sections(data["sections"]),
                lead=data["lead"],
                auditors=data["auditors"],
            )
        except MamoriError as error:
            report(request, error, form)
        else:
            _done(request, _("監査実施計画を登録しました。"))
            return redirect("audits:detail", audit.pk)
    independence = rules.independence_clauses(Kind.PERIODIC, OWN_AUDIT, organization.rulebooks)
    return render(request, "audits/create.html", {"form": form, "independence": independence})


@person_required
def detail(request, pk):
    audit = _audit(request, pk)
    person = request.person
    counts = dict(
        audit.checklist.values_list("result").annotate(n=Count("id")).values_list("result", "n")
    )
    whole = sees_whole_audit(person, audit)
    findings = Finding.objects.filter(audit=audit)
    plans = ImprovementPlan.objects.filter(audit=audit)
    if not whole:  # a unit's officer: the findings and plans of their units only
        findings = findings.visible_to(person)
        plans = plans.visible_to(person)
    findings = findings.select_related("unit", "plan__officer").prefetch_related("evidence")
    plans = plans.select_related("officer", "unit").annotate(
        open_items=Count("items", filter=Q(items__done_at__isnull=True)),
        item_count=Count("items"),
    )
    team = list(audit.auditors.select_related("unit"))
    is_team = any(m.pk == person.pk for m in team) or person.pk == audit.lead_id
    is_lead = person.pk in (audit.lead_id, audit.planner_id)
    is_ciso = scope.has_role(person, "ciso")
    return render(
        request,
        "audits/detail.html",
        {
            "audit": audit,
            "units": list(audit.units.all()),
            "team": team,
            "counts": [(label, counts.get(code, 0)) for code, label in CheckResult.choices],
            "checklist_total": sum(counts.values()),
            "findings": findings,
            "plans": plans,
            "is_lead": is_lead,
            "is_team": is_team,
            "whole": whole,
            "evidence_form": EvidenceForm()
            if is_team and audit.state == AuditState.IN_PROGRESS
            else None,
            "is_ciso": is_ciso,
            "auditor_form": AuditorForm(organization_id=audit.organization_id)
            if is_lead and audit.state != AuditState.CLOSED
            else None,
            "report_form": ReportForm()
            if person.pk == audit.lead_id and audit.state == AuditState.IN_PROGRESS
            else None,
            "instruction_form": InstructionForm()
            if is_ciso
            and audit.state == AuditState.REPORTED
            and audit.findings.filter(state=FindingState.OPEN).exists()
            else None,
            "kind_clause": rules.kind_clause(
                audit.kind, audit.additional, audit.organization.rulebooks
            ),
            "States": AuditState,
        },
    )


def _post(request, call, success: str, target, *, form=None, invalid: str = "", back=None):
    """One service call for a POST, its outcome shown as a message on the page it
    returns to; a form that does not validate is refused before the call (to `back`)."""
    if form is not None and not form.is_valid():
        messages.error(request, invalid)
        return redirect(*(back or target))
    try:
        call()
    except MamoriError as error:
        report(request, error)
    else:
        _done(request, success)
    return redirect(*target)


@person_required
@require_POST
def assign(request, pk):
    audit = _audit(request, pk)
    form = AuditorForm(request.POST, organization_id=audit.organization_id)
    return _post(
        request,
        lambda: services.assign_auditor(audit, request.person, form.cleaned_data["auditor"]),
        _("監査人を指名しました。"),
        ("audits:detail", pk),
        form=form,
        invalid=_("監査人を選んでください。"),
    )


@person_required
@require_POST
def start(request, pk):
    audit = _audit(request, pk)
    return _post(
        request,
        lambda: services.start_audit(audit, request.person),
        _("監査を開始しました。"),
        ("audits:detail", pk),
    )


@person_required
@require_POST
def issue_report(request, pk):
    audit = _audit(request, pk)
    form = ReportForm(request.POST)
    return _post(
        request,
        lambda: services.issue_report(audit, request.person, **form.cleaned_data),
        _("監査報告書を提出しました。"),
        ("audits:report", pk),
        form=form,
        invalid=_("監査の概要を書いてください。"),
        back=("audits:detail", pk),
    )


@person_required
@require_POST
def close(request, pk):
    audit = _audit(request, pk)
    return _post(
        request,
        lambda: services.close_audit(audit, request.person),
        _("監査を完了にしました。"),
        ("audits:detail", pk),
    )


@person_required
@require_POST
def instruct(request, pk):
    audit = _audit(request, pk)
    form = InstructionForm(request.POST)
    if not scope.has_role(request.person, "ciso"):
        raise PermissionDenied(_("改善の指示は最高情報セキュリティ責任者が行います。"))
    return _post(
        request,
        lambda: services_plans.issue_instructions(audit, request.person, **form.cleaned_data),
        _("改善を指示しました。"),
        ("audits:detail", pk),
        form=form,
        invalid=_("指示の内容と報告期限を入力してください。"),
    )


# --- checklist and findings -----------------------------------------------------------------


@person_required
def checklist(request, pk):
    audit = _audit(request, pk)
    _whole(request, audit)
    rows = list(audit.checklist.select_related("checked_by"))
    editable = audit.state == AuditState.IN_PROGRESS and services.is_team_member(
        request.person, audit
    )
    return render(
        request,
        "audits/checklist.html",
        {"audit": audit, "rows": rows, "editable": editable, "results": CheckResult.choices},
    )


@person_required
@require_POST
def check(request, pk, item_pk):
    audit = _audit(request, pk)
    item = get_object_or_404(ChecklistItem.objects.select_related("audit"), pk=item_pk, audit=audit)
    form = CheckForm(request.POST)
    return _post(
        request,
        lambda: services.record_check(item, request.person, **form.cleaned_data),
        _("確認結果を記録しました。"),
        ("audits:checklist", pk),
        form=form,
        invalid=_("結果を選んでください。"),
    )


@person_required
def finding_new(request, pk):
    audit = _audit(request, pk)
    if not services.is_team_member(request.person, audit):
        raise PermissionDenied(_("この監査の監査人ではありません。"))
    if audit.state != AuditState.IN_PROGRESS:
        messages.info(request, _("監査が実施中のときに記録できます。"))
        return redirect("audits:detail", pk)
    form = FindingForm(request.POST or None, request.FILES or None, audit=audit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_finding(
                audit,
                request.person,
                severity=data["severity"],
                requirement_id=data["requirement_id"],
                clause=data["clause"],
                description=data["description"],
                cross_cutting=data["cross_cutting"],
                unit=data["unit"],
                attachments=data["attachments"],
            )
        except MamoriError as error:
            report(request, error, form)
        else:
            _done(request, _("指摘事項を記録しました。"))
            return redirect("audits:detail", pk)
    return render(request, "audits/finding_form.html", {"audit": audit, "form": form})


@person_required
@require_POST
def evidence_add(request, pk, finding_pk):
    audit = _audit(request, pk)
    finding = get_object_or_404(Finding.objects.select_related("unit"), pk=finding_pk, audit=audit)
    form = EvidenceForm(request.POST, request.FILES)
    return _post(
        request,
        lambda: services.add_finding_evidence(finding, request.person, form.cleaned_data["file"]),
        _("証跡ファイルを保存しました（SHA-256を記録しました）。"),
        ("audits:detail", pk),
        form=form,
        invalid=_("ファイルを選んでください。"),
    )


@person_required
def evidence_download(request, pk, evidence_pk):
    finding_ids = Finding.objects.visible_to(request.person).values("pk")
    evidence = get_object_or_404(
        FindingEvidence, pk=evidence_pk, finding__audit_id=pk, finding__in=finding_ids
    )
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type="application/octet-stream",
    )


def _findings_list(person, form):
    return form.apply(
        Finding.objects.visible_to(person)
        .select_related("audit", "unit", "plan__officer")
        .order_by("-audit__start_date", "audit_id", "number")
    )


@person_required
def findings(request):
    person = request.person
    _require_menu(person)
    form = FindingFilterForm(request.GET or None, organization_id=person.organization_id)
    page = Paginator(_findings_list(person, form), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "audits/findings.html", {"form": form, "page": page, "query": _query(request)}
    )


@person_required
def findings_export(request):
    person = request.person
    _require_menu(person)
    form = FindingFilterForm(request.GET or None, organization_id=person.organization_id)
    header = [
        _("指摘番号"),
        _("監査番号"),
        _("重要度"),
        _("根拠"),
        _("指摘内容"),
        _("横断的な事項"),
        _("被監査部門"),
        _("状態"),
        _("指示先"),
    ]
    rows = (
        [
            f.reference,
            f.audit.number,
            f.get_severity_display(),
            f.clause,
            f.description,
            _("はい") if f.cross_cutting else _("いいえ"),
            f.unit or "",
            f.get_state_display(),
            f.plan.officer if f.plan else "",
        ]
        for f in _findings_list(person, form)
    )
    return csv_response("audit-findings.csv", header, rows)


# --- report --------------------------------------------------------------------------------


@person_required
def report_page(request, pk):
    audit = _audit(request, pk)
    _whole(request, audit)
    if audit.state not in (AuditState.REPORTED, AuditState.CLOSED):
        messages.info(request, _("監査報告書はまだ提出されていません。"))
        return redirect("audits:detail", pk)
    return render(request, "audits/report.html", report_context(audit))


@person_required
def report_download(request, pk):
    audit = _audit(request, pk)
    _whole(request, audit)
    if audit.state not in (AuditState.REPORTED, AuditState.CLOSED):
        messages.info(request, _("監査報告書はまだ提出されていません。"))
        return redirect("audits:detail", pk)
    return report_pdf(audit)
