"""Demo data of the sharing hub: the structure of 別紙1, 4-1 and 5 with fictitious parties.

`build_sharing(password_hash)` is called by mamori.org.demo with the hash every demo
account shares. It creates NISC, the five CI ministries with a liaison for each of
their sectors, the other ministries and bodies of 別紙4-1/4-2 and 別紙6, one CEPTOAR per
sector with three member operators, the CEPTOAR council, two vendors, a person with a
login per party kind, one report routed to NISC and one alert acknowledged by an
operator of another sector. A second run finds the NISC party and adds nothing.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from mamori.org.models import Organization, Person, RoleAssignment
from mamori.rules import cip
from mamori.sharing import services, services_alerts
from mamori.sharing.models import Party, PartyRole, SectorLiaison

AGREED = date(2026, 4, 1)

MINISTRIES = {
    # cip ministry code: (org code, name, English)
    "fsa": ("cip-fsa", "金融庁", "Financial Services Agency"),
    "mic": ("cip-mic", "総務省", "Ministry of Internal Affairs and Communications"),
    "mhlw": ("cip-mhlw", "厚生労働省", "Ministry of Health, Labour and Welfare"),
    "meti": ("cip-meti", "経済産業省", "Ministry of Economy, Trade and Industry"),
    "mlit": ("cip-mlit", "国土交通省", "Ministry of Land, Infrastructure, Transport and Tourism"),
}

# Other parties of 別紙4-1 / 4-2 and 別紙6: (code, name, English, org kind, party role)
OTHERS = (
    ("cip-mofa", "外務省", "Ministry of Foreign Affairs", "national", "security_ministry"),
    ("cip-npa", "警察庁", "National Police Agency", "national", "incident_ministry"),
    ("cip-fdma", "消防庁", "Fire and Disaster Management Agency", "national", "incident_ministry"),
    ("cip-jcg", "海上保安庁", "Japan Coast Guard", "national", "incident_ministry"),
    ("cip-mod", "防衛省", "Ministry of Defense", "national", "incident_ministry"),
    (
        "cip-cao",
        "内閣府（防災担当）",
        "Cabinet Office (Disaster Management)",
        "national",
        "disaster_ministry",
    ),  # fmt: skip
    (
        "cip-cas-crisis",
        "内閣官房（安全保障・危機管理担当）",
        "Cabinet Secretariat (National Security and Crisis Management)",
        "national",
        "cabinet_crisis",
    ),  # fmt: skip
    (
        "cip-jpcert",
        "JPCERTコーディネーションセンター",
        "JPCERT/CC",
        "cyber_related",
        "relevant_org",
    ),  # fmt: skip
    ("cip-ipa", "情報処理推進機構（IPA）", "IPA", "independent", "relevant_org"),
    ("cip-nict", "情報通信研究機構（NICT）", "NICT", "independent", "relevant_org"),
    ("cip-council", "セプターカウンシル", "CEPTOAR Council", "ceptoar", "ceptoar_council"),
    (
        "cip-vendor-a",
        "デモセキュリティ株式会社",
        "Demo Security Inc.",
        "cyber_related",
        "cyber_vendor",
    ),  # fmt: skip
    (
        "cip-vendor-b",
        "デモシステムズ株式会社",
        "Demo Systems Inc.",
        "cyber_related",
        "cyber_vendor",
    ),  # fmt: skip
)

# Three fictitious operators per sector.
OPERATORS = {
    "info_comm": ("デモ通信株式会社", "デモ放送株式会社", "デモネット株式会社"),
    "bank": ("デモ銀行", "デモ信用金庫", "デモ資金清算機構"),
    "life_insurance": ("デモ生命保険", "あおば生命保険", "みなと生命保険"),
    "nonlife_insurance": ("デモ損害保険", "あおば損害保険", "みなと火災海上保険"),
    "securities": ("デモ証券", "デモ金融商品取引所", "デモ証券保管振替機構"),
    "aviation": ("デモ航空", "あおば航空", "みなとエアカーゴ"),
    "railway": ("デモ旅客鉄道", "あおば電鉄", "みなと高速鉄道"),
    "electricity": ("デモ東都電力", "デモ西海電力", "デモ北嶺電力"),
    "gas": ("デモ東都ガス", "デモ西海ガス", "デモ北嶺ガス"),
    "government": ("デモ市", "デモ県", "デモ町"),
    "medical": ("デモ中央病院", "デモ大学病院", "デモ医療センター"),
    "water": ("デモ市水道局", "デモ県企業局", "デモ広域水道企業団"),
    "logistics": ("デモ運輸", "デモ物流", "デモ倉庫"),
}
# CEPTOARs without an early-warning handling agreement on file (shows the refusal).
NO_AGREEMENT = {"medical", "logistics"}

# (username, 姓, 名, romaji, org code, role)
PEOPLE = (
    ("cip-nisc", "内閣", "未来", "NAIKAKU Mirai", "cip-nisc", "cip_nisc"),
    ("cip-meti-liaison", "経産", "一郎", "KEISAN Ichiro", "cip-meti", "cip_liaison"),
    ("cip-fsa-liaison", "金融", "花子", "KINYU Hanako", "cip-fsa", "cip_liaison"),
    ("cip-mic-liaison", "総務", "健", "SOMU Ken", "cip-mic", "cip_liaison"),
    ("cip-mhlw-liaison", "厚労", "優", "KORO Yu", "cip-mhlw", "cip_liaison"),
    ("cip-mlit-liaison", "国交", "翼", "KOKKO Tsubasa", "cip-mlit", "cip_liaison"),
    (
        "cip-elec-poc",
        "電力",
        "守",
        "DENRYOKU Mamoru",
        "cip-ceptoar-electricity",
        "cip_ceptoar_poc",
    ),  # fmt: skip
    ("cip-elec-operator", "東都", "光", "TOTO Hikari", "cip-op-electricity-1", "cip_operator"),
    ("cip-bank-operator", "銀行", "誠", "GINKO Makoto", "cip-op-bank-1", "cip_operator"),
    ("cip-vendor", "業者", "聡", "GYOSHA Satoshi", "cip-vendor-a", "cip_party"),
    ("cip-crisis", "危機", "剛", "KIKI Tsuyoshi", "cip-cas-crisis", "cip_party"),
)


class _Counter:
    def __init__(self) -> None:
        self.created = 0

    def org(self, code: str, name: str, name_en: str, kind: str, role: str, **party) -> Party:
        org = Organization.objects.filter(code=code).first()
        if org is None:
            org = Organization(code=code, name=name, name_en=name_en, kind=kind, rulebooks=["cip"])
            org.full_clean()
            org.save()
            self.created += 1
        found = Party.objects.filter(organization=org).first()
        if found is not None:
            return found
        self.created += 1
        return Party.objects.create(organization=org, role=role, **party)


def build_sharing(password_hash: str) -> int:
    """Create the sharing demo if it is missing; returns the number of rows created."""
    if Party.objects.filter(organization__code="cip-nisc").exists():
        return 0
    with transaction.atomic():
        return _build(password_hash)


def _build(password_hash: str) -> int:
    made = _Counter()
    made.org("cip-nisc", "内閣サイバーセキュリティセンター（NISC）",
             "National center of Incident readiness and Strategy for Cybersecurity", "nisc",
             PartyRole.NISC)  # fmt: skip
    ministry_orgs = {}
    for code, (org_code, name, name_en) in MINISTRIES.items():
        party = made.org(org_code, name, name_en, "ci_ministry", PartyRole.CI_MINISTRY)
        ministry_orgs[code] = party.organization
    for org_code, name, name_en, kind, role in OTHERS:
        made.org(org_code, name, name_en, kind, role)
    for sector in cip.sectors().values():
        ceptoar = made.org(
            f"cip-ceptoar-{sector.code}",
            sector.ceptoars[0],
            f"{sector.en} CEPTOAR",
            "ceptoar",
            PartyRole.CEPTOAR,
            sector=sector.code,
            handling_rules="内閣官房から提供された情報は構成員限りで共有し、外部へは提供しない。"
            "機密保持について構成員間で合意している。",
            handling_rules_agreed_on=AGREED,
            handling_agreement_on=None if sector.code in NO_AGREEMENT else AGREED,
            poc_phone="03-0000-0000",
            poc_email=f"poc@{sector.code}.ceptoar.example.jp",
            in_council=True,
        )
        for number, name in enumerate(OPERATORS[sector.code], start=1):
            made.org(
                f"cip-op-{sector.code}-{number}",
                name,
                f"Demo {sector.en} operator {number}",
                "ci_operator",
                PartyRole.OPERATOR,
                sector=sector.code,
                ceptoar=ceptoar,
                handling_agreement_on=AGREED if number == 1 else None,
            )
        liaison, created = SectorLiaison.objects.get_or_create(
            sector=sector.code, defaults={"ministry": ministry_orgs[sector.ministry]}
        )
        made.created += int(created)
    people = _people(made, password_hash)
    for liaison in SectorLiaison.objects.select_related("ministry"):
        for person in people.values():
            if person.organization_id == liaison.ministry_id:
                liaison.people.add(person)
    Party.objects.filter(organization__code="cip-ceptoar-electricity").update(
        poc_person=people["cip-elec-poc"]
    )
    _sample_flow(made, people)
    return made.created


def _people(made: _Counter, password_hash: str) -> dict[str, Person]:
    user_model = get_user_model()
    people = {}
    for username, family, given, romaji, org_code, role in PEOPLE:
        org = Organization.objects.get(code=org_code)
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model.objects.create(
                username=username, first_name=given, last_name=family, password=password_hash
            )
            made.created += 1
        person = Person.objects.filter(user=user).first()
        if person is None:
            given_en = romaji.split(" ", 1)[1].lower()
            person = Person.objects.create(
                user=user,
                organization=org,
                family_name=family,
                given_name=given,
                name_en=romaji,
                email=f"{given_en}.{username}@example.jp",
            )
            made.created += 1
        assignment, created = RoleAssignment.objects.get_or_create(
            person=person, role=role, organization=org, unit=None, system=None
        )
        made.created += int(created)
        people[username] = person
    return people


def _sample_flow(made: _Counter, people: dict[str, Person]) -> None:
    """One report routed to NISC and one alert acknowledged by a bank operator."""
    report = services.submit_report(
        people["cip-elec-operator"],
        services.ReportContent(
            title="制御システムの停止による供給支障",
            summary="デモ東都電力の制御システムが停止し、120,000kWの供給支障が15分間継続した。"
            "原因は機器の故障とみられる（調査中）。",
            event_type="unavailability",
            cause_type="accidental",
            cause_detail="equipment_failure",
            impact_a=True,
            service="electricity_supply",
            figures={"supply_loss_kw": 120000, "duration_minutes": 15},
            legally_required=True,
            legal_basis="電気関係報告規則第３条",
            contact_means="電話、メール",
            contact_person="東都 光",
            contact_phone="03-1111-2222",
            contact_email="hikari.toto@example.jp",
            uncertain=True,
        ),
        services.SharingRange(
            tlp="green", share_all_operators=True, share_ceptoars=True, share_ministries=True
        ),
    )
    services.forward_report(people["cip-meti-liaison"], report, note="経済産業省で内容を確認済み。")
    title, body = services_alerts.anonymised_text([report])
    alert = services_alerts.issue_alert(
        people["cip-nisc"],
        services_alerts.AlertDraft(
            title=title,
            body=body,
            importance="high",
            category="failure",
            tlp="green",
            sectors=["electricity", "bank"],
            report_ids=[report.pk],
        ),
    )
    delivery = services_alerts.delivery_for(people["cip-bank-operator"], alert)
    services_alerts.acknowledge(people["cip-bank-operator"], delivery)
    made.created += 3 + alert.deliveries.count()
