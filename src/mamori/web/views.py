"""The pages every signed-in person has: dashboard, 自分のタスク, notices, API tokens."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
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
from mamori.web import deadlines as deadline_registry
from mamori.web.access import person_required
from mamori.web.calendar_views import OVERDUE_DAYS
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


# The dashboard's 「近づいている期限」: what is overdue (as far back as the calendar's list
# looks) and what falls due in the next 30 days, from every module's calendar provider.
UPCOMING_DAYS = 30
UPCOMING_SHOWN = 8


@person_required
def dashboard(request):
    person = request.person
    today = timezone.localdate()
    oldest = today - timedelta(days=OVERDUE_DAYS)
    # The request cards count everything waiting. A decision never stops being due, so
    # those older than the calendar's reach still count as overdue (one query for all).
    counts = _awaiting(person).aggregate(
        total=Count("pk"), overdue_before=Count("pk", filter=Q(due_date__lt=oldest))
    )
    labels = dict(deadline_registry.modules())
    open_items = [
        item
        for item in deadline_registry.deadlines_for(
            person, oldest, today + timedelta(days=UPCOMING_DAYS)
        )
        if not item.done
    ]
    overdue = [item for item in open_items if item.overdue(today)]
    coming = [item for item in open_items if not item.overdue(today)]
    upcoming = [
        {
            "deadline": item,
            "overdue": item.overdue(today),
            "module_label": labels.get(item.module, item.module),
        }
        for item in (overdue + coming)[:UPCOMING_SHOWN]
    ]
    return render(
        request,
        "web/dashboard.html",
        {
            "person": person,
            "roles": [(a.role, a.role_label) for a in scope.active_assignments(person)],
            "awaiting_count": counts["total"],
            "my_open_count": _mine_open(person).count(),
            "overdue_count": len(overdue) + counts["overdue_before"],
            "notices": Notification.objects.filter(recipient=person)[:10],
            "upcoming": upcoming,
            "upcoming_more": max(0, len(open_items) - UPCOMING_SHOWN),
            "upcoming_days": UPCOMING_DAYS,
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
