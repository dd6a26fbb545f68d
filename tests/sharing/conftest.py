"""A small sharing hub for the tests: NISC, two CI ministries with liaisons, two CEPTOARs,
operators in two sectors, a vendor, the large-scale-mode parties, and one person with a
login for each. `hub.report(...)` files a report through the services."""

from __future__ import annotations

import itertools
from datetime import date
from types import SimpleNamespace

import pytest

_n = itertools.count(1)


def _org(code, name, kind, role, **party):
    from mamori.org.models import Organization
    from mamori.sharing.models import Party

    org = Organization.objects.create(
        code=code, name=name, name_en=f"{code} (en)", kind=kind, rulebooks=["cip"]
    )
    Party.objects.create(organization=org, role=role, **party)
    return org


def _person(org, role, family, given, *, username=None):
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from mamori.org.models import Person, RoleAssignment

    n = next(_n)
    username = username or f"{org.code}-{n}"
    user = get_user_model().objects.create_user(username=username, password="correct horse")
    person = Person.objects.create(
        user=user,
        organization=org,
        family_name=family,
        given_name=given,
        name_en=f"{given} {family} en{n}",
        email=f"{username}@example.jp",
    )
    if role:
        RoleAssignment.objects.create(person=person, role=role, organization=org)
    if role in settings.MFA_REQUIRED_ROLES:  # cip_nisc, cip_liaison: second factor required
        from tests.conftest import with_totp

        person.totp_secret = with_totp(person)
    return person


@pytest.fixture
def hub(db):
    from mamori.sharing.models import Party, PartyRole, SectorLiaison

    h = SimpleNamespace()
    h.nisc = _org("nisc", "内閣サイバーセキュリティセンター", "nisc", PartyRole.NISC)
    h.meti = _org("meti", "経済産業省", "ci_ministry", PartyRole.CI_MINISTRY)
    h.fsa = _org("fsa", "金融庁", "ci_ministry", PartyRole.CI_MINISTRY)
    h.elec_ceptoar = _org(
        "elec-ceptoar",
        "電力CEPTOAR",
        "ceptoar",
        PartyRole.CEPTOAR,
        sector="electricity",
        handling_rules="構成員限りで共有する。",
        handling_agreement_on=date(2026, 4, 1),
    )
    h.bank_ceptoar = _org(
        "bank-ceptoar", "銀行等CEPTOAR", "ceptoar", PartyRole.CEPTOAR, sector="bank"
    )
    elec_party = Party.objects.get(organization=h.elec_ceptoar)
    bank_party = Party.objects.get(organization=h.bank_ceptoar)
    h.elec1 = _org(
        "toto-denryoku",
        "東都電力株式会社",
        "ci_operator",
        PartyRole.OPERATOR,
        sector="electricity",
        ceptoar=elec_party,
        handling_agreement_on=date(2026, 4, 1),
    )
    h.elec2 = _org(
        "nishi-denryoku",
        "西日本電力株式会社",
        "ci_operator",
        PartyRole.OPERATOR,
        sector="electricity",
        ceptoar=elec_party,
    )
    h.bank1 = _org(
        "sakura-bank",
        "さくら銀行",
        "ci_operator",
        PartyRole.OPERATOR,
        sector="bank",
        ceptoar=bank_party,
    )
    h.vendor = _org(
        "sec-vendor", "セキュリティベンダー株式会社", "cyber_related", PartyRole.CYBER_VENDOR
    )
    h.crisis = _org(
        "cas-crisis", "内閣官房（安全保障・危機管理担当）", "national", PartyRole.CABINET_CRISIS
    )
    h.disaster = _org("cao-disaster", "内閣府（防災担当）", "national", PartyRole.DISASTER_MINISTRY)
    h.police = _org("npa", "警察庁", "national", PartyRole.INCIDENT_MINISTRY)

    h.nisc_person = _person(h.nisc, "cip_nisc", "内閣", "花子", username="nisc-officer")
    h.meti_liaison = _person(h.meti, "cip_liaison", "経産", "一郎", username="meti-liaison")
    h.fsa_liaison = _person(h.fsa, "cip_liaison", "金融", "次郎", username="fsa-liaison")
    h.elec_poc = _person(h.elec_ceptoar, "cip_ceptoar_poc", "電力", "窓口", username="elec-poc")
    h.bank_poc = _person(h.bank_ceptoar, "cip_ceptoar_poc", "銀行", "窓口", username="bank-poc")
    h.elec1_person = _person(h.elec1, "cip_operator", "山田", "太郎", username="elec1")
    h.elec2_person = _person(h.elec2, "cip_operator", "西村", "三郎", username="elec2")
    h.bank1_person = _person(h.bank1, "cip_operator", "佐倉", "四郎", username="bank1")
    h.vendor_person = _person(h.vendor, "cip_party", "業者", "五郎", username="vendor")
    h.crisis_person = _person(h.crisis, "cip_party", "危機", "六郎", username="crisis")
    h.elec1_norole = _person(h.elec1, None, "無役", "七郎", username="elec1-norole")
    Party.objects.filter(organization=h.elec_ceptoar).update(poc_person=h.elec_poc)

    h.elec_liaison = SectorLiaison.objects.create(ministry=h.meti, sector="electricity")
    h.elec_liaison.people.add(h.meti_liaison)
    gas = SectorLiaison.objects.create(ministry=h.meti, sector="gas")
    gas.people.add(h.meti_liaison)
    h.bank_liaison = SectorLiaison.objects.create(ministry=h.fsa, sector="bank")
    h.bank_liaison.people.add(h.fsa_liaison)

    def report(person=None, *, tlp=None, forward=False, figures=None, orgs=(), **flags):
        from mamori.sharing import services

        person = person or h.elec1_person
        if tlp is None:
            tlp = "amber" if (orgs or any(flags.values())) else "red"
        content = services.ReportContent(
            title="制御システムの停止",
            summary="東都電力株式会社の制御システムが停止し供給支障。連絡先 山田 太郎 03-1234-5678",
            event_type="unavailability",
            cause_type="accidental",
            cause_detail="equipment_failure",
            impact_a=True,
            service="electricity_supply",
            figures=figures
            if figures is not None
            else {"supply_loss_kw": 120000, "duration_minutes": 15},
            contact_means="電話、メール",
            contact_person="山田 太郎",
            contact_phone="03-1234-5678",
            contact_email="yamada@toto-denryoku.example.jp",
        )
        sharing = services.SharingRange(tlp=tlp, share_org_ids=[o.pk for o in orgs], **flags)
        made = services.submit_report(person, content, sharing)
        if forward:
            services.forward_report(h.meti_liaison, made, note="確認済み")
            made.refresh_from_db()
        return made

    h.report = report
    return h
