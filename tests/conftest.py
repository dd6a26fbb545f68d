"""People in every role, so permission tests read as one line.

The organisation used by the fixtures:

    テスト省 (national)
    ├── 総務局 (bureau b1)
    │   ├── 総務課 (division d1)   staff, section_officer
    │   └── 会計課 (division d2)   other_staff
    └── 情報局 (bureau b2)          isec_officer is scoped to b1; auditor belongs here
        └── 情報課 (division d3)   outsider (no role)

`person_with(*roles, unit=...)` makes anyone else; `login(client, person)` signs in.
"""

from __future__ import annotations

import itertools

import pytest

# This file is loaded before Django is set up: model imports happen inside fixtures.

_counter = itertools.count(1)


@pytest.fixture
def org(db):
    from mamori.org.models import Organization

    return Organization.objects.create(
        code="test-ministry",
        name="テスト省",
        name_en="Test Ministry",
        kind="national",
        rulebooks=["toitsu", "mic_pii"],
    )


@pytest.fixture
def units(org):
    from mamori.org.models import OrgUnit

    def unit(code, name, kind, parent=None):
        return OrgUnit.objects.create(
            organization=org, code=code, name=name, name_en=code, kind=kind, parent=parent
        )

    b1 = unit("b1", "総務局", "bureau")
    b2 = unit("b2", "情報局", "bureau")
    return {
        "b1": b1,
        "b2": b2,
        "d1": unit("d1", "総務課", "division", b1),
        "d2": unit("d2", "会計課", "division", b1),
        "d3": unit("d3", "情報課", "division", b2),
    }


@pytest.fixture
def person_with(org, units):
    """person_with("section_isec_officer", unit="d1", scope="d1") -> Person with a login."""
    from django.contrib.auth import get_user_model

    from mamori.org.models import Person, RoleAssignment

    def make(
        *roles: str,
        unit: str = "d1",
        scope: str | None = None,
        username: str | None = None,
        org_wide: bool | None = None,
    ):
        n = next(_counter)
        username = username or f"user{n}"
        user = get_user_model().objects.create_user(
            username=username, password="correct horse battery"
        )
        person = Person.objects.create(
            user=user,
            organization=org,
            unit=units[unit],
            family_name="試験",
            given_name=f"{n}号",
            name_en=f"Test {n}",
            email=f"{username}@test.go.jp",
        )
        for role in roles:
            scoped = None if (scope is None and org_wide is not False) else units[scope or unit]
            RoleAssignment.objects.create(person=person, role=role, organization=org, unit=scoped)
        return person

    return make


@pytest.fixture
def staff(person_with):
    return person_with(unit="d1", username="staff")


@pytest.fixture
def other_staff(person_with):
    return person_with(unit="d2", username="other-staff")


@pytest.fixture
def outsider(person_with):
    return person_with(unit="d3", username="outsider")


@pytest.fixture
def section_officer(person_with):
    return person_with("section_isec_officer", unit="d1", scope="d1", username="section-officer")


@pytest.fixture
def isec_officer(person_with):
    return person_with("isec_officer", unit="b1", scope="b1", username="isec-officer")


@pytest.fixture
def permit_authority(person_with):
    return person_with("permit_authority", unit="b1", username="permit-authority")


def with_totp(person) -> str:
    """Give the person an activated TOTP authenticator; returns its secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(person.user, secret)
    return secret


@pytest.fixture
def ciso(person_with):
    """A CISO who has set up TOTP, as MFA policy requires of the role."""
    person = person_with("ciso", unit="b1", username="ciso")
    person.totp_secret = with_totp(person)
    return person


@pytest.fixture
def auditor(person_with):
    person = person_with("isec_auditor", unit="b2", username="auditor")
    person.totp_secret = with_totp(person)
    return person


@pytest.fixture
def login(client):
    def sign_in(person, target=None):
        target = target or client
        target.force_login(person.user)
        return target

    return sign_in


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Japanese: a request in English must not leak into the next
    test through the thread's active language (management commands inherit it)."""
    from django.utils import translation

    translation.activate("ja")
    yield
    translation.activate("ja")
