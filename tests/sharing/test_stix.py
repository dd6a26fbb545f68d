"""STIX 2.1 of the sharing hub, from plain values: reports (情報連絡) and alerts (情報提供)
pass stix2-validator, carry the official TLP 2.0 markings and the Incident Core
Extension, and an alert never names, refers to or derives an id from its reporter."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import stix2
from stix2validator import ValidationOptions, validate_instance

from mamori.incidents.stix import INCIDENT_CORE_EXTENSION, TLP2_EXTENSION, TLP2_IDS
from mamori.sharing import stix

T0 = datetime(2026, 6, 1, 9, 0, 0, 123456, tzinfo=UTC)


def validate(bundle: dict):
    """As tests/incidents/test_stix.py: no errors; the UUIDv4 advice {103} is the only
    warning accepted (our ids are UUIDv5 on purpose); stix2 parses without custom content."""
    result = validate_instance(json.loads(json.dumps(bundle)), ValidationOptions(version="2.1"))
    assert not result.errors, [str(error) for error in result.errors]
    assert all("{103}" in str(warning) for warning in result.warnings), [
        str(w) for w in result.warnings
    ]
    stix2.parse(bundle, allow_custom=False)
    return result


OPERATOR = stix.PartyFacts(
    code="denryoku-a", name="A電力株式会社", role="operator", sector="electricity"
)
METI = stix.PartyFacts(code="meti", name="経済産業省", role="ci_ministry")
NISC = stix.PartyFacts(code="nisc", name="内閣サイバーセキュリティセンター", role="nisc")


def version(number=1, **overrides) -> stix.VersionFacts:
    values = {
        "number": number,
        "created": T0 + timedelta(hours=number - 1),
        "title": "制御システムの停止",
        "summary": "発電所の制御システムが停止。担当 denki@example.co.jp 03-1234-5678",
        "event_type": "unavailability",
        "event_label": "システム等の利用困難",
        "cause_type": "intentional",
        "cause_detail": "dos",
        "cause_label": "意図的な原因 / DoS攻撃等の大量アクセス",
        "impact_a": True,
        "service_label": "電力供給",
        "exceeds_level": True,
        "level_reasons": ("供給支障電力 120000 kW ≥ 100000 kW", "継続時間 15 分 ≥ 10 分"),
        "level_citation": "行動計画 別紙2",
        "occurred_at": T0 - timedelta(minutes=30),
        "change_note": "" if number == 1 else "復旧見込みを追記",
    }
    values.update(overrides)
    return stix.VersionFacts(**values)


def report(**overrides) -> stix.ReportFacts:
    values = {
        "number": "R-2026-0001",
        "reporter": OPERATOR,
        "sector": "electricity",
        "tlp": "amber",
        "status": "forwarded",
        "versions": (version(1), version(2)),
        "notes": (
            stix.NoteFacts(
                key="7", author=METI, created=T0 + timedelta(hours=3), text="所管省庁で確認済み"
            ),
        ),
    }
    values.update(overrides)
    return stix.ReportFacts(**values)


def alert(**overrides) -> stix.AlertFacts:
    values = {
        "number": "A-2026-0001",
        "issuer": NISC,
        "title": "制御システムを狙ったDoS攻撃への注意",
        "body": "電力分野でDoS攻撃による制御システムの停止が報告された。対策を確認されたい。",
        "importance": "high",
        "category": "failure",
        "category_label": "障害・攻撃情報",
        "tlp": "green",
        "issued": T0 + timedelta(days=1),
        "sectors": ("electricity", "gas"),
        "sector_labels": {"electricity": "電力", "gas": "ガス"},
        "from_reports": True,
        "incident_types": ("denial-of-service", "major"),
    }
    values.update(overrides)
    return stix.AlertFacts(**values)


def objects_of(bundle: dict, kind: str) -> list[dict]:
    return [o for o in bundle["objects"] if o["type"] == kind]


def test_report_bundle_is_valid_with_incident_core_and_sectors():
    bundle = stix.build_report_bundle(report())
    validate(bundle)
    [incident] = objects_of(bundle, "incident")
    assert incident["extensions"][INCIDENT_CORE_EXTENSION] == {
        "extension_type": "property-extension",
        "determination": "successful-attempt",
        "investigation_status": "open",
        "incident_types": ["denial-of-service", "major"],
        "criticality": 70,
    }
    # the latest version: created from v1, modified at v2, microsecond precision
    assert incident["created"] == "2026-06-01T09:00:00.123456Z"
    assert incident["modified"] == "2026-06-01T10:00:00.123456Z"
    identities = {o["name"]: o for o in objects_of(bundle, "identity")}
    assert identities["A電力株式会社"]["sectors"] == ["energy", "utilities"]
    assert identities["経済産業省"]["sectors"] == ["government-national"]
    [sdo] = objects_of(bundle, "report")
    assert sdo["object_refs"][0] == incident["id"]
    assert "第2版" in sdo["name"]
    abstracts = [n["abstract"] for n in objects_of(bundle, "note")]
    assert abstracts == ["第1版（初報）", "第2版（続報）", "付記"]
    [second] = [n for n in objects_of(bundle, "note") if n["abstract"] == "第2版（続報）"]
    assert "復旧見込みを追記" in second["content"]
    assert "サービス維持レベル: 逸脱している" in second["content"]


def test_personal_contact_in_free_text_is_masked():
    text = json.dumps(stix.build_report_bundle(report()), ensure_ascii=False)
    assert "denki@example.co.jp" not in text and "03-1234-5678" not in text
    assert "[email]" in text and "[phone]" in text


@pytest.mark.parametrize("code", ["clear", "green", "amber", "amber_strict", "red"])
def test_every_object_carries_the_official_tlp_20_marking(code):
    for bundle in (
        stix.build_report_bundle(report(tlp=code)),
        stix.build_alert_bundle(alert(tlp=code)),
    ):
        validate(bundle)
        [marking] = objects_of(bundle, "marking-definition")
        level = "amber+strict" if code == "amber_strict" else code
        assert marking["id"] == TLP2_IDS[level]
        assert marking["extensions"][TLP2_EXTENSION]["tlp_2_0"] == level
        for obj in bundle["objects"]:
            if obj["type"] not in ("marking-definition", "identity"):
                assert obj["object_marking_refs"] == [marking["id"]], obj["type"]


def test_each_version_is_a_new_stix_version_of_the_same_objects():
    facts = report()
    first = stix.report_version_objects(facts, facts.versions[0])
    second = stix.report_version_objects(facts, facts.versions[1])
    assert [o["id"] for o in first[:2]] == [o["id"] for o in second[:2]]
    assert first[0]["modified"] < second[0]["modified"]
    assert first[2]["id"] != second[2]["id"]  # one note per version
    assert stix.build_report_bundle(facts) == stix.build_report_bundle(report())


def test_a_near_miss_is_suspected_and_a_first_version_is_new():
    facts = report(
        status="",
        versions=(version(1, event_type="near_miss", exceeds_level=None, cause_detail=""),),
    )
    extension = stix.report_extension(facts, facts.versions[0])
    assert extension == {
        "extension_type": "property-extension",
        "determination": "suspected",
        "investigation_status": "new",
    }
    validate(stix.build_report_bundle(facts))


def test_alert_bundle_is_valid_and_names_nobody_but_nisc():
    facts = alert()
    bundle = stix.build_alert_bundle(facts)
    validate(bundle)
    text = json.dumps(bundle, ensure_ascii=False)
    reporter_report = stix.build_report_bundle(report())
    # nothing of the reporter: name, code-derived identity id, report number, incident id
    assert "A電力" not in text
    assert stix.party_identity_id(OPERATOR) not in text
    assert "R-2026-0001" not in text
    assert objects_of(reporter_report, "incident")[0]["id"] not in text
    organizations = [o for o in objects_of(bundle, "identity") if o["identity_class"] == "organization"]  # fmt: skip
    assert [o["name"] for o in organizations] == [NISC.name]
    classes = {
        o["name"]: o for o in objects_of(bundle, "identity") if o["identity_class"] == "class"
    }
    assert classes["電力分野の重要インフラ事業者等"]["sectors"] == ["energy", "utilities"]
    [sdo] = objects_of(bundle, "report")
    assert sdo["labels"] == ["importance:high", "category:failure"]
    [incident] = objects_of(bundle, "incident")
    assert incident["extensions"][INCIDENT_CORE_EXTENSION]["criticality"] == 70
    assert incident["id"] in sdo["object_refs"]


def test_an_alert_not_built_from_reports_has_no_incident():
    bundle = stix.build_alert_bundle(
        alert(from_reports=False, sectors=(), early_warning=True, category="early_warning")
    )
    validate(bundle)
    assert objects_of(bundle, "incident") == []
    [sdo] = objects_of(bundle, "report")
    assert "early-warning" in sdo["labels"]
    assert sdo["object_refs"] == [stix.party_identity_id(NISC)]


def test_every_sector_of_the_catalogue_maps_to_the_stix_vocabulary():
    from mamori.rules import cip

    for code in cip.sectors():
        assert stix.sector_vocabulary(code), code


def test_unknown_tlp_code_is_refused():
    with pytest.raises(ValueError):
        stix.build_report_bundle(report(tlp="white"))
