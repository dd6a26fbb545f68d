"""Incident kinds, the staff's first instructions, and the triage vocabularies."""

from __future__ import annotations

import dataclasses

import pytest

from mamori.rules import incident_kinds
from mamori.rules.incident_kinds import (
    DAMAGE_TYPES,
    IMPORTANCE,
    KINDS,
    PARTIES,
    TAXONOMY_CAUSES,
    TAXONOMY_EVENTS,
    kind,
)
from mamori.rules.routes import CaseFacts

# The kinds issue 5 names, in the order the report form offers them.
REQUIRED = {
    "suspicious_email": "不審メール",
    "malware": "ウイルス等への感染のおそれ",
    "lost_device": "端末・記録媒体の紛失・盗難",
    "mis_sent": "電子メール・文書の誤送信・誤送付",
    "internet_leak": "インターネット上への情報流出",
    "unauthorized_access": "不正アクセス",
    "defacement": "ウェブサイトの改ざん",
    "dos": "サービス不能攻撃（DoS）",
    "rule_violation": "情報セキュリティ関係規程への重大な違反",
    "pii_leak": "個人情報の漏えい等",
    "my_number": "マイナンバー（特定個人情報）に関する違反",
}
DOCUMENT_OF = {"toitsu": "統一基準(", "mod": "防衛省通達 ", "mic_pii": "総務省訓令 "}


def test_every_kind_the_issue_names_is_offered_with_both_labels():
    assert {k.code: k.label_ja for k in KINDS} == REQUIRED
    assert [k.code for k in KINDS] == list(REQUIRED)
    for item in KINDS:
        assert item.label("en") and item.label("en") != item.label("ja")
        assert item.description("ja") and item.description("en-us")


@pytest.mark.parametrize("item", KINDS, ids=lambda k: k.code)
def test_every_kind_has_instructions_that_cite_their_rulebook(item):
    assert item.instructions
    for instruction in item.instructions:
        assert instruction.text_ja and instruction.text_en
        assert instruction.citation.startswith(DOCUMENT_OF[instruction.rulebook])
    # whatever the organisation follows of 統一基準 / 総務省, staff see something to do
    assert item.instructions_for({"toitsu"}) or item.instructions_for({"mic_pii"})


def test_suspected_infection_says_pull_the_cable_and_keep_the_machine_as_it_is():
    texts = {i.text_ja: i.citation for i in kind("malware").instructions_for({"toitsu"})}
    cable = [t for t in texts if "LANケーブルを抜" in t]
    assert cable and "無線LAN" in cable[0] and "4章-5" in texts[cable[0]]
    power = [t for t in texts if "電源を切" in t and "再起動" in t]
    assert power and "そのままの状態" in power[0] and "4章-5" in texts[power[0]]
    assert any("報告窓口" in t for t in texts)
    english = " ".join(i.text_en for i in kind("malware").instructions)
    assert "LAN cable" in english and "restart" in english


def test_lost_device_says_report_at_once_and_lock_and_wipe_remotely():
    items = kind("lost_device").instructions_for({"toitsu"})
    assert any("直ちに報告窓口" in i.text_ja and "4章-6" in i.citation for i in items)
    remote = [i for i in items if "遠隔ロック" in i.text_ja]
    assert remote and "遠隔データ消去" in remote[0].text_ja and "4章-6" in remote[0].citation


def test_instructions_follow_the_rulebooks_the_organisation_has_switched_on():
    mod_only = kind("malware").instructions_for({"mod"})
    assert [i.citation for i in mod_only] == ["防衛省通達 第11の3(1)"]
    leak = kind("lost_device").instructions_for({"toitsu", "mic_pii"})
    assert any(i.citation == "総務省訓令 第39条第1項" for i in leak)
    assert not kind("lost_device").instructions_for({"cip"})


def test_hints_are_case_facts_the_report_form_can_tick():
    flags = {f.name for f in dataclasses.fields(CaseFacts) if f.type in ("bool", bool)}
    for item in KINDS:
        assert item.hints <= flags, item.code
    assert "personal_info" in kind("pii_leak").hints
    assert {"personal_info", "my_number"} <= kind("my_number").hints
    assert "internet_leak" in kind("internet_leak").hints


def test_unknown_kind_is_a_key_error():
    with pytest.raises(KeyError):
        kind("alien_invasion")


def test_damage_types_are_the_six_of_mod_11_2_4():
    assert [t.code for t in DAMAGE_TYPES] == ["d1", "d2", "d3", "d4", "d5", "d6"]
    assert DAMAGE_TYPES[1].ja.startswith("②ホームページの改ざん")
    assert all(t.citation.startswith("防衛省通達 第11の2(4)") for t in DAMAGE_TYPES)
    assert incident_kinds.SPREADING_DAMAGE == {"d1", "d2", "d3", "d4", "d5"}


def test_importance_is_information_caution_alert():
    assert [(t.code, t.ja) for t in IMPORTANCE] == [
        ("info", "情報"),
        ("caution", "注意喚起"),
        ("alert", "警報"),
    ]
    assert all(t.citation == "防衛省通達 第11の2(6)" and t.description_ja for t in IMPORTANCE)


def test_taxonomy_follows_annex_3_of_the_action_plan():
    events = {t.code: t for t in TAXONOMY_EVENTS}
    assert events["leak"].group_ja == "機密性を脅かす事象"
    assert events["destruction"].group_ja == "完全性を脅かす事象"
    assert events["unavailability"].group_ja == "可用性を脅かす事象"
    assert events["near_miss"].ja == "予兆、ヒヤリハット"
    assert {"malware_infection", "malicious_code", "intrusion", "other"} <= set(events)
    assert [t.code for t in TAXONOMY_CAUSES] == [
        "intentional",
        "accidental",
        "environmental",
        "other",
    ]
    assert "内部不正" in TAXONOMY_CAUSES[0].description_ja
    assert all(t.citation == "行動計画 別紙3" for t in TAXONOMY_EVENTS + TAXONOMY_CAUSES)
    for item in KINDS:
        assert item.event_hint in events


def test_outside_parties_cover_every_body_the_chains_name():
    codes = {t.code for t in PARTIES}
    assert {
        "nisc",
        "supervising_ministry",
        "police",
        "ppc",
        "ppc_secretariat",
        "persons_concerned",
        "minister",
        "other_body_incident_officer",
        "public",
    } <= codes
    assert incident_kinds.term(PARTIES, "nisc").label("en").endswith("(NISC)")
    with pytest.raises(KeyError):
        incident_kinds.term(PARTIES, "martians")


def test_choices_give_codes_and_labels_in_the_language_asked():
    assert incident_kinds.choices(IMPORTANCE, "en") == [
        ("info", "Information"),
        ("caution", "Caution"),
        ("alert", "Alert"),
    ]
    assert incident_kinds.choices(KINDS)[0] == ("suspicious_email", "不審メール")
