"""Reminders of unsubmitted checklists: on the reminder working days before the answer
due date and every day once overdue, at most once a day, never to those who submitted."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.db.models import Q

from mamori.compliance.assessments import services_reminders
from mamori.notices.models import Notification
from mamori.rules import deadlines

from .conftest import events


def reminders(person):
    return Notification.objects.filter(recipient=person).filter(
        Q(message__contains="近づいています") | Q(message__contains="過ぎています")
    )


def reminders_of(person):
    return reminders(person).count()


def quiet_day(due):
    """A day before the due date that is not a reminder day."""
    day = due - timedelta(days=15)
    while day in deadlines.reminder_dates(due):
        day -= timedelta(days=1)
    return day


def test_reminders_go_once_a_day_to_unsubmitted_only(make_plan, staff, other_staff, answer_all):
    plan = make_plan()
    answer_all(plan, other_staff, "done", submit=True)
    remind_day = deadlines.reminder_dates(plan.answer_due)[0]

    assert services_reminders.send_reminders(today=quiet_day(plan.answer_due)) == 0
    sent = services_reminders.send_reminders(today=remind_day)
    assert sent == plan.checklists.exclude(state="submitted").count()
    assert reminders_of(staff) == 1
    assert reminders_of(other_staff) == 0
    # The same day again: nobody is reminded twice.
    assert services_reminders.send_reminders(today=remind_day) == 0
    assert reminders_of(staff) == 1
    event = events("assessments.plan.reminded")[0]
    assert event.data["reminded"] == sent and event.data["overdue"] is False


def test_overdue_reminders_every_day(make_plan, staff, checklist_of):
    plan = make_plan()
    checklist = checklist_of(plan, staff)
    overdue_day = plan.answer_due + timedelta(days=1)
    # Pretend the last reminder went out yesterday.
    checklist.last_reminded_at = services_reminders._start_of(overdue_day) - timedelta(hours=12)
    checklist.save()
    assert services_reminders.send_reminders(plan, today=overdue_day) >= 1
    notice = reminders(staff).get()
    assert "過ぎています" in notice.text
    assert services_reminders.send_reminders(plan, today=overdue_day) == 0


def test_a_draft_plan_reminds_nobody(make_plan, staff):
    plan = make_plan(open=False)
    assert services_reminders.send_reminders(today=plan.answer_due + timedelta(days=3)) == 0


def test_the_daily_command(make_plan, staff, capsys):
    plan = make_plan()
    day = (plan.answer_due + timedelta(days=2)).isoformat()
    call_command("assessment_reminders", "--date", day)
    assert reminders_of(staff) == 1
    assert "督促" in capsys.readouterr().out
