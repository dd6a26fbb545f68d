"""The dashboard's 「近づいている期限」 card and overdue count: every module's deadlines."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mamori.web import deadlines
from mamori.web.deadlines import Deadline


def card(html: str) -> str:
    match = re.search(r'<section class="card" id="upcoming".*?</section>', html, re.S)
    assert match, "no 近づいている期限 card"
    return match.group(0)


def titles(html: str) -> list[str]:
    return re.findall(
        r'<li class="deadline-list__item[^"]*">\s*<a href="[^"]*"[^>]*>([^<]+)</a>', html
    )


def make_request(applicant, approver, title, due, state="submitted"):
    from mamori.approvals.models import Request

    return Request.objects.create(
        organization=applicant.organization,
        unit=applicant.unit,
        kind="general.permission",
        applicant=applicant,
        approver=approver,
        title=title,
        state=state,
        due_date=due,
        submitted_at=timezone.now(),
    )


@pytest.fixture
def test_module():
    """A module of made-up deadlines, registered only for the test."""
    rows: list[Deadline] = []
    deadlines.register("zz_test", lambda person, start, end: list(rows), label="試験の期限")
    yield rows
    deadlines.unregister("zz_test")


def deadline(uid, due, **extra):
    return Deadline(
        uid=f"zz_test.{uid}",
        due=due,
        title=f"試験期限{uid}",
        url=f"/test/{uid}/",
        module="zz_test",
        citation=extra.pop("citation", "統一基準(R7) 2.2.1(1)"),
        **extra,
    )


@pytest.mark.django_db
def test_card_lists_every_modules_deadlines_overdue_first(
    client, login, staff, other_staff, test_module
):
    today = timezone.localdate()
    make_request(other_staff, staff, "判断待ちの件", today + timedelta(days=3))
    test_module += [
        deadline("soon", today + timedelta(days=1)),
        deadline("late", today - timedelta(days=2)),
        deadline("older", today - timedelta(days=20)),
        deadline("finished", today - timedelta(days=5), done=True),  # done: not listed
        deadline("far", today + timedelta(days=45)),  # beyond 30 days
    ]
    login(staff)
    response = client.get(reverse("web:dashboard"))
    html = card(response.content.decode())
    shown = titles(html)
    assert shown[:2] == ["試験期限older", "試験期限late"]  # overdue first, oldest first
    assert shown[2] == "試験期限soon"
    assert any("判断待ちの件" in title for title in shown[3:])  # the request, from approvals
    assert not {"試験期限finished", "試験期限far"} & set(shown)
    # Each line names its module, shows the due date in words, cites its clause on hover.
    assert "試験の期限" in html and "申請と承認" in html
    late = re.search(
        r'<li class="deadline-list__item is-overdue">.*?試験期限late.*?</li>', html, re.S
    )
    assert late and 'class="due overdue"' in late.group(0) and "期限超過" in late.group(0)
    assert 'title="統一基準(R7) 2.2.1(1)"' in late.group(0)
    assert f'href="{reverse("calendar:month")}#calendar-list"' in html
    # The count covers every module's overdue deadlines, not only requests.
    assert response.context["overdue_count"] == 2


@pytest.mark.django_db
def test_card_shows_at_most_eight_and_says_how_many_more(client, login, staff, test_module):
    today = timezone.localdate()
    test_module += [deadline(n, today + timedelta(days=n)) for n in range(1, 12)]
    login(staff)
    html = card(client.get(reverse("web:dashboard")).content.decode())
    assert titles(html) == [f"試験期限{n}" for n in range(1, 9)]
    assert "（ほか 3 件）" in html


@pytest.mark.django_db
def test_overdue_count_includes_decisions_older_than_the_calendar_looks(
    client, login, staff, other_staff
):
    today = timezone.localdate()
    make_request(other_staff, staff, "二年前の件", today - timedelta(days=730))
    make_request(other_staff, staff, "先週の件", today - timedelta(days=7))
    make_request(other_staff, staff, "判断済みの件", today - timedelta(days=7), state="approved")
    login(staff)
    response = client.get(reverse("web:dashboard"))
    assert response.context["overdue_count"] == 2
    assert response.context["awaiting_count"] == 2
    html = response.content.decode()
    assert re.search(r'card--stat is-alert">\s*<p class="stat__label">期限を過ぎたもの', html)


@pytest.mark.django_db
def test_nothing_due_says_so(client, login, staff):
    login(staff)
    response = client.get(reverse("web:dashboard"))
    assert "期限が近いものはありません。" in card(response.content.decode())
    assert response.context["overdue_count"] == 0


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow_with_the_deadlines(client, login, staff, person_with):
    today = timezone.localdate()
    applicant = person_with(unit="d2", username="applicant-q")

    def add(n):
        for i in range(n):
            make_request(applicant, staff, f"判断{i}", today + timedelta(days=i % 40 - 10))
            make_request(staff, applicant, f"自分の{i}", today + timedelta(days=i % 20))

    login(staff)
    add(2)
    client.get(reverse("web:dashboard"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("web:dashboard"))
    add(15)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("web:dashboard"))
    assert len(titles(card(response.content.decode()))) == 8
    assert len(many) == len(few)
