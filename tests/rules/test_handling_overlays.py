"""Every rule of the 防衛省 and 総務省 overlays and every handling restriction, with its
clause (the 統一基準 rules are in test_handling_rules.py), and the check that no rule is
left without a case."""

from __future__ import annotations

from typing import Any

import pytest
from tests.rules import test_handling_rules as toitsu
from tests.rules.test_handling_support import req

from mamori.rules.handling import BASELINE, decide, fired_rules

MOD, MIC, R7 = "防衛省通達 ", "総務省訓令 ", "統一基準(R7) "
MOD_ONLY = ["mod"]
TM = ["toitsu", "mod"]
TP = ["toitsu", "mic_pii"]
MAIL_IN = {"channel": "agency_mail", "recipient": "within_viewers"}

CASES: list[toitsu.Case] = [
    # 防衛省通達
    (
        "mod_secret_media_encrypt",
        req("use_external_media", 2, books=TM, types=["mod_secret"], media="registered"),
        "allow_with_measures",
        MOD + "第5の5(2)①",
        (),
        ("encrypt", "malware_scan", "record_in_ledger"),
    ),
    (
        "mod_caution_media_encrypt",
        req("use_external_media", 2, books=TM, types=["mod_caution"], media="registered"),
        "allow_with_measures",
        MOD + "第5の5(2)②",
        (),
        ("encrypt",),
    ),
    (
        "mod_caution_media_encrypt",
        req("use_external_media", 1, books=MOD_ONLY, types=["personal"], media="registered"),
        "allow_with_measures",
        MOD + "第5の5(2)②",
        (),
        ("encrypt",),
    ),
    (
        "mod_secret_transmit_encrypt",
        req("send", 2, books=TM, types=["mod_secret"], **MAIL_IN),
        "allow_with_measures",
        MOD + "第5の5(2)①",
        (),
        ("encrypt", "safety_measures"),
    ),
    (
        "mod_media_unregistered_deny",
        req("use_external_media", 1, books=MOD_ONLY, media="unregistered"),
        "deny",
        MOD + "第8(1)",
        (),
        (),
    ),
    (
        "mod_media_malware_check",
        req("use_external_media", 1, books=MOD_ONLY, media="registered"),
        "allow_with_measures",
        MOD + "第8(4)",
        (),
        ("malware_scan", "record_in_ledger"),
    ),
    (
        "mod_media_record_use",
        req("use_external_media", 1, books=MOD_ONLY, media="registered"),
        "allow_with_measures",
        MOD + "第8(5)",
        (),
        ("record_in_ledger",),
    ),
    (
        "mod_media_takeout_permission",
        req("carry_outside", 1, books=MOD_ONLY, media="registered"),
        "needs_permission",
        MOD + "第8(6)",
        ("unit_ia_officer",),
        ("only_needed_data", "record_in_ledger"),
    ),
    (
        "mod_media_takeout_designated_area",
        req("carry_outside", 1, books=MOD_ONLY, media="registered", location="designated_area"),
        "allow_with_measures",
        MOD + "第8(8)",
        (),
        ("record_in_ledger",),
    ),
    (
        "mod_system_takeout_permission",
        req("carry_device_outside", 1, books=MOD_ONLY),
        "needs_permission",
        MOD + "第5の10(1)",
        ("sys_ia_officer",),
        (),
    ),
    (
        "mod_system_outside_network",
        req("carry_device_outside", 1, books=MOD_ONLY),
        "needs_permission",
        MOD + "第5の10(2)",
        ("sys_ia_officer",),
        ("follow_procedure",),
    ),
    (
        "mod_system_theft_prevention",
        req("use_issued_terminal_outside", 1, books=MOD_ONLY),
        "needs_permission",
        MOD + "第5の10(4)",
        ("sys_ia_officer",),
        ("physical_protection",),
    ),
    (
        "mod_private_device_deny",
        req("use_non_issued_terminal", 1, books=TM),
        "deny",
        MOD + "第12の3",
        (),
        (),
    ),
    # 総務省訓令
    (
        "mic_copy_under_manager",
        req("copy", 2, books=TP, types=["personal"]),
        "needs_permission",
        MIC + "第10条第1号",
        ("pii_manager",),
        ("inherit_classification",),
    ),
    (
        "mic_send_under_manager",
        req("send", 2, books=TP, types=["personal"], **MAIL_IN),
        "needs_permission",
        MIC + "第10条第2号",
        ("pii_manager",),
        ("double_check", "encrypt"),
    ),
    (
        "mic_takeout_under_manager",
        req("carry_outside", 1, paper=True, books=TP, types=["personal"]),
        "needs_permission",
        MIC + "第10条第3号",
        ("pii_manager",),
        (),
    ),
    (
        "mic_media_authentication",
        req("carry_outside", 1, books=TP, types=["personal"], media="registered"),
        "needs_permission",
        MIC + "第12条",
        ("pii_manager",),
        ("media_access_control", "encrypt"),
    ),
    (
        "mic_media_storage",
        req("store", 1, books=TP, types=["personal"]),
        "allow_with_measures",
        MIC + "第12条",
        (),
        ("follow_procedure",),
    ),
    (
        "mic_misdelivery_check",
        req("provide", 1, paper=True, books=TP, types=["personal"], recipient="within_viewers"),
        "allow_with_measures",
        MIC + "第12条の2",
        (),
        ("double_check",),
    ),
    (
        "mic_dispose_unrecoverable",
        req("dispose", 1, paper=True, books=TP, types=["personal"]),
        "allow_with_measures",
        MIC + "第13条",
        (),
        ("make_unrecoverable", "follow_procedure"),
    ),
    (
        "mic_dispose_outsourced_certificate",
        req("dispose", 1, books=TP, types=["personal"], outsourced=True),
        "allow_with_measures",
        MIC + "第13条",
        (),
        ("disposal_certificate", "erase_completely"),
    ),
    (
        "mic_foreign_environment",
        req("use_cloud_service", 2, books=TP, types=["personal"], cloud="approved_confidential"),
        "allow_with_measures",
        MIC + "第14条の2",
        (),
        ("foreign_environment_check",),
    ),
    (
        "mynumber_handler_only",
        req("store", 2, books=TP, types=["my_number"]),
        "deny",
        MIC + "第15条",
        (),
        (),
    ),
    (
        "mynumber_handler_only",
        req("print", 1, books=TP, types=["my_number"], actor_roles=["decider"]),
        "deny",
        MIC + "第18条",
        (),
        (),
    ),
    (
        "mic_temporary_copy_delete",
        req("copy", 1, books=TP, types=["personal"]),
        "needs_permission",
        MIC + "第26条",
        ("pii_manager",),
        ("delete_when_done",),
    ),
    (
        "mic_encrypt",
        req("web_form_submit", 1, books=TP, types=["personal"]),
        "needs_permission",
        MIC + "第27条",
        ("pii_manager",),
        ("encrypt", "double_check"),
    ),
    (
        "mic_terminal_takeout",
        req("carry_device_outside", 1, books=TP, types=["personal"]),
        "needs_permission",
        MIC + "第32条第2項",
        ("pii_manager",),
        (),
    ),
    (
        "mic_terminal_bring_in",
        req("use_non_issued_terminal", 1, books=TP, types=["personal"]),
        "needs_permission",
        MIC + "第32条第2項",
        ("terminal_manager", "pii_manager"),
        ("prevent_viewing",),
    ),
    (
        "mic_prevent_viewing",
        req("process_outside_area", 1, books=TP, types=["personal"]),
        "allow_with_measures",
        MIC + "第33条",
        (),
        ("prevent_viewing",),
    ),
    (
        "mic_media_connection",
        req("use_external_media", 1, books=TP, types=["personal"], media="registered"),
        "needs_permission",
        MIC + "第34条",
        ("pii_manager",),
        ("follow_procedure",),
    ),
    # 取扱制限 (catalogs/restrictions.yaml): 統一基準(R7) 3.1.1(4)(a)
    (
        "restriction_viewers_limited_1",
        req("publish", 1, r=[{"code": "viewers_limited", "detail": "人事課"}]),
        "deny",
        R7 + "3.1.1(4)(a)",
        (),
        (),
    ),
    (
        "restriction_viewers_limited_2",
        req("forward", 1, r=["viewers_limited"], channel="agency_mail", recipient="public"),
        "deny",
        R7 + "3.1.1(4)(a)",
        (),
        (),
    ),
    (
        "restriction_copy_prohibited_1",
        req("copy", 1, r=["copy_prohibited"]),
        "deny",
        R7 + "3.1.1(4)(a)",
        (),
        (),
    ),
    (
        "restriction_forward_prohibited_1",
        req("forward", 1, r=["forward_prohibited"], **MAIL_IN),
        "deny",
        R7 + "3.1.1(4)(a)",
        (),
        (),
    ),
    (
        "restriction_forward_prohibited_2",
        req(
            "send", 1, r=["forward_prohibited"], channel="agency_mail", recipient="outside_viewers"
        ),
        "deny",
        R7 + "3.1.1(4)(a)",
        (),
        (),
    ),
    (
        "restriction_distribution_prohibited_1",
        req("provide", 1, paper=True, r=["distribution_prohibited"], recipient="within_viewers"),
        "deny",
        R7 + "3.1.1(4)(a)",
        (),
        (),
    ),
    (
        "restriction_distribution_prohibited_2",
        req(
            "send",
            1,
            r=["distribution_prohibited"],
            channel="internet",
            recipient="outside_viewers",
        ),
        "deny",
        R7 + "3.1.1(4)(a)",
        (),
        (),
    ),
    (
        "restriction_takeout_prohibited_1",
        req("carry_outside", 1, paper=True, r=["takeout_prohibited"]),
        "deny",
        R7 + "3.1.1(4)(a)",
        (),
        (),
    ),
    (
        "restriction_takeout_prohibited_2",
        req(
            "send",
            1,
            paper=True,
            r=["takeout_prohibited"],
            channel="courier",
            recipient="within_viewers",
        ),
        "deny",
        R7 + "3.1.1(4)(a)",
        (),
        (),
    ),
    (
        "restriction_print_prohibited_1",
        req("print", 2, r=["print_prohibited"]),
        "deny",
        R7 + "3.1.1(4)(a)",
        (),
        (),
    ),
    (
        "restriction_encryption_required_1",
        req("store", 1, r=["encryption_required"]),
        "allow_with_measures",
        R7 + "3.1.1(4)(a)",
        (),
        ("encrypt",),
    ),
    (
        "restriction_dispose_after_reading_1",
        req("store", 1, r=["dispose_after_reading"]),
        "allow_with_measures",
        R7 + "3.1.1(4)(a)",
        (),
        ("delete_when_done",),
    ),
    (
        "restriction_reuse_prohibited_1",
        req("dispose", 1, paper=True, r=["reuse_prohibited"]),
        "allow_with_measures",
        R7 + "3.1.1(4)(a)",
        (),
        ("make_unrecoverable",),
    ),
]

SILENT: list[tuple[str, dict[str, Any], str]] = [
    ("mod_private_device_deny", req("use_non_issued_terminal", 1), "needs_permission"),
    (
        "mod_media_takeout_permission",
        req("carry_outside", 1, books=MOD_ONLY, media="registered", location="designated_area"),
        "allow_with_measures",
    ),
    (
        "mynumber_handler_only",
        req("store", 2, books=TP, types=["my_number"], actor_roles=["mynumber_handler"]),
        "allow_with_measures",
    ),
    ("mynumber_handler_only", req("store", 2, types=["my_number"]), "allow_with_measures"),
    ("mic_copy_under_manager", req("copy", 1, types=["personal"]), "allow_with_measures"),
    (
        "mic_dispose_outsourced_certificate",
        req("dispose", 1, books=TP, types=["personal"]),
        "allow_with_measures",
    ),
    (
        "restriction_distribution_prohibited_2",
        req("send", 1, r=["distribution_prohibited"], **MAIL_IN),
        "allow",
    ),
    (
        "restriction_forward_prohibited_2",
        req("send", 1, r=["forward_prohibited"], **MAIL_IN),
        "allow",
    ),
    ("restriction_viewers_limited_2", req("forward", 1, r=["viewers_limited"], **MAIL_IN), "allow"),
]


def _case_id(case: tuple[Any, ...]) -> str:
    return f"{case[0]}-{case[1]['action']}"


@pytest.mark.parametrize(
    ("rule_id", "request_", "verdict", "clause", "permissions", "measures"),
    CASES,
    ids=[_case_id(c) for c in CASES],
)
def test_rule_speaks_with_its_clause(rule_id, request_, verdict, clause, permissions, measures):
    decision = decide(request_)
    assert rule_id in fired_rules(request_)
    assert decision["verdict"] == verdict
    assert clause in decision["citations"]
    assert set(permissions) <= set(decision["permission_from"])
    assert set(measures) <= set(decision["measures"])


@pytest.mark.parametrize(
    ("rule_id", "request_", "verdict"), SILENT, ids=[_case_id(c) for c in SILENT]
)
def test_rule_stays_silent_nearby(rule_id, request_, verdict):
    assert rule_id not in fired_rules(request_)
    assert decide(request_)["verdict"] == verdict


def test_every_rule_has_a_case():
    every = {r.id for r in (*BASELINE.rules, *BASELINE.restriction_rules)}
    assert every == {case[0] for case in (*toitsu.CASES, *CASES)}


def test_every_clause_is_from_a_known_document():
    for case in (*toitsu.CASES, *CASES):
        for clause in decide(case[1])["citations"]:
            assert clause.split(" ", 1)[0] in {
                "統一基準(R7)",
                "統一基準(H30)",
                "防衛省通達",
                "総務省訓令",
            }
