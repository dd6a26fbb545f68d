"""An organisation that follows the 防衛省 rulebook, for 適用除外 (防衛省通達 第1の3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.compliance.exceptions.conftest import person_elsewhere
from tests.conftest import with_totp


@pytest.fixture
def org(db):
    from mamori.org.models import Organization

    return Organization.objects.create(
        code="test-mod",
        name="テスト防衛省",
        name_en="Test MOD",
        kind="national",
        rulebooks=["toitsu", "mod"],
    )


@pytest.fixture
def system(org, units):
    from mamori.systems.models import InformationSystem

    return InformationSystem.objects.create(
        organization=org, owner_unit=units["d1"], code="kaikei", name="会計業務システム"
    )


@pytest.fixture
def ia_officer(person_with):
    return person_with("ia_officer", unit="b1", scope="b1", username="ia-officer")


@pytest.fixture
def ia_chief(person_with):
    person = person_with("ia_chief", unit="b2", username="ia-chief")
    with_totp(person)
    return person


@pytest.fixture
def sys_ia_officer(person_with, org, system):
    from mamori.org.models import RoleAssignment

    person = person_with(unit="d1", username="sys-ia-officer")
    RoleAssignment.objects.create(
        person=person, role="sys_ia_officer", organization=org, system=system
    )
    return person


ITEMS = {
    "clauses": ["第1の3(1)", "第2の2(2)"],
    "measures": "代替手段として操作ログを毎日点検する",
    "impact": "認証強度が下がるため、接続元を限定して対処する",
    "end_report_method": "終了後5営業日以内に書面で報告する",
    "reason": "更改前の機器が多要素認証に対応していないため",
}


@pytest.fixture
def apply_for(system):
    def make(applicant, *, submit=True, **overrides):
        from mamori.systems import exemption_services

        values = {
            "system": system,
            "period_start": date.today(),
            "period_end": date.today() + timedelta(days=89),
            **ITEMS,
            **overrides,
        }
        return exemption_services.apply(applicant, submit=submit, **values)

    return make


@pytest.fixture
def other_org_person(db):
    return lambda *roles, **kwargs: person_elsewhere(["toitsu", "mod"], *roles, **kwargs)
