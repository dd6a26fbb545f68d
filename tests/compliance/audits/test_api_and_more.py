"""The API, the reminder command, the calendar provider and the demo."""

from __future__ import annotations

import json
from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from tests.compliance.audits.conftest import soon


def _item(instructed, officer, due):
    from mamori.compliance.audits import services_plans

    plan = next(p for p in instructed if p.officer == officer)
    return services_plans.add_item(plan, officer, measure="周知する", owner=officer, due_date=due)


def test_api_lists_and_marks_an_item_done(client, login, instructed, isec_officer, chief):
    item = _item(instructed, isec_officer, soon())
    login(isec_officer)
    audits = client.get("/api/audits").json()
    assert audits["count"] == 1
    findings = client.get("/api/audits/findings").json()
    assert [f["severity"] for f in findings["items"]] == ["major"]
    items = client.get("/api/audits/items?open=true").json()
    assert [i["id"] for i in items["items"]] == [item.pk]
    done = client.post(
        f"/api/audits/items/{item.pk}/done",
        json.dumps({"result": "周知した"}),
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["done_at"]
    again = client.post(
        f"/api/audits/items/{item.pk}/done",
        json.dumps({"result": "周知した"}),
        content_type="application/json",
    )
    assert again.status_code == 409
    login(chief)  # the 統括 sees it, but only its owner or officer completes it
    assert client.get("/api/audits/items").json()["count"] == 1


def test_reminders_go_once_a_day(instructed, isec_officer):
    from mamori.notices.models import Notification
    from mamori.rules.deadlines import reminder_dates

    due = timezone.localdate() + timedelta(days=20)
    _item(instructed, isec_officer, due)
    day = reminder_dates(due)[-1]
    notices = Notification.objects.filter(
        recipient=isec_officer, message__contains="改善措置の期限"
    )
    assert notices.count() == 0
    call_command("audit_reminders", today=day.isoformat())
    assert notices.count() == 1
    call_command("audit_reminders", today=day.isoformat())
    assert notices.count() == 1


def test_an_unreported_plan_reminds_its_officer_once_a_day(instructed, isec_officer, chief):
    from mamori.compliance.audits import services_plans
    from mamori.notices.models import Notification

    plan = next(p for p in instructed if p.officer == isec_officer)
    overdue = plan.due_date + timedelta(days=1)
    notices = Notification.objects.filter(recipient=isec_officer, message__contains="報告期限")
    before = notices.count()  # the instruction itself names the due date
    call_command("audit_reminders", today=overdue.isoformat())
    call_command("audit_reminders", today=overdue.isoformat())
    assert notices.count() == before + 1
    services_plans.add_item(plan, isec_officer, measure="m", owner=isec_officer, due_date=soon())
    services_plans.report_plan(plan, isec_officer, summary="s")
    later = overdue + timedelta(days=1)
    call_command("audit_reminders", today=later.isoformat())
    assert notices.count() == before + 1  # reported: no more reminders


def test_calendar_shows_audit_and_item_deadlines(instructed, isec_officer, staff):
    from mamori.web.deadlines import deadlines_for

    _item(instructed, isec_officer, soon(3))
    today = timezone.localdate()
    found = deadlines_for(isec_officer, today, today + timedelta(days=60), modules=["audits"])
    uids = {d.uid.split(".")[1] for d in found}
    assert uids == {"audit", "plan", "item"}
    assert deadlines_for(staff, today, today + timedelta(days=60), modules=["audits"]) == []


def test_the_demo_has_one_audit_and_builds_it_once(db):
    from mamori.compliance.audits.demo import build_audits
    from mamori.compliance.audits.models import Audit, ImprovementItem
    from mamori.org.demo import build_demo
    from mamori.org.models import Organization, Person

    build_demo(password="demo-password-for-tests-1234")
    org = Organization.objects.get(code="demo-ministry")
    people = {
        p.user.username: p for p in Person.objects.filter(organization=org).select_related("user")
    }
    # `mamori demo` calls build_audits itself (mamori.org.demo): one audit, made once.
    assert Audit.objects.filter(organization=org).count() == 1
    audit = Audit.objects.get(organization=org)
    assert audit.findings.count() == 2 and audit.state == "reported"
    assert ImprovementItem.objects.filter(plan__audit=audit, done_at__isnull=True).exists()
    assert build_audits(org, people) == 0


def test_audit_detail_page_for_the_team(client, login, running_audit, auditor):
    login(auditor)
    page = client.get(reverse("audits:detail", args=[running_audit.pk])).content.decode()
    assert reverse("audits:finding_new", args=[running_audit.pk]) in page
    assert "監査報告書の提出" in page
