"""Trail fixtures: a controllable clock, short segments, a second organisation.

People and roles come from tests/conftest.py (org, person_with, auditor, staff, login)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def small_segments(settings):
    """Segments of 10 events, so a few dozen events make several closed segments."""
    settings.TRAIL_SEGMENT_SIZE = 10
    return 10


class Clock:
    """timezone.now() answers the time last set, until released: events then get the
    times a test chooses. Release it before requests, so that role assignments (valid
    from today) stay valid."""

    def __init__(self, real_now) -> None:
        self.real_now = real_now
        self.at: datetime | None = None

    def set(self, *args: int) -> None:
        self.at = datetime(*args, tzinfo=TOKYO)

    def release(self) -> None:
        self.at = None

    def now(self) -> datetime:
        return self.at if self.at is not None else self.real_now()


@pytest.fixture
def clock(monkeypatch):
    from django.utils import timezone

    fixed = Clock(timezone.now)
    monkeypatch.setattr(timezone, "now", fixed.now)
    return fixed


@pytest.fixture
def events(db):
    """events(n, action="test.action", **record_kwargs) appends n events, returns them."""
    from mamori.trail.services import record

    def append(count: int, action: str = "test.action", **kwargs):
        return [record(action, data={"n": i}, **kwargs) for i in range(count)]

    return append


@pytest.fixture
def other_org(db):
    from mamori.org.models import Organization

    return Organization.objects.create(
        code="other-ministry",
        name="別省",
        name_en="Other Ministry",
        kind="national",
        rulebooks=["toitsu"],
    )


@pytest.fixture
def foreign_auditor(other_org):
    """An auditor of the other organisation, with the TOTP their role requires."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model

    from mamori.org.models import Person, RoleAssignment

    user = get_user_model().objects.create_user(
        username="foreign-auditor", password="correct horse battery"
    )
    person = Person.objects.create(
        user=user, organization=other_org, family_name="他省", given_name="監査"
    )
    RoleAssignment.objects.create(person=person, role="isec_auditor", organization=other_org)
    TOTP.activate(user, generate_totp_secret())
    return person
