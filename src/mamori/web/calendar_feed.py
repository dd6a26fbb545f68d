"""The iCalendar feed of a person's deadlines (RFC 5545), and its secret addresses.

Calendar apps cannot sign in, so a person makes a secret feed address: a random token
whose SHA-256 digest alone is stored (like the API tokens of mamori.api), shown once,
revocable, each change written to the trail. The feed stops working when it is
revoked or its owner is no longer active.

The feed carries the deadlines from FEED_PAST_DAYS ago to FEED_FUTURE_DAYS ahead:
dates as all-day events (DTSTART;VALUE=DATE), times with TZID=Asia/Tokyo and its
VTIMEZONE. UIDs are the deadline's uid + "@mamori", so a calendar updates an event
instead of duplicating it. Finished items stay in the feed (a calendar keeps its
history) with SUMMARY prefixed 【完了】 and TRANSP:TRANSPARENT: a VEVENT has no
COMPLETED status (RFC 5545 3.8.1.11 allows it only for VTODO), and CANCELLED would
tell calendars the deadline never happened.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, date, datetime, timedelta

import icalendar
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.errors import Forbidden, InvalidInput
from mamori.trail.services import record
from mamori.web.deadlines import Deadline, deadlines_for, module_label
from mamori.web.models import CalendarFeedToken

FEED_PAST_DAYS = 30
FEED_FUTURE_DAYS = 400
MAX_ACTIVE_FEEDS = 10
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,128}")
UID_DOMAIN = "mamori"
PRODID = "-//mamori//deadlines//JA"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def feed_url(secret: str) -> str:
    """The absolute address a calendar app subscribes to."""
    return settings.SITE_URL + reverse("calendar:feed", args=[secret])


def create_feed(person, *, name: str) -> tuple[CalendarFeedToken, str]:
    """Make a secret feed address; returns the row and the secret (never stored)."""
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(_("名前（用途）を入力してください。"), details={"name": "required"})
    with transaction.atomic():
        active = CalendarFeedToken.objects.filter(person=person, revoked_at__isnull=True)
        if active.count() >= MAX_ACTIVE_FEEDS:
            raise InvalidInput(
                _("有効な配信URLは%(max)d件までです。使っていないものを取り消してください。")
                % {"max": MAX_ACTIVE_FEEDS},
                details={"name": "too_many"},
            )
        secret = secrets.token_urlsafe(32)
        feed = CalendarFeedToken.objects.create(
            person=person, name=name[:100], digest=_digest(secret)
        )
        record(
            "calendar.feed.created",
            actor=person.user,
            obj=feed,
            organization_id=person.organization_id,
            data={"name": feed.name},
        )
    return feed, secret


def revoke_feed(person, feed: CalendarFeedToken) -> None:
    if feed.person_id != person.pk:
        raise Forbidden(_("他の人の配信URLは取り消せません。"))
    with transaction.atomic():
        changed = CalendarFeedToken.objects.filter(pk=feed.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if changed:
            record(
                "calendar.feed.revoked",
                actor=person.user,
                obj=feed,
                organization_id=person.organization_id,
                data={"name": feed.name},
            )


def person_for_token(secret: str):
    """The owner of a working feed address, or None (unknown, revoked, owner inactive)."""
    if not secret or not TOKEN_PATTERN.fullmatch(secret):
        return None
    feed = (
        CalendarFeedToken.objects.select_related("person", "person__user")
        .filter(digest=_digest(secret), revoked_at__isnull=True)
        .first()
    )
    if feed is None:
        return None
    person = feed.person
    if not person.active or person.user is None or not person.user.is_active:
        return None
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > timedelta(minutes=5):
        CalendarFeedToken.objects.filter(pk=feed.pk).update(last_used_at=now)
    return person


def feed_deadlines(person, today: date | None = None) -> list[Deadline]:
    today = today or timezone.localdate()
    return deadlines_for(
        person,
        today - timedelta(days=FEED_PAST_DAYS),
        today + timedelta(days=FEED_FUTURE_DAYS),
    )


def build_calendar(deadlines: list[Deadline]) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = _("mamori の期限")
    calendar.add("name", name)  # RFC 7986
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    stamp = timezone.now().astimezone(UTC)
    for item in deadlines:
        calendar.add_component(_event(item, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(item: Deadline, stamp: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{item.uid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    if isinstance(item.due, datetime):
        event.add("dtstart", timezone.localtime(item.due))
    else:
        event.add("dtstart", item.due)
        event.add("dtend", item.due + timedelta(days=1))
    summary = item.title
    if item.done:
        summary = _("【完了】%(title)s") % {"title": summary}
        event.add("transp", "TRANSPARENT")
    event.add("summary", summary)
    url = settings.SITE_URL + item.url if item.url.startswith("/") else item.url
    event.add("url", url)
    lines = []
    if item.citation:
        lines.append(_("根拠: %(citation)s") % {"citation": item.citation})
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add("categories", [str(module_label(item.module))])
    event.add("class", "PRIVATE")
    return event


def ics_response(content: bytes, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
