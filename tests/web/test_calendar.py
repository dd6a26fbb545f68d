"""期限カレンダー: each module's deadlines for the right person, overdue and done marking,
non-working days, the module filter, and a page whose cost does not grow with the rows."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests.conftest import with_totp

from mamori.approvals import services as approvals
from mamori.approvals.models import Request
from mamori.incidents import services as incidents
from mamori.org.models import RoleAssignment
from mamori.web import calendar_views, nav
from mamori.web import deadlines as registry

pytestmark = pytest.mark.django_db

URL = reverse("calendar:month")


@pytest.fixture(autouse=True)
def _only_the_providers_under_test(monkeypatch):
    """These tests exercise the approvals and incidents providers: other modules' providers
    are tested with their modules (and must not make these results depend on them)."""
    from mamori.web import deadlines

    kept = {code: p for code, p in deadlines.providers().items() if code in KEPT}
    monkeypatch.setattr(deadlines, "_providers", kept)


KEPT = ("approvals", "incidents")


@pytest.fixture
def csirt(person_with):
    """CSIRT members must have a second factor before they may use mamori."""
    person = person_with("csirt", unit="b2", username="csirt")
    with_totp(person)
    return person


def submitted(person, title="USBメモリの持出し", days=10):
    today = timezone.localdate()
    request = approvals.create(
        person,
        kind="general.permission",
        title=title,
        period_start=today + timedelta(days=days),
        period_end=today + timedelta(days=days + 5),
    )
    return approvals.submit(request, person)


def page(client, login, person, **params):
    login(person)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def cell(html: str, day: date) -> str:
    """The <td> of one day in the month grid."""
    match = re.search(
        rf'<td class="(cal-day[^"]*)"[^>]*data-date="{day.isoformat()}">(.*?)</td>', html, re.S
    )
    assert match, f"no cell for {day}"
    return match.group(1) + " " + match.group(2)


# --- the page -----------------------------------------------------------------------------


def test_everyone_has_the_calendar_in_the_menu(staff):
    assert "calendar" in [item.key for item in nav.items_for(staff)]


def test_signing_in_is_required(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_approvals_deadlines_reach_the_decider_and_the_applicant_only(
    client, login, staff, section_officer, other_staff
):
    request = submitted(staff)
    title = f"{request.reference} {request.title}"
    decider_page = page(client, login, section_officer)
    assert f"{title} の処理期限（判断）" in decider_page
    assert reverse("approvals:detail", args=[request.pk]) in decider_page
    assert "統一基準(H30) 2.1.1(8)(a)(ア)" in decider_page  # the kind's clause
    applicant_page = page(client, login, staff)
    assert f"{title} の処理期限（自分の申請）" in applicant_page
    assert "の処理期限（判断）" not in applicant_page
    assert request.title not in page(client, login, other_staff)


def test_an_approved_request_shows_the_end_of_its_period(client, login, staff, section_officer):
    request = submitted(staff, days=20)
    approvals.decide(request, section_officer, "approve")
    end = request.period_end
    html = page(client, login, staff, month=month_of(end))
    assert f"{request.reference} {request.title} の許可期間の終了" in cell(html, end)
    # the decision is made: the applicant's waiting item is shown as done
    decided = page(client, login, staff, month=month_of(request.due_date))
    assert re.search(r'cal-item [^"]*is-done[^"]*"><a [^>]*><s>R-\d+ USBメモリの持出し', decided)


def test_incident_chain_items_reach_the_csirt_and_not_other_staff(
    client, login, staff, other_staff, csirt
):
    incident = incidents.file_report(staff, kind="malware", summary="PCの動作がおかしい。")
    html = page(client, login, csirt)
    # the CSIRT reports to NISC (速やかに) and acknowledges the staff member's report
    assert f"{incident.number} 報告期限:" in html
    assert f"{incident.number} 受領確認:" in html
    assert reverse("incidents:detail", args=[incident.pk]) + "#chain" in html
    assert "統一基準" in html
    # the reporter has nothing to send or acknowledge; other staff cannot see the case
    assert incident.number not in page(client, login, staff)
    assert incident.number not in page(client, login, other_staff)


def test_acknowledged_items_are_done_for_the_one_who_acknowledged(client, login, staff, csirt):
    incident = incidents.file_report(staff, kind="malware", summary="PCの動作がおかしい。")
    item = incident.chain_items.get(sent_at__isnull=False, recipient_person=csirt)
    incidents.acknowledge_item(item, csirt)
    html = page(client, login, csirt)
    assert re.search(
        rf'is-done[^"]*"><a [^>]*><time [^>]*>\d\d:\d\d</time> <s>{re.escape(incident.number)} 受領確認:',
        html,
    )


def test_overdue_deadlines_are_marked_in_the_grid_and_listed(client, login, staff, section_officer):
    request = submitted(staff, title="期限を過ぎた申請")
    late = timezone.localdate() - timedelta(days=3)
    Request.objects.filter(pk=request.pk).update(due_date=late)
    fresh = submitted(staff, title="まだ間に合う申請")
    html = page(client, login, section_officer, month=month_of(late))
    assert "is-overdue" in cell(html, late) and "期限を過ぎた申請" in cell(html, late)
    listing = html.split('id="calendar-list"', 1)[1]
    overdue_row = re.search(r'<tr class="cal-row[^"]*is-overdue[^"]*">.*?</tr>', listing, re.S)
    assert overdue_row and "期限を過ぎた申請" in overdue_row.group(0)
    assert "期限超過" in overdue_row.group(0)
    assert fresh.title in listing
    assert re.search(r"期限超過 1件、今後の期限 1件", listing)


def test_the_month_grid_marks_holidays_and_year_end_as_non_working(client, login, staff):
    html = page(client, login, staff, month="2026-11")
    culture_day = cell(html, date(2026, 11, 3))
    assert "is-closed" in culture_day and "文化の日" in culture_day
    assert "is-closed" not in cell(html, date(2026, 11, 4))  # an ordinary Wednesday
    assert "is-closed" in cell(html, date(2026, 11, 7))  # a Saturday
    # Monday first: the grid starts on Monday 26 October
    assert html.index('data-date="2026-10-26"') < html.index('data-date="2026-11-01"')
    year_end = cell(page(client, login, staff, month="2026-12"), date(2026, 12, 29))
    assert "is-closed" in year_end and "年末年始の休日" in year_end


def test_today_is_highlighted_and_months_can_be_walked(client, login, staff):
    today = timezone.localdate()
    html = page(client, login, staff)
    assert "is-today" in cell(html, today) and 'aria-current="date"' in html
    assert f"month={calendar_views._shift(today.year, today.month, 1)}" in html
    assert f"month={calendar_views._shift(today.year, today.month, -1)}" in html
    # a bad month parameter falls back to this month instead of failing
    assert "is-today" in cell(page(client, login, staff, month="2026-13"), today)


def test_the_module_filter_works_without_script(client, login, staff, section_officer, csirt):
    submitted(staff, title="フィルタの申請")
    with_totp(section_officer)
    RoleAssignment.objects.create(
        person=section_officer, role="csirt", organization=section_officer.organization
    )
    incident = incidents.file_report(staff, kind="malware", summary="動作がおかしい")
    everything = page(client, login, section_officer)
    assert "フィルタの申請" in everything and incident.number in everything
    only_approvals = page(client, login, section_officer, filtered="1", module="approvals")
    assert "フィルタの申請" in only_approvals and incident.number not in only_approvals
    assert re.search(r'value="approvals" checked', only_approvals)
    assert not re.search(r'value="incidents" checked', only_approvals)
    # the month links keep the filter
    assert "filtered=1&amp;module=approvals" in only_approvals
    nothing = page(client, login, section_officer, filtered="1")
    assert "フィルタの申請" not in nothing and "業務が一つも選ばれていない" in nothing


def test_the_page_cost_does_not_grow_with_the_deadlines(
    client, login, staff, section_officer, csirt
):
    def add(count):
        for n in range(count):
            submitted(staff, title=f"申請{n}")
        for _n in range(count // 3):
            incidents.file_report(staff, kind="malware", summary="動作がおかしい")

    with_totp(section_officer)
    add(3)
    login(section_officer)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    add(27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert response.content.decode().count("処理期限（判断）") >= 30
    assert len(many) == len(few)


def test_csirt_page_cost_does_not_grow_with_the_chain_items(client, login, staff, csirt):
    incidents.file_report(staff, kind="malware", summary="一件目")
    login(csirt)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(10):
        incidents.file_report(staff, kind="malware", summary=f"{n}件目")
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert response.content.decode().count("報告期限:") >= 11
    assert len(many) == len(few)


# --- the registry ------------------------------------------------------------------------


def test_deadlines_are_sorted_and_kept_to_the_range(staff):
    today = timezone.localdate()

    def provider(person, start, end):
        yield registry.Deadline("t.b", today + timedelta(days=2), "後", "/b/", "t")
        yield registry.Deadline("t.a", today, "先", "/a/", "t")
        yield registry.Deadline("t.out", today + timedelta(days=90), "範囲外", "/c/", "t")
        yield registry.Deadline("t.a", today, "重複", "/a/", "t")

    registry.register("t", provider)
    try:
        found = registry.deadlines_for(staff, today, today + timedelta(days=10), ["t"])
    finally:
        registry.unregister("t")
    assert [d.title for d in found] == ["先", "後"]
    staff.active = False
    assert registry.deadlines_for(staff, today, today + timedelta(days=10)) == []


def test_overdue_and_done():
    today = date(2026, 12, 7)
    late = registry.Deadline("x", date(2026, 12, 4), "t", "/", "m")
    assert late.overdue(today) and not late.overdue(date(2026, 12, 4))
    assert not registry.Deadline("x", date(2026, 12, 4), "t", "/", "m", done=True).overdue(today)
    past = registry.Deadline("x", timezone.now() - timedelta(minutes=1), "t", "/", "m")
    assert past.overdue() and past.has_time


def test_incident_deadlines_agree_with_the_permissions_for_system_officers():
    """A 防衛省 case: the officer of the affected system acknowledges the staff report and
    sends it on; the officer of another system has nothing. The provider decides in bulk
    exactly as mamori.incidents.permissions decides item by item."""
    from django.contrib.auth import get_user_model

    from mamori.incidents import permissions
    from mamori.incidents.deadlines import chain_deadlines
    from mamori.org.models import Organization, OrgUnit, Person
    from mamori.systems.models import InformationSystem

    org = Organization.objects.create(
        code="boei", name="防衛", name_en="MOD", kind="national", rulebooks=["mod"]
    )
    unit = OrgUnit.objects.create(organization=org, code="u1", name="第1課", kind="division")

    def person(*roles, system=None):
        n = Person.objects.count() + 1
        user = get_user_model().objects.create_user(username=f"mod{n}", password="x")
        someone = Person.objects.create(
            user=user, organization=org, unit=unit, family_name="試験", given_name=str(n)
        )
        for role in roles:
            RoleAssignment.objects.create(
                person=someone, role=role, organization=org, system=system
            )
        return someone

    web = InformationSystem.objects.create(organization=org, code="web", name="広報サイト")
    other = InformationSystem.objects.create(organization=org, code="mail", name="メール")
    reporter = person()
    sys_officer = person("sys_ia_officer", system=web)
    other_officer = person("sys_ia_officer", system=other)
    incident_officer = person("incident_officer")
    person("incident_chief")
    incident = incidents.file_report(reporter, kind="defacement", summary="改ざんされた")
    incidents.update_analysis(
        incident,
        incident_officer,
        cause_analysis="",
        recurrence_prevention="",
        affected_people="",
        systems=[web],
    )
    incidents.triage(incident, incident_officer, damage_types=["d2"], importance="alert")
    today = timezone.localdate()
    window = (today - timedelta(days=5), today + timedelta(days=30))
    items = list(incident.chain_items.filter(cancelled_at__isnull=True, due_at__isnull=False))

    def expected(who):
        found = set()
        for item in items:
            if item.sent_at is None and permissions.can_send(who, item):
                found.add(f"incidents.chain.{item.pk}.send")
            if (
                item.sent_at is not None
                and item.acknowledged_at is None
                and permissions.can_acknowledge(who, item)
            ):
                found.add(f"incidents.chain.{item.pk}.acknowledge")
        return found

    for who in (sys_officer, other_officer, incident_officer, reporter):
        fresh = Person.objects.get(pk=who.pk)
        assert {d.uid for d in chain_deadlines(fresh, *window)} == expected(fresh)
    mine = {d.uid for d in chain_deadlines(Person.objects.get(pk=sys_officer.pk), *window)}
    staff_report = incident.chain_items.get(step_key="mod.staff_to_sys_ia_officer")
    assert f"incidents.chain.{staff_report.pk}.acknowledge" in mine
    assert not list(chain_deadlines(Person.objects.get(pk=other_officer.pk), *window))


def test_the_page_keeps_to_the_content_security_policy(client, login, staff, section_officer):
    submitted(staff)
    html = page(client, login, staff)
    assert " style=" not in html and "onclick" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script
    assert "mamori/js/calendar.js" in html and "mamori/css/calendar.css" in html
    # the grid is a real table with a caption and column headers
    assert re.search(r'<table class="cal-month"[^>]*>\s*<caption>', html)
    assert html.count('<th scope="col" class="cal-weekday') == 7


def test_a_module_without_a_label_borrows_its_apps_name():
    from django.apps import apps

    registry.register("trail", lambda person, start, end: [])
    try:
        assert registry.module_label("trail") == apps.get_app_config("trail").verbose_name
        assert registry.module_label("nowhere") == "nowhere"
    finally:
        registry.unregister("trail")


def test_nothing_of_another_organisation_reaches_the_calendar(
    client, login, staff, section_officer, csirt
):
    """An officer of another organisation holding the same roles sees none of this one's
    deadlines, on the page or in the list."""
    from django.contrib.auth import get_user_model

    from mamori.org.models import Organization, OrgUnit, Person

    incident = incidents.file_report(staff, kind="malware", summary="PCの動作がおかしい。")
    request = submitted(staff, title="他の組織には見えない申請")
    other = Organization.objects.create(
        code="other", name="別の庁", kind="national", rulebooks=["toitsu"]
    )
    unit = OrgUnit.objects.create(organization=other, code="x1", name="別の課", kind="division")
    user = get_user_model().objects.create_user(username="other-csirt", password="x")
    outsider = Person.objects.create(
        user=user, organization=other, unit=unit, family_name="別", given_name="庁"
    )
    for role in ("csirt", "csirt_lead", "section_isec_officer", "ciso"):
        RoleAssignment.objects.create(person=outsider, role=role, organization=other)
    with_totp(outsider)
    html = page(client, login, outsider)
    assert incident.number not in html and request.title not in html
    assert incident.number in page(client, login, csirt)  # the same page shows it at home


def test_the_filter_buttons_take_their_labels_from_the_page(client, login, staff):
    html = page(client, login, staff)
    assert 'data-label-all="すべて選ぶ"' in html and 'data-label-none="すべて外す"' in html
