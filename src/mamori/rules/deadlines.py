"""Due dates in Japanese working days.

行政機関の休日 (行政機関の休日に関する法律 第1条): Saturdays, Sundays, national holidays
and 12/29–1/3 are not working days. National holidays come from `jpholiday`.
"""

from __future__ import annotations

from datetime import date, timedelta

import jpholiday


def is_working_day(day: date) -> bool:
    if day.weekday() >= 5:
        return False
    if (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3):
        return False
    return not jpholiday.is_holiday(day)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative if end < start)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


# --- fiscal years and reminders (used by every module's due dates) ---------------------------
# 年度: the Japanese fiscal year runs from 1 April to 31 March (会計年度, 財政法 第11条); yearly
# duties such as the self-assessment (統一基準(H30) 2.3.1) and the periodic audit (防衛省通達
# 第12-2(1)①: 毎年度１回以上) are planned per 年度.


def fiscal_year(day: date) -> int:
    """The 年度 a day belongs to: 2026-03-31 → 2025, 2026-04-01 → 2026."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_start(year: int) -> date:
    return date(year, 4, 1)


def fiscal_year_end(year: int) -> date:
    return date(year + 1, 3, 31)


def last_working_day_on_or_before(day: date) -> date:
    """A due date that falls on a holiday moves back to the working day before it."""
    current = day
    while not is_working_day(current):
        current -= timedelta(days=1)
    return current


def reminder_dates(due: date, days_before: tuple[int, ...] = (7, 1)) -> list[date]:
    """The working days on which to remind someone of `due`: each `days_before` working
    days ahead of it, earliest first, without duplicates."""
    found: set[date] = set()
    for count in days_before:
        if count < 0:
            raise ValueError("days_before must not be negative")
        current, remaining = due, count
        while remaining:
            current -= timedelta(days=1)
            if is_working_day(current):
                remaining -= 1
        found.add(current)
    return sorted(found)


def days_left(due: date, today: date) -> int:
    """Calendar days from `today` to `due`: negative once overdue."""
    return (due - today).days
