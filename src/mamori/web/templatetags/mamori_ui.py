"""Template helpers shared by every page: `{% load mamori_ui %}`."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

register = template.Library()

DUE_SOON_DAYS = 2  # "期限間近": due today or within the next two days


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    return None


@register.filter
def due_class(due_date, today=None) -> str:
    """CSS class for a deadline: "overdue" once past, "due-soon" within two days, else "".

    <span class="{{ r.due_date|due_class:today }}">{{ r.due_date|date:"Y-m-d" }}</span>
    """
    due = _as_date(due_date)
    if due is None:
        return ""
    today = _as_date(today) or timezone.localdate()
    days_left = (due - today).days
    if days_left < 0:
        return "overdue"
    if days_left <= DUE_SOON_DAYS:
        return "due-soon"
    return ""


DUE_LABELS = {"overdue": _("期限超過"), "due-soon": _("期限間近")}


@register.filter
def due_label(due_date, today=None) -> str:
    """Words for the same state as due_class, so colour is never the only signal."""
    return str(DUE_LABELS.get(due_class(due_date, today), ""))


@register.inclusion_tag("includes/due_date.html")
def due_date(value, today=None):
    """A deadline as <time>, coloured and labelled when past or near.

    {% due_date r.due_date today %}
    """
    state = due_class(value, today)
    return {"value": value, "state": state, "label": DUE_LABELS.get(state, "")}


@register.filter
def startswith(value, prefix) -> bool:
    """{% if request.path|startswith:section_url %}: is this page inside that section?"""
    return bool(prefix) and str(value).startswith(str(prefix))


@register.simple_tag
def elided_pages(page, on_each_side: int = 2, on_ends: int = 1) -> list[int | None]:
    """Page numbers around the current page, None where numbers are left out."""
    numbers = page.paginator.get_elided_page_range(
        page.number, on_each_side=on_each_side, on_ends=on_ends
    )
    return [number if isinstance(number, int) else None for number in numbers]
