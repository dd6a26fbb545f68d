"""Incident fixtures on top of tests/conftest.py's organisation (テスト省: 統一基準 +
総務省個人情報訓令) and people; plus organisations of the other kinds the chains need."""

from __future__ import annotations

import pytest


def with_totp(person):
    """Roles that handle incidents must sign in with a second factor (MFA_REQUIRED_ROLES)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    person.totp_secret = generate_totp_secret()
    TOTP.activate(person.user, person.totp_secret)
    return person


@pytest.fixture
def csirt(person_with):
    return with_totp(person_with("csirt", unit="b2", username="csirt"))


@pytest.fixture
def pii_manager(person_with):
    """保護管理者 of 総務局 (b1), which holds the staff member's division d1."""
    return person_with("pii_manager", unit="b1", scope="b1", username="pii-manager")


@pytest.fixture
def pii_chief(person_with):
    return with_totp(person_with("pii_chief", unit="b1", username="pii-chief"))


@pytest.fixture
def file_report(db):
    from mamori.incidents import services

    def make(person, kind="malware", summary="PCの動作がおかしい。", **extra):
        return services.file_report(person, kind=kind, summary=summary, **extra)

    return make


@pytest.fixture
def make_org(db):
    """make_org("mod-test", "national", ["mod"], parent=None) -> (org, unit, person maker)."""
    from django.contrib.auth import get_user_model

    from mamori.org.models import Organization, OrgUnit, Person, RoleAssignment

    counter = iter(range(1, 1000))

    def make(code, kind, rulebooks, parent=None):
        organization = Organization.objects.create(
            code=code, name=code, name_en=code, kind=kind, rulebooks=rulebooks, parent=parent
        )
        unit = OrgUnit.objects.create(
            organization=organization, code="u1", name="第1課", kind="division"
        )

        def person(*roles, system=None):
            n = next(counter)
            user = get_user_model().objects.create_user(username=f"{code}-{n}", password="x")
            someone = Person.objects.create(
                user=user,
                organization=organization,
                unit=unit,
                family_name="試験",
                given_name=f"{n}",
                email=f"{code}-{n}@test.go.jp",
            )
            for role in roles:
                RoleAssignment.objects.create(
                    person=someone, role=role, organization=organization, system=system
                )
            return someone

        return organization, unit, person

    return make
