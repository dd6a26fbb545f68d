"""Request pages. Every state change goes through approvals.services."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamori.approvals import registry, services, workflow
from mamori.approvals.forms import (
    AttachmentForm,
    CommentForm,
    DecisionForm,
    FilterForm,
    RequestForm,
)
from mamori.approvals.models import Attachment, Request
from mamori.errors import MamoriError
from mamori.trail.models import Event
from mamori.web.access import person_required, report
from mamori.web.export import csv_response

PAGE_SIZE = 25


def _visible(person):
    return Request.objects.visible_to(person).select_related(
        "applicant", "unit", "approver", "organization"
    )


def _filtered(request):
    form = FilterForm(request.GET or None)
    queryset = _visible(request.person)
    if form.is_bound and form.is_valid():
        queryset = form.apply(queryset, request.person)
    else:
        queryset = queryset.order_by("-created_at", "-id")
    return form, queryset


@person_required
def request_list(request):
    form, queryset = _filtered(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "approvals/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "today": timezone.localdate()},
    )


@person_required
def request_export(request):
    form, queryset = _filtered(request)

    def rows():
        for r in queryset.iterator(chunk_size=500):
            yield [
                r.reference,
                r.kind_info.label,
                r.title,
                r.get_state_display(),
                r.unit,
                r.applicant,
                r.approver or "",
                r.period_start,
                r.period_end,
                r.due_date,
                timezone.localtime(r.submitted_at).isoformat() if r.submitted_at else "",
                timezone.localtime(r.decided_at).isoformat() if r.decided_at else "",
            ]

    header = [
        _("番号"),
        _("種類"),
        _("件名"),
        _("状態"),
        _("申請部署"),
        _("申請者"),
        _("承認者"),
        _("期間開始"),
        _("期間終了"),
        _("処理期限"),
        _("申請日時"),
        _("決定日時"),
    ]
    return csv_response("requests.csv", header, rows())


@person_required
def request_new(request):
    kind_code = request.GET.get("kind") or request.POST.get("kind")
    # Kinds whose permitting role comes from a rule decision (handling checks) are
    # filed from their own page, never from this generic form.
    kinds = [k for k in registry.all_kinds() if k.generic_form]
    if not kind_code:
        return render(request, "approvals/choose_kind.html", {"kinds": kinds})
    kind = next((k for k in kinds if k.code == kind_code), None)
    if kind is None:
        raise Http404(_("不明な申請の種類です。"))
    form = RequestForm(request.POST or None, request.FILES or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # One transaction: a refused attachment or submission leaves no half-made request.
            with transaction.atomic():
                created = services.create(
                    request.person,
                    kind=kind.code,
                    title=data["title"],
                    description=data["description"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    conditions=data["conditions"],
                )
                if data.get("attachment"):
                    services.add_attachment(created, request.person, data["attachment"])
                if "submit" in request.POST:
                    services.submit(created, request.person)
        except MamoriError as error:
            report(request, error, form)
        else:
            messages.success(
                request,
                _("申請を送信しました。")
                if "submit" in request.POST
                else _("下書きを保存しました。"),
            )
            return redirect("approvals:detail", created.pk)
    return render(request, "approvals/form.html", {"form": form, "kind": kind})


@person_required
def request_edit(request, pk):
    obj = get_object_or_404(_visible(request.person), pk=pk)
    if obj.applicant_id != request.person.pk or obj.state not in workflow.EDITABLE_STATES:
        messages.error(request, _("下書き又は差戻しの自分の申請だけを修正できます。"))
        return redirect("approvals:detail", pk)
    initial = {
        name: getattr(obj, name)
        for name in ("title", "description", "period_start", "period_end", "conditions")
    }
    form = RequestForm(
        request.POST or None, request.FILES or None, kind=obj.kind_info, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        attachment = data.pop("attachment", None)
        try:
            with transaction.atomic():
                obj = services.update(obj, request.person, **data)
                if attachment:
                    services.add_attachment(obj, request.person, attachment)
                if "submit" in request.POST:
                    services.submit(obj, request.person)
        except MamoriError as error:
            report(request, error, form)
        else:
            messages.success(request, _("申請を更新しました。"))
            return redirect("approvals:detail", pk)
    return render(
        request, "approvals/form.html", {"form": form, "kind": obj.kind_info, "object": obj}
    )


@person_required
def request_detail(request, pk):
    obj = get_object_or_404(_visible(request.person), pk=pk)
    person = request.person
    is_applicant = obj.applicant_id == person.pk
    verdict = services.decider_verdict(person, obj)
    decider_actions = (
        [a for a in workflow.actions_from(obj.state) if a in workflow.DECIDER_ACTIONS]
        if verdict.allowed
        else []
    )
    applicant_actions = (
        [a for a in workflow.actions_from(obj.state) if a in workflow.APPLICANT_ACTIONS]
        if is_applicant
        else []
    )
    history = Event.objects.filter(object_type="approvals.request", object_id=str(obj.pk)).order_by(
        "seq"
    )
    return render(
        request,
        "approvals/detail.html",
        {
            "object": obj,
            "kind": obj.kind_info,
            "is_applicant": is_applicant,
            "editable": is_applicant and obj.state in workflow.EDITABLE_STATES,
            "applicant_actions": [(a, workflow.Action(a).label) for a in applicant_actions],
            "decider_actions": [(a, workflow.Action(a).label) for a in decider_actions],
            # Explain separation of duties to a would-be decider instead of hiding the buttons.
            "refusal": verdict if verdict.separation_of_duties and not is_applicant else None,
            "comments": obj.comments.select_related("author"),
            "attachments": obj.attachments.all(),
            "history": history,
            "decision_form": DecisionForm(),
            "comment_form": CommentForm(),
            "attachment_form": AttachmentForm(),
            "today": timezone.localdate(),
        },
    )


@require_POST
@person_required
def request_act(request, pk):
    obj = get_object_or_404(_visible(request.person), pk=pk)
    action = request.POST.get("action", "")
    try:
        if action == workflow.Action.SUBMIT:
            services.submit(obj, request.person)
        elif action == workflow.Action.WITHDRAW:
            services.withdraw(obj, request.person)
        elif action == workflow.Action.CLOSE:
            services.close(obj, request.person)
        else:
            form = DecisionForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("操作の指定が正しくありません。"))
                return redirect("approvals:detail", pk)
            services.decide(
                obj, request.person, form.cleaned_data["action"], form.cleaned_data["reason"]
            )
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(
            request, _("「%(action)s」を行いました。") % {"action": workflow.Action(action).label}
        )
    return redirect("approvals:detail", pk)


@require_POST
@person_required
def request_comment(request, pk):
    obj = get_object_or_404(_visible(request.person), pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(obj, request.person, form.cleaned_data["body"])
        except MamoriError as error:
            report(request, error)
        else:
            messages.success(request, _("コメントを追加しました。"))
    else:
        messages.error(request, _("コメントを入力してください（5000文字以内）。"))
    return redirect("approvals:detail", pk)


@require_POST
@person_required
def request_attach(request, pk):
    obj = get_object_or_404(_visible(request.person), pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(obj, request.person, form.cleaned_data["attachment"])
        except MamoriError as error:
            report(request, error)
        else:
            messages.success(request, _("ファイルを添付しました。"))
    else:
        messages.error(request, _("添付するファイルを選んでください。"))
    return redirect("approvals:detail", pk)


@person_required
def attachment_download(request, pk, attachment_id):
    obj = get_object_or_404(_visible(request.person), pk=pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, request=obj)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
