"""Every module's due dates, gathered for the calendar page and the iCalendar feed.

A module registers a provider once (in its AppConfig.ready() or navigation module):

    from mamori.web.deadlines import Deadline, register

    def _my_deadlines(person, start, end):
        for item in MyModel.objects.visible_to(person).filter(due_date__range=(start, end)):
            yield Deadline(
                uid=f"mymodule.item.{item.pk}",
                due=item.due_date,
                title=str(item),
                url=reverse("mymodule:detail", args=[item.pk]),
                module="mymodule",
                citation="統一基準(H30) 2.3.1(1)(b)",
                done=item.is_closed,
            )

    register("mymodule", _my_deadlines, label=_("私のモジュール"))

Providers compute their dates with mamori.rules.deadlines (working days, 年度) and must
scope by what `person` may see: the calendar shows only what the provider returns, and
a provider must use a bounded number of queries (no query per row).

`uid` must be stable and unique across the whole site (the iCalendar UID is
`uid + "@mamori"`): prefix it with the module code and name what falls due, e.g.
"approvals.request.12.decision". `label` (lazy) names the module in the calendar's
filter; without one the Django app with the same label lends its verbose_name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

Provider = Callable[[Any, date, date], Iterable["Deadline"]]


@dataclass(frozen=True)
class Deadline:
    uid: str  # stable across requests: the iCalendar UID
    due: date | datetime  # a date (all-day) or an aware datetime
    title: str
    url: str
    module: str  # the provider's code, for filtering and colour
    citation: str = ""  # the clause that sets the deadline
    done: bool = False  # finished items still show, struck through

    @property
    def due_date(self) -> date:
        if isinstance(self.due, datetime):
            return timezone.localtime(self.due).date()
        return self.due

    @property
    def has_time(self) -> bool:
        return isinstance(self.due, datetime)

    def overdue(self, today: date | None = None) -> bool:
        if self.done:
            return False
        if isinstance(self.due, datetime):
            return self.due < timezone.now()
        return self.due < (today or timezone.localdate())


_providers: dict[str, Provider] = {}
_labels: dict[str, Any] = {}


def register(code: str, provider: Provider, label: Any = None) -> None:
    """Add or replace (by code) one module's provider."""
    _providers[code] = provider
    if label is not None:
        _labels[code] = label
    else:
        _labels.pop(code, None)


def unregister(code: str) -> None:
    _providers.pop(code, None)
    _labels.pop(code, None)


def providers() -> dict[str, Provider]:
    return dict(_providers)


def module_label(code: str) -> Any:
    """The module's name for people: its registered label, else the verbose_name of the
    app labelled (or named, e.g. mamori.compliance.exceptions) like the code."""
    if code in _labels:
        return _labels[code]
    from django.apps import apps

    for config in apps.get_app_configs():  # by label, or by the last part of the name
        if code in (config.label, config.name.rsplit(".", 1)[-1]):
            return config.verbose_name
    return code


def modules() -> list[tuple[str, Any]]:
    """(code, label) of every registered module, in code order."""
    return [(code, module_label(code)) for code in sorted(_providers)]


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Aware datetimes for filtering a DateTimeField: [start 00:00, end+1 00:00) local time."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def deadlines_for(
    person, start: date, end: date, modules: Iterable[str] | None = None
) -> list[Deadline]:
    """Every deadline `person` may see with a due date from `start` to `end` (inclusive),
    soonest first. Nothing for nobody (no person, or one no longer active)."""
    if person is None or not getattr(person, "active", True):
        return []
    wanted = set(modules) if modules is not None else None
    found: dict[str, Deadline] = {}
    for code, provider in sorted(_providers.items()):
        if wanted is not None and code not in wanted:
            continue
        for item in provider(person, start, end):
            if start <= item.due_date <= end:
                found.setdefault(item.uid, item)  # one event per UID, whatever overlaps
    return sorted(found.values(), key=_order)


def _order(item: Deadline):
    moment = item.due if isinstance(item.due, datetime) else None
    return (
        item.due_date,
        moment is not None,  # all-day items first, then timed ones by time
        moment.timestamp() if moment else 0.0,
        item.module,
        item.title,
        item.uid,
    )
