"""The pages every signed-in person has: dashboard, 自分のタスク, notices, API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamori.api import services as token_services
from mamori.api.models import ApiToken
from mamori.approvals.models import Request
from mamori.approvals.workflow import State
from mamori.errors import MamoriError
from mamori.notices.models import Notification
from mamori.notices.services import mark_read
from mamori.org import scope
from mamori.web.access import person_required
from mamori.web.forms import TokenForm

OPEN_STATES = (State.DRAFT, State.SUBMITTED, State.RETURNED)


def _awaiting(person):
    return (
        Request.objects.awaiting(person)
        .select_related("applicant", "unit")
        .order_by("due_date", "id")
    )


def _mine_open(person):
    return (
        Request.objects.filter(applicant=person, state__in=OPEN_STATES)
        .select_related("unit", "approver")
        .order_by("due_date", "-id")
    )


@person_required
def dashboard(request):
    person = request.person
    today = timezone.localdate()
    # The cards count everything waiting; the deadline list shows the nearest 20.
    counts = _awaiting(person).aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today))
    )
    awaiting = list(_awaiting(person)[:20])
    upcoming = [
        {
            "title": r.title,
            "url": reverse("approvals:detail", args=[r.pk]),
            "due_date": r.due_date,
            "overdue": bool(r.due_date and r.due_date < today),
            "kind_label": r.kind_info.label,
        }
        for r in awaiting
        if r.due_date
    ]
    return render(
        request,
        "web/dashboard.html",
        {
            "person": person,
            "roles": [(a.role, a.role_label) for a in scope.active_assignments(person)],
            "awaiting_count": counts["total"],
            "my_open_count": _mine_open(person).count(),
            "overdue_count": counts["overdue"],
            "notices": Notification.objects.filter(recipient=person)[:10],
            "upcoming": upcoming,
            "today": today,
            **_incident_items(person),
        },
    )


def _incident_items(person) -> dict:
    """Reports waiting for this person's acknowledgement and cases with a required
    report past due: the incident chain's deadlines on the pages people check daily."""
    from mamori.incidents import queries as incident_queries

    return {
        "incident_acks": list(incident_queries.awaiting_acknowledgement(person)[:20]),
        "incident_overdue": list(incident_queries.overdue_cases(person)[:20]),
    }


@person_required
def tasks(request):
    person = request.person
    return render(
        request,
        "web/tasks.html",
        {
            "awaiting": _awaiting(person),
            "mine": _mine_open(person),
            "today": timezone.localdate(),
            **_incident_items(person),
        },
    )


@require_POST
@person_required
def notices_read(request):
    notice_id = request.POST.get("notice")
    mark_read(request.person, int(notice_id) if notice_id and notice_id.isdigit() else None)
    target = request.POST.get("next", "")
    return redirect(
        target if target.startswith("/") and not target.startswith("//") else "web:dashboard"
    )


@person_required
def notice_open(request, pk):
    notice = get_object_or_404(Notification, pk=pk, recipient=request.person)
    mark_read(request.person, notice.pk)
    url = notice.url
    return redirect(url if url.startswith("/") and not url.startswith("//") else "web:dashboard")


@person_required
def api_tokens(request):
    person = request.person
    held = sorted(scope.role_codes(person))
    form = TokenForm(request.POST or None, roles=held)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = token_services.create_token(
                person,
                name=form.cleaned_data["name"],
                roles=form.cleaned_data["roles"],
                days=form.cleaned_data["days"],
            )
        except MamoriError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request, _("トークンを作成しました。この画面を離れると二度と表示されません。")
            )
            form = TokenForm(roles=held)
    return render(
        request,
        "web/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": ApiToken.objects.filter(person=person),
        },
    )


@require_POST
@person_required
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, person=request.person)
    token_services.revoke_token(request.person, token)
    messages.success(request, _("トークンを取り消しました。"))
    return redirect("web:tokens")
