"""期限カレンダー: every module's deadlines as a month grid and a list, the download of
the same as iCalendar, and the secret feed addresses for calendar apps.

Dates follow 行政機関の休日 (mamori.rules.deadlines.is_working_day): weekends, national
holidays (named by jpholiday) and 12/29–1/3 are shown as non-working days."""

from __future__ import annotations

import calendar as pycalendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

import jpholiday
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mamori.errors import MamoriError
from mamori.rules.deadlines import is_working_day
from mamori.web import calendar_feed
from mamori.web import deadlines as registry
from mamori.web.access import person_required, report
from mamori.web.calendar_forms import FeedForm
from mamori.web.models import CalendarFeedToken

LIST_DAYS = 60  # the list shows the next 60 days …
OVERDUE_DAYS = 365  # … and what is overdue from up to a year back
MONTH_PATTERN = re.compile(r"(\d{4})-(\d{1,2})")


@dataclass(frozen=True)
class Entry:
    """One deadline as the page shows it."""

    deadline: registry.Deadline
    overdue: bool
    module_label: Any
    css: str

    def __getattr__(self, name):
        if name == "deadline":  # not yet set (copying): never recurse
            raise AttributeError(name)
        return getattr(self.deadline, name)


@dataclass
class Day:
    date: date
    in_month: bool
    today: bool
    working: bool
    holiday: str
    entries: list[Entry] = field(default_factory=list)


def _css(code: str) -> str:
    return "cal-mod--" + re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")


def _entries(items, today: date, labels: dict) -> list[Entry]:
    return [
        Entry(item, item.overdue(today), labels.get(item.module, item.module), _css(item.module))
        for item in items
    ]


def holiday_name(day: date) -> str:
    """Why a weekday is not a working day: the holiday's name, or 年末年始."""
    name = jpholiday.is_holiday_name(day)
    if name:
        return name
    if (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3):
        return _("年末年始の休日")
    return ""


def month_weeks(year: int, month: int, entries: list[Entry], today: date) -> list[list[Day]]:
    """The weeks (Monday first) covering the month, each day with its deadlines."""
    start, end = grid_range(year, month)
    by_day: dict[date, list[Entry]] = {}
    for entry in entries:
        by_day.setdefault(entry.due_date, []).append(entry)
    weeks: list[list[Day]] = []
    day = start
    while day <= end:
        if day.weekday() == 0:
            weeks.append([])
        weeks[-1].append(
            Day(
                date=day,
                in_month=day.month == month,
                today=day == today,
                working=is_working_day(day),
                holiday=holiday_name(day),
                entries=by_day.get(day, []),
            )
        )
        day += timedelta(days=1)
    return weeks


def grid_range(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    last = date(year, month, pycalendar.monthrange(year, month)[1])
    return first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())


def _month(text: str | None, today: date) -> tuple[int, int]:
    match = MONTH_PATTERN.fullmatch(text or "")
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1900 <= year <= 2200 and 1 <= month <= 12:
            return year, month
    return today.year, today.month


def _shift(year: int, month: int, by: int) -> str:
    index = year * 12 + (month - 1) + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@require_safe
@person_required
def month(request):
    person = request.person
    today = timezone.localdate()
    year, month_number = _month(request.GET.get("month"), today)
    available = registry.modules()
    codes = {code for code, _label in available}
    chosen = [code for code in request.GET.getlist("module") if code in codes]
    # The page opened plainly shows every module; the filter form marks itself
    # ("filtered") so that clearing every box shows nothing rather than everything.
    filtered = request.GET.get("filtered") == "1"
    wanted = chosen if filtered else sorted(codes)
    labels = dict(available)

    start, end = grid_range(year, month_number)
    grid_entries = _entries(registry.deadlines_for(person, start, end, wanted), today, labels)
    listed = _entries(
        registry.deadlines_for(
            person, today - timedelta(days=OVERDUE_DAYS), today + timedelta(days=LIST_DAYS), wanted
        ),
        today,
        labels,
    )
    overdue = [e for e in listed if e.overdue]
    upcoming = [e for e in listed if not e.overdue and e.due_date >= today]

    module_query = [("filtered", "1")] if filtered else []
    module_query += [("module", code) for code in chosen]
    current = f"{year:04d}-{month_number:02d}"
    weeks = month_weeks(year, month_number, grid_entries, today)
    return render(
        request,
        "calendar/month.html",
        {
            "first": date(year, month_number, 1),
            "month_value": current,
            "weeks": weeks,
            "weekdays": [day.date for day in weeks[0]],
            "modules": [
                {"code": code, "label": label, "checked": code in wanted, "css": _css(code)}
                for code, label in available
            ],
            "previous_query": urlencode([("month", _shift(year, month_number, -1))] + module_query),
            "next_query": urlencode([("month", _shift(year, month_number, 1))] + module_query),
            "this_month_query": urlencode(module_query),
            "is_this_month": (year, month_number) == (today.year, today.month),
            "overdue": overdue,
            "upcoming": upcoming,
            "list_days": LIST_DAYS,
            "month_count": sum(1 for entry in grid_entries if entry.due_date.month == month_number),
            "today": today,
            "nothing_chosen": filtered and not chosen,
        },
    )


@require_safe
@person_required
def mine_ics(request):
    """The signed-in person's feed as a file to import."""
    content = calendar_feed.build_calendar(calendar_feed.feed_deadlines(request.person))
    return calendar_feed.ics_response(content, filename="mamori-deadlines.ics")


@require_safe
def feed(request, token):
    """The secret feed address: no sign-in, so nothing is said about a wrong token."""
    person = calendar_feed.person_for_token(token)
    if person is None:
        raise Http404()
    content = calendar_feed.build_calendar(calendar_feed.feed_deadlines(person))
    return calendar_feed.ics_response(content)


@require_http_methods(["GET", "POST"])
@person_required
def feeds(request):
    person = request.person
    form = FeedForm(request.POST or None)
    new_url = None
    if request.method == "POST" and form.is_valid():
        try:
            _feed, secret = calendar_feed.create_feed(person, name=form.cleaned_data["name"])
        except MamoriError as error:
            report(request, error, form)
        else:
            new_url = calendar_feed.feed_url(secret)
            messages.success(
                request,
                _("配信URLを作成しました。この画面を離れると二度と表示されません。"),
            )
            form = FeedForm()
    return render(
        request,
        "calendar/feeds.html",
        {
            "form": form,
            "new_url": new_url,
            "feeds": CalendarFeedToken.objects.filter(person=person),
            "past_days": calendar_feed.FEED_PAST_DAYS,
            "future_days": calendar_feed.FEED_FUTURE_DAYS,
        },
    )


@require_POST
@person_required
def feed_revoke(request, pk):
    feed_token = get_object_or_404(CalendarFeedToken, pk=pk, person=request.person)
    try:
        calendar_feed.revoke_feed(request.person, feed_token)
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(request, _("配信URLを取り消しました。"))
    return redirect("calendar:feeds")
