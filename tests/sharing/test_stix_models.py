"""STIX from the stored models (stix_facts): a real report with versions and a liaison's
note, and the alert NISC issues from it, pass stix2-validator; the report's bundle keeps
the contact person out, the alert's keeps the reporter out entirely."""

from __future__ import annotations

import json

from tests.sharing.test_stix import objects_of, validate
from tests.sharing.test_taxii_hub import content, hub, submit  # noqa: F401

from mamori.sharing import services, services_alerts, stix, stix_facts

CONTACT = ("連絡 太郎", "03-1111-2222", "renraku@a-denryoku.example.jp")


def test_a_stored_report_and_its_alert_export_as_valid_bundles(hub):  # noqa: F811
    report = submit(hub, tlp="amber", share_all_operators=True, share_ministries=True)
    services.add_version(
        hub.people["elec-a"],
        report,
        content(
            service="electricity_supply",
            figures={"supply_loss_kw": 120000, "duration_minutes": 15},
            summary="復旧作業中。",
        ),
        change_note="復旧見込み",
    )
    services.forward_report(hub.people["meti"], report, note="確認済み")
    services.add_note(hub.people["meti"], report, "同種事案を確認中")
    report.refresh_from_db()

    bundle = stix.build_report_bundle(stix_facts.report_facts(report))
    validate(bundle)
    [incident] = objects_of(bundle, "incident")
    assert incident["extensions"][stix.INCIDENT_CORE_EXTENSION]["investigation_status"] == "open"
    assert incident["description"] == "復旧作業中。"
    identities = {o["name"] for o in objects_of(bundle, "identity")}
    assert identities == {"A電力株式会社", "経済産業省"}
    notes = [n["abstract"] for n in objects_of(bundle, "note")]
    assert notes == ["第1版（初報）", "第2版（続報）", "付記"]
    text = json.dumps(bundle, ensure_ascii=False)
    assert "事象の類型: システム等の利用困難" in text
    assert "サービス維持レベル: 逸脱している" in text
    assert "供給支障電力: 120000" in text
    assert incident["extensions"][stix.INCIDENT_CORE_EXTENSION]["criticality"] == 70
    for secret in CONTACT:
        assert secret not in text

    alert = services_alerts.issue_alert(
        hub.people["nisc"],
        services_alerts.AlertDraft(
            title="制御システムへのDoS攻撃に注意",
            body="制御システムがDoS攻撃で停止した事例が報告された。",
            importance="high",
            category="failure",
            tlp="amber",
            sectors=["gas"],
            report_ids=[report.pk],
        ),
    )
    alert_bundle = stix.build_alert_bundle(stix_facts.alert_facts(alert))
    validate(alert_bundle)
    [alert_incident] = objects_of(alert_bundle, "incident")
    extension = alert_incident["extensions"][stix.INCIDENT_CORE_EXTENSION]
    assert extension["incident_types"] == ["denial-of-service", "major"]
    text = json.dumps(alert_bundle, ensure_ascii=False)
    for secret in ("A電力", report.number, incident["id"], *CONTACT):
        assert secret not in text
    names = {o["name"] for o in objects_of(alert_bundle, "identity")}
    assert names == {"内閣サイバーセキュリティセンター", "ガス分野の重要インフラ事業者等"}
