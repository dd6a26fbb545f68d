"""The auditor's view of the trail: filter, page through, export as CSV.

Only holders of a trail-reading role (models.VIEWER_ROLES) get in, and they see their
own organisation's events only (Event.objects.visible_to). The list runs the same
number of queries whatever the page size: nothing per row is looked up.
"""

from __future__ import annotations

from functools import wraps
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.org import scope
from mamori.trail.forms import EventFilterForm
from mamori.trail.models import VIEWER_ROLES, Event
from mamori.trail.services import record
from mamori.web.access import person_required
from mamori.web.export import csv_response

PAGE_SIZE = 50
TOKYO = ZoneInfo("Asia/Tokyo")  # the CSV's times, whatever language or zone the viewer uses


def auditor_required(view):
    """Signed in, on the roster, and holding a trail-reading role; otherwise 403."""

    @person_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not scope.has_role(request.person, *VIEWER_ROLES):
            raise PermissionDenied(_("証跡を閲覧する権限がありません。"))
        return view(request, *args, **kwargs)

    return wrapper


def _filtered(request) -> tuple[EventFilterForm, object]:
    """The filter form and the matching events, newest first; none while it has errors."""
    form = EventFilterForm(request.GET or None)
    events = Event.objects.visible_to(request.person).order_by("-seq")
    if form.is_bound:
        events = form.filter(events) if form.is_valid() else events.none()
    return form, events


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@auditor_required
def event_list(request):
    form, events = _filtered(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "trail/event_list.html",
        {"form": form, "page": page, "query": _query_without_page(request)},
    )


@auditor_required
def event_export(request):
    form, events = _filtered(request)
    if form.is_bound and not form.is_valid():
        # The list shows what is wrong with the filter.
        return redirect(f"{reverse('trail:list')}?{request.GET.urlencode()}")
    # Taking a copy of the trail is itself an auditable act (who took what, when).
    record(
        "trail.exported",
        actor=request.user,
        organization_id=request.person.organization_id,
        data={"filters": form.as_record() if form.is_bound else {}},
    )
    columns = (
        "seq",
        "at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_label",
        "data_json",
        "hash",
    )

    def rows():
        for (
            seq,
            at,
            actor,
            action,
            object_type,
            object_id,
            label,
            data,
            digest,
        ) in events.values_list(*columns).iterator(chunk_size=2000):
            yield [
                seq,
                at.astimezone(TOKYO).isoformat(),
                actor,
                action,
                object_type,
                object_id,
                label,
                data,
                digest,
            ]

    header = [
        _("連番"),
        _("日時"),
        _("実行者"),
        _("操作"),
        _("対象の種類"),
        _("対象ID"),
        _("対象"),
        _("内容"),
        _("ハッシュ"),
    ]
    filename = f"trail-{timezone.localtime(timezone.now(), TOKYO):%Y%m%d-%H%M%S}.csv"
    return csv_response(filename, header, rows())
