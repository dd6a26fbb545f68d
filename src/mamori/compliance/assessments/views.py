"""Pages of the self-assessment. Every change goes through assessments.services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamori.compliance.assessments import permissions, services, services_answers
from mamori.compliance.assessments.forms import (
    ChecklistFilterForm,
    PlanFilterForm,
    PlanForm,
    ReviseForm,
)
from mamori.compliance.assessments.models import (
    AssessmentPlan,
    Checklist,
    UnitEvaluation,
)
from mamori.compliance.assessments.workflow import (
    Answer,
    ChecklistState,
    PlanState,
)
from mamori.errors import MamoriError
from mamori.web.access import person_required, report
from mamori.web.export import csv_response

PAGE_SIZE = 50
ANSWER_CHOICES = [(a.value, a.label) for a in Answer if a.value]


def _plan(request, pk) -> AssessmentPlan:
    if not permissions.can_view_plans(request.person):
        raise PermissionDenied(_("年度自己点検計画を閲覧する権限がありません。"))
    return get_object_or_404(
        AssessmentPlan.objects.visible_to(request.person).select_related(
            "organization", "created_by"
        ),
        pk=pk,
    )


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _due_state(due, done: bool = False) -> str:
    if done or due is None:
        return ""
    return "overdue" if due < timezone.localdate() else ""


# --- my checklists ----------------------------------------------------------------------


@person_required
def mine(request):
    checklists = (
        Checklist.objects.filter(person=request.person)
        .exclude(plan__state=PlanState.DRAFT)
        .select_related("plan")
        .order_by("-plan__fiscal_year", "-id")
    )
    for checklist in checklists:
        checklist.due_state = _due_state(
            checklist.due_date, checklist.state == ChecklistState.SUBMITTED
        )
    return render(
        request,
        "assessments/mine.html",
        {"checklists": checklists, "can_view_plans": permissions.can_view_plans(request.person)},
    )


def _checklist_context(request, checklist, posted=None, errors=None):
    items = list(checklist.items.order_by("position", "id"))
    catalogs: dict[str, object] = {}
    for item in items:
        if item.rulebook not in catalogs:
            catalogs[item.rulebook] = services.catalog(item.rulebook)
        catalog = catalogs[item.rulebook]
        entry = catalog.get(item.requirement_id) if item.requirement_id in catalog else None
        item.citation = entry.citation if entry else f"{item.rulebook} {item.requirement_id}"
        item.text = entry.text if entry else ""
        titles = [a.title for a in catalog.ancestors(item.requirement_id)[-2:]] if entry else []
        # 節 and 款 often share a title: show it once.
        item.heading = " ".join(dict.fromkeys(t for t in titles if t))
        if posted is not None:
            item.answer, item.comment = posted.get(item.pk, (item.answer, item.comment))
        item.error = (errors or {}).get(str(item.pk), "")
        item.is_new = (
            item.added_in_revision > 1 and item.added_in_revision == checklist.plan.revision
        )
    plan = checklist.plan
    editable = (
        checklist.person_id == request.person.pk
        and plan.state == PlanState.OPEN
        and checklist.state != ChecklistState.SUBMITTED
    )
    return {
        "checklist": checklist,
        "plan": plan,
        "items": items,
        "editable": editable,
        "answers": ANSWER_CHOICES,
        "due_state": _due_state(checklist.due_date, checklist.state == ChecklistState.SUBMITTED),
        "own": checklist.person_id == request.person.pk,
    }


def _posted_answers(request, checklist) -> dict[int, tuple[str, str]]:
    answers = {}
    for pk in checklist.items.values_list("pk", flat=True):
        answers[pk] = (
            request.POST.get(f"answer-{pk}", "").strip(),
            request.POST.get(f"comment-{pk}", "").strip(),
        )
    return answers


@person_required
def checklist_detail(request, pk):
    checklist = get_object_or_404(
        Checklist.objects.visible_to(request.person).select_related("plan", "person", "unit"),
        pk=pk,
    )
    if checklist.plan.state == PlanState.DRAFT:
        raise PermissionDenied(_("この年度自己点検計画はまだ実施されていません。"))
    if request.method == "POST":
        posted = _posted_answers(request, checklist)
        try:
            changed = services_answers.answer_items(checklist, request.person, posted)
            if request.POST.get("action") == "submit":
                services_answers.submit_checklist(checklist, request.person)
                messages.success(request, _("自己点検票を提出しました。"))
                return redirect("assessments:checklist", checklist.pk)
        except MamoriError as error:
            report(request, error)
            checklist.refresh_from_db()
            context = _checklist_context(
                request, checklist, posted, error.details.get("items") or {}
            )
            return render(request, "assessments/checklist.html", context, status=error.status)
        if changed:
            messages.success(request, _("回答を保存しました。"))
        else:
            messages.info(request, _("変更はありませんでした。"))
        return redirect("assessments:checklist", checklist.pk)
    return render(request, "assessments/checklist.html", _checklist_context(request, checklist))


# --- plans ------------------------------------------------------------------------------


def _plans_queryset(request, form):
    return form.apply(
        AssessmentPlan.objects.visible_to(request.person)
        .annotate(
            distributed=Count("checklists"),
            submitted=Count("checklists", filter=Q(checklists__state=ChecklistState.SUBMITTED)),
        )
        .order_by("-fiscal_year", "-id")
    )


@person_required
def plans(request):
    if not permissions.can_view_plans(request.person):
        raise PermissionDenied(_("年度自己点検計画を閲覧する権限がありません。"))
    form = PlanFilterForm(request.GET or None)
    page = Paginator(_plans_queryset(request, form), PAGE_SIZE).get_page(request.GET.get("page"))
    for plan in page:
        plan.due_state = _due_state(plan.answer_due, plan.state != PlanState.OPEN)
    return render(
        request,
        "assessments/plans.html",
        {
            "form": form,
            "page": page,
            "query": _query(request),
            "can_manage": permissions.can_manage_plans(request.person),
        },
    )


@person_required
def plans_export(request):
    if not permissions.can_view_plans(request.person):
        raise PermissionDenied(_("年度自己点検計画を閲覧する権限がありません。"))
    form = PlanFilterForm(request.GET or None)
    rows = (
        [
            p.fiscal_year,
            p.title,
            p.get_state_display(),
            p.revision,
            p.answer_due,
            p.unit_evaluation_due,
            p.org_evaluation_due,
            p.distributed,
            p.submitted,
        ]
        for p in _plans_queryset(request, form).iterator()
    )
    header = [
        _("年度"),
        _("件名"),
        _("状態"),
        _("版"),
        _("回答期限"),
        _("責任者評価の期限"),
        _("統括評価の期限"),
        _("配付数"),
        _("提出数"),
    ]
    return csv_response("self-assessment-plans.csv", header, rows)


@person_required
def plan_create(request):
    person = request.person
    if not permissions.can_manage_plans(person):
        raise PermissionDenied(
            _("年度自己点検計画を作成できるのは統括情報セキュリティ責任者だけです。")
        )
    form = PlanForm(request.POST or None, rulebooks=services.plan_rulebooks(person.organization))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                person,
                fiscal_year=data["fiscal_year"],
                title=data["title"],
                answer_due=data["answer_due"],
                unit_evaluation_due=data["unit_evaluation_due"],
                org_evaluation_due=data["org_evaluation_due"],
                rulebooks=data["rulebooks"],
                notes=data["notes"],
            )
        except MamoriError as error:
            report(request, error, form)
        else:
            messages.success(request, _("年度自己点検計画を作成しました。"))
            return redirect("assessments:plan", plan.pk)
    return render(request, "assessments/plan_form.html", {"form": form})


def _plan_checklists(request, plan, form):
    return form.apply(
        Checklist.objects.visible_to(request.person)
        .filter(plan=plan)
        .select_related("person", "unit")
    )


@person_required
def plan_detail(request, pk):
    plan = _plan(request, pk)
    person = request.person
    form = ChecklistFilterForm(request.GET or None, organization_id=plan.organization_id)
    page = Paginator(_plan_checklists(request, plan, form), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Only the checklists the reader may see: a unit officer learns nothing of other units.
    counts = (
        Checklist.objects.visible_to(person)
        .filter(plan=plan)
        .aggregate(
            distributed=Count("pk"),
            submitted=Count("pk", filter=Q(state=ChecklistState.SUBMITTED)),
        )
    )
    is_open = plan.state == PlanState.OPEN
    units = permissions.evaluation_units(person)
    evaluations = {
        e.unit_id: e
        for e in UnitEvaluation.objects.filter(plan=plan, unit__in=[u.pk for u in units])
    }
    for unit in units:
        unit.evaluation = evaluations.get(unit.pk)
    today = timezone.localdate()
    context = {
        "plan": plan,
        "form": form,
        "page": page,
        "query": _query(request),
        "counts": counts,
        "can_manage": permissions.can_manage_plans(person),
        "sees_org": permissions.sees_whole_organization(person),
        "evaluation_units": units,
        "revise_form": ReviseForm(),
        "dues": [
            (_("回答期限"), plan.answer_due, is_open and plan.answer_due < today),
            (
                _("情報セキュリティ責任者の評価の期限"),
                plan.unit_evaluation_due,
                is_open and plan.unit_evaluation_due < today,
            ),
            (
                _("統括情報セキュリティ責任者の評価の期限"),
                plan.org_evaluation_due,
                is_open and plan.org_evaluation_due < today,
            ),
        ],
    }
    return render(request, "assessments/plan_detail.html", context)


@person_required
def plan_checklists_export(request, pk):
    plan = _plan(request, pk)
    form = ChecklistFilterForm(request.GET or None, organization_id=plan.organization_id)
    header = [
        _("氏名"),
        _("職員番号"),
        _("所属（配付時）"),
        _("状態"),
        _("項目数"),
        _("回答済の項目数"),
        _("回答期限"),
        _("提出日時"),
    ]
    rows = (
        [
            c.person.display_name,
            c.person.employee_number,
            c.unit.name if c.unit_id else "",
            c.get_state_display(),
            c.item_count,
            c.answered_count,
            c.due_date,
            timezone.localtime(c.submitted_at).strftime("%Y-%m-%d %H:%M") if c.submitted_at else "",
        ]
        for c in _plan_checklists(request, plan, form).iterator(chunk_size=1000)
    )
    return csv_response(f"self-assessment-{plan.fiscal_year}-checklists.csv", header, rows)


def _plan_action(request, pk, action, success: str):
    plan = _plan(request, pk)
    try:
        result = action(plan)
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(request, success % (result if isinstance(result, dict) else {}))
    return redirect("assessments:plan", plan.pk)


@require_POST
@person_required
def plan_open(request, pk):
    return _plan_action(
        request,
        pk,
        lambda plan: {"count": services.open_plan(plan, request.person)},
        _("年度自己点検計画を開始し、自己点検票を%(count)d件配付しました。"),
    )


@require_POST
@person_required
def plan_distribute(request, pk):
    return _plan_action(
        request,
        pk,
        lambda plan: {"count": services.generate_checklists(plan, request.person)},
        _("未配付の職員等に自己点検票を%(count)d件配付しました。"),
    )


@require_POST
@person_required
def plan_revise(request, pk):
    _plan(request, pk)  # 403 / 404 before anything else is looked at
    form = ReviseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("見直しの理由を入力してください。"))
        return redirect("assessments:plan", pk)
    return _plan_action(
        request,
        pk,
        lambda plan: services.revise_plan(plan, request.person, reason=form.cleaned_data["reason"]),
        _(
            "年度自己点検計画を見直しました（第%(revision)d版）。%(checklists_changed)d件の"
            "自己点検票に計%(items_added)d項目を追加し、%(reopened)d件を再提出待ちにしました。"
        ),
    )


@require_POST
@person_required
def plan_close(request, pk):
    return _plan_action(
        request,
        pk,
        lambda plan: services.close_plan(plan, request.person).pk,
        _("年度自己点検計画を終了しました。"),
    )
