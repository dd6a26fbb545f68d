"""The iCalendar feed: secret addresses (made once, revocable, in the trail), what the
feed contains, and nothing at all for a wrong, revoked or orphaned address."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import icalendar
import pytest
from django.urls import reverse
from tests.conftest import with_totp
from tests.web.test_calendar import _only_the_providers_under_test, submitted  # noqa: F401

from mamori.approvals import services as approvals
from mamori.incidents import services as incidents
from mamori.trail.models import Event
from mamori.web.models import CalendarFeedToken

pytestmark = pytest.mark.django_db


def make_feed(client, login, person, name="スマートフォン") -> str:
    """Create a feed through the page; returns the path of the secret address."""
    login(person)
    response = client.post(reverse("calendar:feeds"), {"name": name})
    assert response.status_code == 200
    url = re.search(r'<code id="new-feed-url"[^>]*>([^<]+)</code>', response.content.decode())
    assert url, "the new address is shown once"
    client.logout()
    return url.group(1).split("127.0.0.1:8000", 1)[-1]


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events(calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_a_feed_address_is_shown_once_stored_as_a_digest_and_trailed(client, login, staff):
    path = make_feed(client, login, staff)
    secret = path.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeedToken.objects.get(person=staff)
    assert secret not in feed.digest and len(feed.digest) == 64
    assert Event.objects.filter(action="calendar.feed.created", object_id=str(feed.pk)).exists()
    login(staff)
    assert secret not in client.get(reverse("calendar:feeds")).content.decode()


def test_the_feed_carries_the_persons_deadlines(client, login, settings, staff, section_officer):
    settings.SITE_URL = "https://mamori.example.go.jp"
    request = submitted(staff)
    approvals.decide(request, section_officer, "approve")
    path = make_feed(client, login, staff)
    calendar = parse(client.get(path))
    assert str(calendar["VERSION"]) == "2.0"
    found = events(calendar)
    period = found[f"approvals.request.{request.pk}.period_end@mamori"]
    assert period["DTSTART"].dt == request.period_end and type(period["DTSTART"].dt) is date
    assert period["DTEND"].dt == request.period_end + timedelta(days=1)
    assert "許可期間の終了" in str(period["SUMMARY"])
    detail = reverse("approvals:detail", args=[request.pk])
    assert str(period["URL"]) == f"https://mamori.example.go.jp{detail}"
    assert "統一基準(H30) 2.1.1(8)(a)(ア)" in str(period["DESCRIPTION"])
    # decided: the applicant's waiting item is kept, marked as done
    awaited = found[f"approvals.request.{request.pk}.awaited@mamori"]
    assert str(awaited["SUMMARY"]).startswith("【完了】")
    assert awaited["DTSTART"].dt == request.due_date


def test_timed_deadlines_carry_the_tokyo_zone(client, login, staff, person_with):
    desk = person_with("csirt", unit="b2")
    with_totp(desk)
    incident = incidents.file_report(staff, kind="malware", summary="PCの動作がおかしい。")
    nisc = incident.chain_items.get(step_key="toitsu.csirt_to_nisc")
    calendar = parse(client.get(make_feed(client, login, desk)))
    event = events(calendar)[f"incidents.chain.{nisc.pk}.send@mamori"]
    start = event["DTSTART"].dt
    assert isinstance(start, datetime) and start == nisc.due_at.replace(microsecond=0)
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    assert nisc.citation in str(event["DESCRIPTION"])


def test_the_feed_shows_only_the_owners_deadlines(
    client, login, staff, other_staff, section_officer
):
    request = submitted(staff)
    calendar = parse(client.get(make_feed(client, login, other_staff)))
    assert not [uid for uid in events(calendar) if f".{request.pk}." in uid]


@pytest.mark.parametrize("token", ["nonsense", "A" * 43, "../../etc/passwd", "x" * 500, "%00" * 20])
def test_an_unknown_address_is_404(client, token):
    response = client.get(f"/calendar/feed/{token}.ics")
    assert response.status_code == 404
    assert b"BEGIN:VCALENDAR" not in response.content


def test_a_revoked_address_stops_working(client, login, staff):
    path = make_feed(client, login, staff)
    assert client.get(path).status_code == 200
    feed = CalendarFeedToken.objects.get(person=staff)
    login(staff)
    response = client.post(reverse("calendar:feed_revoke", args=[feed.pk]))
    assert response.status_code == 302
    assert Event.objects.filter(action="calendar.feed.revoked", object_id=str(feed.pk)).exists()
    client.logout()
    assert client.get(path).status_code == 404


def test_nobody_revokes_someone_elses_address(client, login, staff, other_staff):
    make_feed(client, login, staff)
    feed = CalendarFeedToken.objects.get(person=staff)
    login(other_staff)
    assert client.post(reverse("calendar:feed_revoke", args=[feed.pk])).status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is None


def test_an_inactive_persons_address_stops_working(client, login, staff):
    path = make_feed(client, login, staff)
    staff.active = False
    staff.save(update_fields=["active"])
    assert client.get(path).status_code == 404


def test_a_feed_needs_a_name(client, login, staff):
    login(staff)
    response = client.post(reverse("calendar:feeds"), {"name": "  "})
    assert response.status_code == 200
    assert not CalendarFeedToken.objects.filter(person=staff).exists()


def test_signed_in_people_download_the_same_feed(client, login, staff, section_officer):
    request = submitted(staff)
    assert client.get(reverse("calendar:mine")).status_code == 302  # sign-in first
    login(staff)
    response = client.get(reverse("calendar:mine"))
    assert "attachment" in response["Content-Disposition"]
    assert f"approvals.request.{request.pk}.awaited@mamori" in events(parse(response))


def test_calendar_apps_may_ask_with_head(client, login, staff):
    path = make_feed(client, login, staff)
    response = client.head(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert client.post(path).status_code == 405


def test_the_number_of_live_addresses_is_limited(client, login, staff):
    from mamori.web import calendar_feed

    for n in range(calendar_feed.MAX_ACTIVE_FEEDS):
        calendar_feed.create_feed(staff, name=f"端末{n}")
    login(staff)
    response = client.post(reverse("calendar:feeds"), {"name": "もう一つ"})
    assert "有効な配信URLは10件までです" in response.content.decode()
    assert 'id="new-feed-url"' not in response.content.decode()
    calendar_feed.revoke_feed(staff, CalendarFeedToken.objects.filter(person=staff).first())
    assert (
        'id="new-feed-url"'
        in client.post(reverse("calendar:feeds"), {"name": "もう一つ"}).content.decode()
    )


def test_titles_are_escaped_in_the_feed_and_on_the_page(client, login, staff, section_officer):
    title = "<script>alert(1)</script>; a,b\\c\nBEGIN:VEVENT"
    request = submitted(staff, title=title)
    calendar = parse(client.get(make_feed(client, login, staff)))
    (event,) = calendar.walk("VEVENT")  # no event smuggled in through the title
    assert str(event["SUMMARY"]) == f"{request.reference} {request.title} の処理期限（自分の申請）"
    login(staff)
    page = client.get(reverse("calendar:month")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_feed_token_is_looked_up_by_its_digest_only(
    client, login, staff, django_assert_num_queries
):
    from mamori.web import calendar_feed

    path = make_feed(client, login, staff)
    secret = path.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeedToken.objects.get(person=staff)
    assert feed.digest == calendar_feed._digest(secret)
    # a token of the right shape whose digest is unknown costs the same single lookup
    with django_assert_num_queries(1):
        assert calendar_feed.person_for_token("B" * len(secret)) is None
    # a malformed one is refused without touching the database
    with django_assert_num_queries(0):
        assert calendar_feed.person_for_token(secret + "!") is None
