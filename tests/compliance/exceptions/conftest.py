from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.conftest import with_totp

CLAUSE = "2.2.2(1)(a)"


@pytest.fixture
def file_request():
    def make(applicant, *, start=None, days=30, submit=True, **overrides):
        from mamori.compliance.exceptions import services

        start = start or date.today()
        values = {
            "rulebook": "toitsu",
            "clause_id": CLAUSE,
            "reason": "旧システムの更改まで多要素認証を導入できないため",
            "scope_text": "会計システム（総務課）",
            "measures": "接続元を課内端末に限定し、ログを毎日確認する",
            "period_start": start,
            "period_end": start + timedelta(days=days - 1),
            "submit": submit,
        }
        values.update(overrides)
        return services.file_request(applicant, **values)

    return make


@pytest.fixture
def granted(staff, permit_authority, file_request):
    """An exception of `staff`, approved by the 許可権限者."""
    from mamori.approvals import services as approvals

    def make(**kwargs):
        request = file_request(staff, **kwargs)
        approvals.decide(request, permit_authority, "approve", "代替措置が十分なため")
        request.refresh_from_db()
        return request.exception_record

    return make


def person_elsewhere(rulebooks, *roles, username="other-org"):
    """Someone (with TOTP) in a second organisation following `rulebooks`: to show that
    nothing of the first one reaches them."""
    from django.contrib.auth import get_user_model

    from mamori.org.models import Organization, OrgUnit, Person, RoleAssignment

    other, _created = Organization.objects.get_or_create(
        code="other-agency",
        defaults={
            "name": "別の機関",
            "name_en": "Other",
            "kind": "national",
            "rulebooks": rulebooks,
        },
    )
    unit, _created = OrgUnit.objects.get_or_create(
        organization=other, code="x1", defaults={"name": "別局", "name_en": "x1", "kind": "bureau"}
    )
    user = get_user_model().objects.create_user(username=username, password="x")
    person = Person.objects.create(
        user=user,
        organization=other,
        unit=unit,
        family_name="別",
        given_name="人",
        name_en="Other",
        email=f"{username}@other.go.jp",
    )
    for role in roles:
        RoleAssignment.objects.create(person=person, role=role, organization=other)
    with_totp(person)
    return person


@pytest.fixture
def other_org_person(db):
    return lambda *roles, **kwargs: person_elsewhere(["toitsu"], *roles, **kwargs)
