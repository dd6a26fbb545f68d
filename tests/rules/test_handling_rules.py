"""Every rule of the 統一基準, with its clause: a request that brings it into play, what the
decision must then say, and (for most) a nearby request where it must stay silent. The
overlays and the restrictions are in test_handling_overlays.py."""

from __future__ import annotations

from typing import Any

import pytest
from tests.rules.test_handling_support import req

from mamori.rules.handling import decide, fired_rules

R7, H30, MOD, MIC = "統一基準(R7) ", "統一基準(H30) ", "防衛省通達 ", "総務省訓令 "
MOD_ONLY = ["mod"]
TM = ["toitsu", "mod"]
TP = ["toitsu", "mic_pii"]
MAIL_IN = {"channel": "agency_mail", "recipient": "within_viewers"}

# rule id, request, verdict of the whole decision, clause, permissions, measures
Case = tuple[str, dict[str, Any], str, str, tuple[str, ...], tuple[str, ...]]
CASES: list[Case] = [
    # 統一基準 3.1.1(5) provision and publication, 8.1.1(5)(f) web forms
    ("publish_only_c1", req("publish", 2), "deny", R7 + "3.1.1(5)(a)", (), ()),
    (
        "publish_only_c1",
        req("publish", 1, paper=True),
        "allow_with_measures",
        R7 + "3.1.1(5)(a)",
        (),
        ("confirm_classification",),
    ),
    (
        "public_recipient_is_publication",
        req("provide", 2, paper=True, recipient="public"),
        "deny",
        R7 + "3.1.1(5)(a)",
        (),
        (),
    ),
    (
        "beyond_viewers_consult_decider",
        req("provide", 2, paper=True, recipient="outside_viewers"),
        "needs_permission",
        R7 + "3.1.1(5)(b)",
        ("decider",),
        ("convey_handling_notes",),
    ),
    (
        "beyond_viewers_consult_decider",
        req(
            "provide",
            1,
            paper=True,
            r=[{"code": "viewers_limited", "detail": "総務課"}],
            recipient="outside_viewers",
        ),
        "needs_permission",
        R7 + "3.1.1(5)(b)",
        ("decider",),
        ("convey_handling_notes",),
    ),
    (
        "corp_c3_provide_needs_section_officer",
        req("provide", 3, paper=True, org="independent", recipient="outside_viewers"),
        "needs_permission",
        R7 + "3.1.1(5)(c)",
        ("decider", "section_isec_officer"),
        (),
    ),
    (
        "electronic_provision_prevent_leak",
        req("provide", 1, recipient="within_viewers"),
        "allow_with_measures",
        R7 + "3.1.1(5)(d)",
        (),
        ("prevent_inadvertent_leak",),
    ),
    (
        "web_form_check_site",
        req("web_form_submit", 2),
        "allow_with_measures",
        R7 + "8.1.1(5)(f)",
        (),
        ("verify_site_and_encryption", "safety_measures"),
    ),
    # 統一基準 3.1.1(6) carrying and sending, H30 8.1.1(3)(k), 8.1.1(5)(a)(b)
    (
        "carry_protected_safety",
        req("carry_outside", 2, paper=True),
        "allow_with_measures",
        R7 + "3.1.1(6)(a)",
        (),
        ("safety_measures",),
    ),
    (
        "carry_designated_area_counts_as_inside",
        req("carry_outside", 2, paper=True, location="designated_area"),
        "allow",
        R7 + "3.1.1(6)(a)",
        (),
        (),
    ),
    (
        "corp_c3_carry_encrypt_designated_method",
        req("carry_outside", 3, paper=True, org="designated_other"),
        "allow_with_measures",
        R7 + "3.1.1(6)(a)",
        (),
        ("safety_measures", "designated_method"),
    ),
    (
        "corp_c3_carry_encrypt_designated_method",
        req("carry_outside", 3, org="independent", media="registered"),
        "needs_permission",
        R7 + "3.1.1(6)(a)",
        ("section_isec_officer",),
        ("encrypt", "designated_method"),
    ),
    (
        "usb_takeout_permission",
        req("carry_outside", 1, i=2, media="registered"),
        "needs_permission",
        H30 + "8.1.1(3)(k)",
        ("section_isec_officer",),
        ("safety_measures", "follow_procedure"),
    ),
    (
        "usb_takeout_permission",
        req("send", 1, a=2, channel="courier", recipient="within_viewers"),
        "needs_permission",
        H30 + "8.1.1(3)(k)",
        ("section_isec_officer",),
        ("safety_measures",),
    ),
    (
        "send_protected_safety",
        req("send", 2, **MAIL_IN),
        "allow_with_measures",
        R7 + "3.1.1(6)(b)",
        (),
        ("safety_measures", "agency_mail_service"),
    ),
    (
        "corp_c3_send_encrypt_designated_method",
        req("send", 3, org="independent", channel="external_line", recipient="within_viewers"),
        "allow_with_measures",
        R7 + "3.1.1(6)(b)",
        (),
        ("safety_measures", "encrypt", "designated_method"),
    ),
    (
        "corp_c3_send_encrypt_designated_method",
        req(
            "send",
            3,
            org="independent",
            channel="external_line",
            recipient="within_viewers",
            treat_c3_as_national=True,
        ),
        "allow_with_measures",
        R7 + "3.1.1(6)(b)",
        (),
        ("safety_measures",),
    ),
    (
        "confidential_mail_agency_service",
        req("send", 2, channel="other_mail", recipient="within_viewers"),
        "deny",
        R7 + "8.1.1(5)(a)",
        (),
        (),
    ),
    (
        "confidential_mail_agency_service",
        req("forward", 2, **MAIL_IN),
        "allow_with_measures",
        R7 + "8.1.1(5)(a)",
        (),
        ("agency_mail_service",),
    ),
    (
        "mail_gov_domain",
        req("send", 1, channel="agency_mail", recipient="outside_viewers"),
        "allow_with_measures",
        R7 + "8.1.1(5)(b)",
        (),
        ("gov_domain", "prevent_inadvertent_leak"),
    ),
    # 統一基準 3.1.1(4)(b)(c), 8.1.1(4), 6.1.3(4), H30 8.1.1(3)(j), cloud
    (
        "outside_c3_needs_section_officer",
        req("process_outside_area", 3),
        "needs_permission",
        R7 + "3.1.1(4)(b)",
        ("section_isec_officer",),
        ("safety_measures",),
    ),
    (
        "outside_c3_needs_section_officer",
        req("store", 3, location="outside"),
        "needs_permission",
        R7 + "3.1.1(4)(b)",
        ("section_isec_officer",),
        ("safety_measures", "access_restriction"),
    ),
    (
        "outside_protected_safety",
        req("process_outside_area", 1, i=2),
        "allow_with_measures",
        R7 + "3.1.1(4)(c)",
        (),
        ("safety_measures",),
    ),
    (
        "issued_terminal_outside_procedure",
        req("use_issued_terminal_outside", 2),
        "allow_with_measures",
        R7 + "8.1.1(4)(a)",
        (),
        ("follow_procedure", "safety_measures"),
    ),
    (
        "issued_terminal_outside_permission",
        req("use_issued_terminal_outside", 1, a=2),
        "needs_permission",
        R7 + "8.1.1(4)(b)(ア)",
        ("section_isec_officer",),
        ("follow_procedure",),
    ),
    (
        "issued_terminal_outside_permission",
        req("copy", 3, location="outside", terminal="issued"),
        "needs_permission",
        R7 + "8.1.1(4)(b)(ア)",
        ("section_isec_officer",),
        ("inherit_classification",),
    ),
    (
        "non_issued_terminal_manager",
        req("use_non_issued_terminal", 1),
        "needs_permission",
        R7 + "6.1.3(4)(a)",
        ("terminal_manager",),
        (),
    ),
    (
        "non_issued_terminal_protected_permission",
        req("use_non_issued_terminal", 2),
        "needs_permission",
        R7 + "8.1.1(4)(b)(イ)",
        ("terminal_manager", "section_isec_officer"),
        ("follow_procedure",),
    ),
    (
        "non_issued_terminal_procedure",
        req("print", 2, terminal="non_issued"),
        "needs_permission",
        R7 + "8.1.1(4)(a)",
        ("terminal_manager", "section_isec_officer"),
        ("follow_procedure",),
    ),
    (
        "non_issued_terminal_delete_when_done",
        req("use_non_issued_terminal", 1, i=2),
        "needs_permission",
        R7 + "6.1.3(4)(d)",
        ("section_isec_officer",),
        ("delete_when_done",),
    ),
    (
        "reconnect_safety_measures",
        req("reconnect_terminal", 1),
        "needs_permission",
        R7 + "8.1.1(4)(c)",
        ("section_isec_officer",),
        ("safety_measures",),
    ),
    (
        "reconnect_permission",
        req("reconnect_terminal", 1),
        "needs_permission",
        H30 + "8.1.1(3)(j)",
        ("section_isec_officer",),
        (),
    ),
    (
        "cloud_unapproved_confidential_deny",
        req("use_cloud_service", 2, cloud="unapproved"),
        "deny",
        R7 + "8.1.1(3)(h)",
        (),
        (),
    ),
    (
        "cloud_unapproved_confidential_deny",
        req("send", 2, channel="unapproved_storage", recipient="within_viewers"),
        "deny",
        R7 + "8.1.1(3)(h)",
        (),
        (),
    ),
    (
        "cloud_unapproved_apply",
        req("use_cloud_service", 1, cloud="unapproved"),
        "needs_permission",
        R7 + "4.2.3(2)(a)",
        ("permit_authority",),
        (),
    ),
    (
        "cloud_nonconfidential_only",
        req("use_cloud_service", 2, cloud="approved_nonconfidential"),
        "deny",
        R7 + "4.2.3(2)(a)",
        (),
        (),
    ),
    (
        "cloud_share_limit_access",
        req("cloud_share", 2, cloud="approved_confidential", recipient="within_viewers"),
        "allow_with_measures",
        R7 + "8.1.1(10)(a)",
        (),
        ("limit_access", "delete_when_done"),
    ),
    (
        "cloud_share_delete_when_done",
        req("cloud_share", 1, i=2, cloud="approved_confidential", recipient="within_viewers"),
        "allow_with_measures",
        R7 + "8.1.1(10)(b)",
        (),
        ("limit_access", "delete_when_done"),
    ),
    # 統一基準 3.1.1(4)(d)(e), H30 8.1.1(1)(d), 3.1.1(3)(b), 3.1.1(7)
    (
        "store_access_restriction",
        req("store", 2),
        "allow_with_measures",
        H30 + "3.1.1(4)(d)",
        (),
        ("access_restriction",),
    ),
    (
        "corp_c3_store_measures",
        req("store", 3, org="designated_listed"),
        "allow_with_measures",
        H30 + "3.1.1(4)(d)",
        (),
        ("access_restriction", "offline_device", "encrypt", "physical_protection"),
    ),
    (
        "external_media_procedure",
        req("use_external_media", 1, media="registered"),
        "allow_with_measures",
        R7 + "3.1.1(4)(e)",
        (),
        ("follow_procedure",),
    ),
    (
        "external_media_unregistered_deny",
        req("use_external_media", 1, media="unregistered"),
        "deny",
        H30 + "8.1.1(1)(d)(ア)",
        (),
        (),
    ),
    (
        "external_media_unregistered_deny",
        req("carry_outside", 1, media="unregistered"),
        "deny",
        H30 + "8.1.1(1)(d)(ア)",
        (),
        (),
    ),
    (
        "copy_inherits_classification",
        req("copy", 1),
        "allow_with_measures",
        R7 + "3.1.1(3)(b)",
        (),
        ("inherit_classification",),
    ),
    (
        "dispose_electronic_erase",
        req("dispose", 1),
        "allow_with_measures",
        R7 + "3.1.1(7)(b)",
        (),
        ("erase_completely",),
    ),
    (
        "dispose_paper_unrecoverable",
        req("dispose", 2, paper=True),
        "allow_with_measures",
        R7 + "3.1.1(7)(c)",
        (),
        ("make_unrecoverable",),
    ),
]

# Near misses: the rule must not speak (and what the decision is instead).
SILENT: list[tuple[str, dict[str, Any], str]] = [
    (
        "beyond_viewers_consult_decider",
        req("provide", 1, paper=True, recipient="outside_viewers"),
        "allow",
    ),
    (
        "corp_c3_provide_needs_section_officer",
        req("provide", 3, paper=True, recipient="outside_viewers"),
        "needs_permission",
    ),
    ("electronic_provision_prevent_leak", req("send", 1, **MAIL_IN), "allow"),
    ("carry_protected_safety", req("carry_outside", 1, paper=True), "allow"),
    (
        "corp_c3_carry_encrypt_designated_method",
        req("carry_outside", 3, paper=True),
        "allow_with_measures",
    ),
    ("usb_takeout_permission", req("carry_outside", 2, media="registered"), "allow_with_measures"),
    ("usb_takeout_permission", req("carry_outside", 3, paper=True), "allow_with_measures"),
    (
        "corp_c3_send_encrypt_designated_method",
        req("send", 3, org="independent", **MAIL_IN),
        "allow_with_measures",
    ),
    (
        "confidential_mail_agency_service",
        req("send", 1, channel="other_mail", recipient="within_viewers"),
        "allow",
    ),
    ("outside_c3_needs_section_officer", req("store", 3), "allow_with_measures"),
    (
        "outside_c3_needs_section_officer",
        req(
            "send", 3, paper=True, channel="courier", recipient="within_viewers", location="outside"
        ),
        "allow_with_measures",
    ),
    (
        "issued_terminal_outside_permission",
        req("use_issued_terminal_outside", 2),
        "allow_with_measures",
    ),
    (
        "non_issued_terminal_protected_permission",
        req("use_non_issued_terminal", 1),
        "needs_permission",
    ),
    (
        "cloud_nonconfidential_only",
        req("use_cloud_service", 1, cloud="approved_nonconfidential"),
        "allow",
    ),
    (
        "cloud_unapproved_confidential_deny",
        req("use_cloud_service", 3, cloud="approved_confidential"),
        "allow",
    ),
    ("store_access_restriction", req("store", 1, i=2), "allow"),
    ("corp_c3_store_measures", req("store", 3), "allow_with_measures"),
    ("dispose_paper_unrecoverable", req("dispose", 1, paper=True), "allow"),
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
