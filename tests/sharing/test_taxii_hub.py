"""A small sharing hub for the TAXII and drill tests (no tests of its own):

NISC                       nisc officer (cip_nisc)
経済産業省 (ci_ministry)    liaison for 電力 and ガス (cip_liaison)
総務省 (ci_ministry)        liaison for 情報通信
電力セプター (ceptoar)       PoC (cip_ceptoar_poc), handling agreement on file
  ├── A電力 (operator)      reporter
  └── B電力 (operator)
情報通信セプター (ceptoar)
  └── C通信 (operator)
Dセキュリティ (cyber_vendor)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date

import pytest

_n = itertools.count(1)


@dataclass
class Hub:
    orgs: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    parties: dict = field(default_factory=dict)


def make_party(hub: Hub, key: str, name: str, kind: str, role: str, *person_roles, **party):
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from mamori.org.models import Organization, OrgUnit, Person, RoleAssignment
    from mamori.sharing.models import Party

    org = Organization.objects.create(code=key, name=name, kind=kind, rulebooks=["cip"])
    unit = OrgUnit.objects.create(organization=org, code="u1", name="窓口", kind="office")
    hub.orgs[key] = org
    hub.parties[key] = Party.objects.create(organization=org, role=role, **party)
    if person_roles:
        n = next(_n)
        user = get_user_model().objects.create_user(username=key, password="correct horse 9")
        person = Person.objects.create(
            user=user,
            organization=org,
            unit=unit,
            family_name="担当",
            given_name=f"{n}号",
            email=f"{key}@example.jp",
        )
        for code in person_roles:
            RoleAssignment.objects.create(person=person, role=code, organization=org)
        if set(person_roles) & set(settings.MFA_REQUIRED_ROLES):  # cip_nisc, cip_liaison
            from tests.conftest import with_totp

            person.totp_secret = with_totp(person)
        hub.people[key] = person
    return hub.parties[key]


def build_hub() -> Hub:
    from mamori.sharing.models import SectorLiaison

    hub = Hub()
    make_party(hub, "nisc", "内閣サイバーセキュリティセンター", "nisc", "nisc", "cip_nisc")
    make_party(hub, "meti", "経済産業省", "ci_ministry", "ci_ministry", "cip_liaison")
    make_party(hub, "mic", "総務省", "ci_ministry", "ci_ministry", "cip_liaison")
    for sector, ministry in (("electricity", "meti"), ("gas", "meti"), ("info_comm", "mic")):
        liaison = SectorLiaison.objects.create(ministry=hub.orgs[ministry], sector=sector)
        liaison.people.add(hub.people[ministry])
    agreed = date(2026, 4, 1)
    elec = make_party(
        hub,
        "ceptoar-elec",
        "電力セプター",
        "ceptoar",
        "ceptoar",
        "cip_ceptoar_poc",
        sector="electricity",
        handling_agreement_on=agreed,
    )
    comm = make_party(
        hub,
        "ceptoar-comm",
        "情報通信セプター",
        "ceptoar",
        "ceptoar",
        "cip_ceptoar_poc",
        sector="info_comm",
    )
    for key, name, sector, ceptoar in (
        ("elec-a", "A電力株式会社", "electricity", elec),
        ("elec-b", "B電力株式会社", "electricity", elec),
        ("comm-c", "C通信株式会社", "info_comm", comm),
    ):
        make_party(
            hub,
            key,
            name,
            "ci_operator",
            "operator",
            "cip_operator",
            sector=sector,
            ceptoar=ceptoar,
        )
    make_party(hub, "vendor", "Dセキュリティ株式会社", "cyber_related", "cyber_vendor", "cip_party")
    make_party(hub, "jpcert", "JPCERT/CC", "cyber_related", "relevant_org", "cip_party")
    make_party(hub, "npa", "警察庁", "national", "incident_ministry", "cip_party")
    return hub


@pytest.fixture
def hub(db):
    return build_hub()


def content(**overrides):
    from mamori.sharing.services import ReportContent

    values = {
        "title": "制御システムの停止",
        "summary": "発電所の制御システムが停止した。",
        "event_type": "unavailability",
        "cause_type": "intentional",
        "cause_detail": "dos",
        "impact_a": True,
        "contact_means": "電話",
        "contact_person": "連絡 太郎",
        "contact_phone": "03-1111-2222",
        "contact_email": "renraku@a-denryoku.example.jp",
    }
    values.update(overrides)
    return ReportContent(**values)


def submit(hub: Hub, reporter: str = "elec-a", **range_flags):
    from mamori.sharing import services

    sharing = services.SharingRange(**range_flags)
    return services.submit_report(hub.people[reporter], content(), sharing)


def token_for(person, *roles: str) -> str:
    from mamori.api import services

    _row, text = services.create_token(person, name="taxii", roles=list(roles))
    return text
