"""The 報告窓口 and the case pages. Every change goes through incidents.services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamori.errors import MamoriError
from mamori.incidents import chain, permissions, queries, services, workflow
from mamori.incidents.board import board_queryset, export_rows, header
from mamori.incidents.forms import (
    AnalysisForm,
    BoardFilterForm,
    HandlerForm,
    NoteForm,
    ReportForm,
    ShareForm,
    TaskForm,
    TransitionForm,
    TriageForm,
)
from mamori.incidents.labels import kind_info, term_label
from mamori.incidents.models import ChainItem, Evidence, Incident, IncidentTask
from mamori.rules import routes
from mamori.web.access import person_required, report
from mamori.web.export import csv_response

PAGE_SIZE = 25


def _instructions(incident) -> list:
    """The first instructions for the kind, of the rulebooks the organisation follows."""
    info = kind_info(incident.kind)
    return info.instructions_for(incident.organization.rulebooks) if info else []


def _case(request, pk) -> Incident:
    return get_object_or_404(
        Incident.objects.visible_to(request.person).select_related(
            "organization", "reporter", "reporter_unit", "handler"
        ),
        pk=pk,
    )


@person_required
def report_form(request):
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.file_report(
                request.person,
                kind=data["kind"],
                summary=data["summary"],
                occurred_at=data["occurred_at"],
                location=data["location"],
                device=data["device"],
                personal_info=data["personal_info"],
                my_number=data["my_number"],
                people_count=data["people_count"],
                attachments=data["attachments"],
            )
        except MamoriError as error:
            report(request, error, form)
        else:
            for reason in incident.refused_attachments:
                messages.warning(
                    request, _("報告は受け付けました。ただし、%(reason)s") % {"reason": reason}
                )
            return redirect("incidents:reported", incident.pk)
    kinds = [kind_info(code) for code, _label in form.fields["kind"].choices]
    return render(request, "incidents/report.html", {"form": form, "kinds": kinds})


@person_required
def reported(request, pk):
    incident = _case(request, pk)
    return render(
        request,
        "incidents/reported.html",
        {
            "incident": incident,
            "instructions": _instructions(incident),
            "items": incident.chain_items.filter(cancelled_at__isnull=True).select_related(
                "recipient_person"
            ),
        },
    )


@person_required
def board(request):
    person = request.person
    form = BoardFilterForm(request.GET or None, organization_id=person.organization_id)
    page = Paginator(board_queryset(person, form), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    waiting = queries.awaiting_acknowledgement(person)[:20]
    return render(
        request,
        "incidents/board.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "waiting": waiting,
            "full_board": permissions.may_see_board(person),
        },
    )


@person_required
def board_export(request):
    person = request.person
    form = BoardFilterForm(request.GET or None, organization_id=person.organization_id)
    return csv_response("incidents.csv", header(), export_rows(board_queryset(person, form)))


def _detail_context(request, incident, **forms):
    org_id = incident.organization_id
    person = request.person
    handler = permissions.can_handle(person, incident)
    items = list(
        incident.chain_items.select_related("recipient_person", "sent_by", "acknowledged_by")
    )
    for item in items:
        item.may_send = item.is_open and permissions.can_send(person, item)
        item.may_acknowledge = (
            item.sent_at is not None
            and item.acknowledged_at is None
            and permissions.can_acknowledge(person, item)
        )
    language = get_language() or "ja"
    context = {
        "incident": incident,
        "instructions": _instructions(incident),
        "playbook": routes.playbook(chain.case_facts(incident)),
        "event_label": term_label("events", incident.event_type, language),
        "cause_label": term_label("causes", incident.cause, language),
        "damage_labels": [term_label("damage", d, language) for d in incident.damage_types],
        "items": items,
        "tasks": incident.tasks.select_related("owner"),
        "timeline": incident.timeline.select_related("actor__person"),
        "evidence": incident.evidence.select_related("uploaded_by"),
        "systems": incident.affected_systems.all(),
        "assets": incident.affected_assets.all(),
        "shared_units": incident.shared_with_units.all(),
        "can_handle": handler,
        "can_add_evidence": handler or incident.reporter_id == person.pk,
        "next_states": [
            (s, workflow.Status(s).label) for s in sorted(workflow.allowed(incident.status))
        ],
    }
    if handler:
        context.update(
            triage_form=forms.get("triage_form")
            or TriageForm(initial=TriageForm.initial_for(incident)),
            task_form=forms.get("task_form") or TaskForm(organization_id=org_id),
            note_form=forms.get("note_form") or NoteForm(),
            analysis_form=forms.get("analysis_form")
            or AnalysisForm(
                organization_id=org_id,
                initial={
                    "affected_people": incident.affected_people,
                    "cause_analysis": incident.cause_analysis,
                    "recurrence_prevention": incident.recurrence_prevention,
                    "affected_systems": context["systems"],
                    "affected_assets": context["assets"],
                },
            ),
            share_form=forms.get("share_form") or ShareForm(organization_id=org_id),
            handler_form=HandlerForm(
                organization_id=org_id, initial={"handler": incident.handler_id}
            ),
        )
    return context


@person_required
def detail(request, pk):
    incident = _case(request, pk)
    return render(request, "incidents/detail.html", _detail_context(request, incident))


def _act(request, incident, action, success: str, form_name: str | None = None, form=None):
    """Run a service call from a POST; on error re-show the case with the form."""
    try:
        action()
    except MamoriError as error:
        if form is not None:
            report(request, error, form)
            context = _detail_context(request, incident, **{form_name: form})
            return render(request, "incidents/detail.html", context, status=error.status)
        messages.error(request, str(error.message))
        return redirect("incidents:detail", incident.pk)
    messages.success(request, success)
    return redirect("incidents:detail", incident.pk)


def _invalid(request, incident, form_name, form):
    context = _detail_context(request, incident, **{form_name: form})
    return render(request, "incidents/detail.html", context, status=400)


@require_POST
@person_required
def triage(request, pk):
    incident = _case(request, pk)
    form = TriageForm(request.POST)
    if not form.is_valid():
        return _invalid(request, incident, "triage_form", form)
    data = form.cleaned_data
    return _act(
        request,
        incident,
        lambda: services.triage(
            incident,
            request.person,
            event_type=data["event_type"],
            cause=data["cause"],
            damage_types=data["damage_types"],
            importance=data["importance"],
            impact_c=data["impact_c"],
            impact_i=data["impact_i"],
            impact_a=data["impact_a"],
            facts=form.facts(),
        ),
        _("初動判断を記録し、報告の流れを更新しました。"),
        "triage_form",
        form,
    )


@require_POST
@person_required
def transition(request, pk):
    incident = _case(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("次の状態を選んでください。"))
        return redirect("incidents:detail", incident.pk)
    return _act(
        request,
        incident,
        lambda: services.transition(
            incident, request.person, form.cleaned_data["target"], form.cleaned_data["note"]
        ),
        _("状態を変更しました。"),
    )


@require_POST
@person_required
def add_task(request, pk):
    incident = _case(request, pk)
    form = TaskForm(request.POST, organization_id=incident.organization_id)
    if not form.is_valid():
        return _invalid(request, incident, "task_form", form)
    data = form.cleaned_data
    return _act(
        request,
        incident,
        lambda: services.add_task(
            incident,
            request.person,
            title=data["title"],
            owner=data["owner"],
            due_at=data["due_at"],
        ),
        _("作業を追加しました。"),
        "task_form",
        form,
    )


@require_POST
@person_required
def complete_task(request, pk, task_pk):
    incident = _case(request, pk)
    task = get_object_or_404(IncidentTask, pk=task_pk, incident=incident)
    return _act(
        request,
        incident,
        lambda: services.complete_task(task, request.person),
        _("作業を完了にしました。"),
    )


@require_POST
@person_required
def add_note(request, pk):
    incident = _case(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, incident, "note_form", form)
    return _act(
        request,
        incident,
        lambda: services.add_note(
            incident,
            request.person,
            form.cleaned_data["text"],
            containment=form.cleaned_data["containment"],
        ),
        _("経過に記録しました。"),
        "note_form",
        form,
    )


@require_POST
@person_required
def analysis(request, pk):
    incident = _case(request, pk)
    form = AnalysisForm(request.POST, organization_id=incident.organization_id)
    if not form.is_valid():
        return _invalid(request, incident, "analysis_form", form)
    data = form.cleaned_data
    return _act(
        request,
        incident,
        lambda: services.update_analysis(
            incident,
            request.person,
            cause_analysis=data["cause_analysis"],
            recurrence_prevention=data["recurrence_prevention"],
            affected_people=data["affected_people"],
            systems=list(data["affected_systems"]),
            assets=list(data["affected_assets"]),
        ),
        _("影響・原因・再発防止策を保存しました。"),
        "analysis_form",
        form,
    )


@require_POST
@person_required
def share(request, pk):
    incident = _case(request, pk)
    form = ShareForm(request.POST, organization_id=incident.organization_id)
    if not form.is_valid():
        return _invalid(request, incident, "share_form", form)
    return _act(
        request,
        incident,
        lambda: services.share_prevention(
            incident, request.person, list(form.cleaned_data["units"])
        ),
        _("再発防止策を共有し、共有先の責任者に通知しました。"),
        "share_form",
        form,
    )


@require_POST
@person_required
def assign(request, pk):
    incident = _case(request, pk)
    form = HandlerForm(request.POST, organization_id=incident.organization_id)
    if not form.is_valid():
        messages.error(request, _("担当者を選んでください。"))
        return redirect("incidents:detail", incident.pk)
    return _act(
        request,
        incident,
        lambda: services.assign_handler(incident, request.person, form.cleaned_data["handler"]),
        _("担当者を変更しました。"),
    )


@require_POST
@person_required
def add_evidence(request, pk):
    incident = _case(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("ファイルを選んでください。"))
        return redirect("incidents:detail", incident.pk)
    return _act(
        request,
        incident,
        lambda: services.add_evidence(incident, request.person, upload),
        _("証拠ファイルを保存しました（SHA-256を記録しました）。"),
    )


@person_required
def evidence_download(request, pk, evidence_pk):
    incident = _case(request, pk)
    evidence = get_object_or_404(Evidence, pk=evidence_pk, incident=incident)
    if not (
        permissions.can_handle(request.person, incident)
        or evidence.uploaded_by_id == request.person.pk
    ):
        raise PermissionDenied(_("この証拠ファイルを取り出す権限がありません。"))
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


@require_POST
@person_required
def send_item(request, pk, item_pk):
    incident = _case(request, pk)
    item = get_object_or_404(ChainItem, pk=item_pk, incident=incident)
    return _act(
        request,
        incident,
        lambda: services.send_item(item, request.person),
        _("送付を記録しました。"),
    )


@require_POST
@person_required
def acknowledge_item(request, pk, item_pk):
    incident = _case(request, pk)
    item = get_object_or_404(ChainItem, pk=item_pk, incident=incident)
    return _act(
        request,
        incident,
        lambda: services.acknowledge_item(item, request.person),
        _("受領を確認しました。"),
    )
