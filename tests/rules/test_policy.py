"""An agency's policy tightens the baseline and is refused, with the clause, when it would
loosen it."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from tests.rules.test_handling_support import requests

from mamori.rules.handling import (
    ACTIONS,
    VERDICTS,
    InvalidRequest,
    decide,
    fired_rules,
    validate_request,
)
from mamori.rules.policy import PolicyError, load_policy, load_policy_file

RANK = {verdict: rank for rank, verdict in enumerate(VERDICTS)}
REASON = {"ja": "例示省の基準によります。", "en": "Under the Example Ministry's standard."}

POLICY_YAML = """
agency: 例示省
measures:
  - {code: log_transfer, ja: 持ち出しを記録簿に記入する, en: Record it in the take-out log}
restrictions:
  - code: board_only
    marking: 幹部限り
    ja: 幹部限り（幹部職員だけが閲覧する）
    en: Board members only
    citation: 例示省情報セキュリティ対策基準 第5条
    effects:
      - actions: [provide, send, forward]
        recipients: [outside_viewers, public]
        verdict: deny
rules:
  - id: c2-outside-needs-permission
    actions: [process_outside_area]
    when: {confidentiality: [2], org_kind: national}
    verdict: needs_permission
    permission_from: [section_isec_officer]
    measures: [log_transfer]
    citation: 例示省情報セキュリティ対策基準 第12条第2項
    reason: {ja: 機密性２情報を外で扱うときも課室情報セキュリティ責任者の許可が要ります。, en: Confidentiality-2 work outside needs permission too.}
  - id: personal-usb-forbidden
    actions: [use_external_media, carry_outside]
    when: {types: [personal]}
    verdict: deny
    citation: 例示省個人情報管理規程 第8条
    reason: {ja: 個人情報はUSBメモリ等に入れません。, en: No personal data on USB sticks.}
"""


@pytest.fixture(scope="module")
def policy(tmp_path_factory):
    path = tmp_path_factory.mktemp("policy") / "example.yaml"
    path.write_text(POLICY_YAML, encoding="utf-8")
    return load_policy_file(path)


def rule(**fields: Any) -> dict[str, Any]:
    return {
        "agency": "例示省",
        "rules": [{"id": "r1", "citation": "例示省基準 第1条", "reason": REASON, **fields}],
    }


def test_a_rule_raises_the_verdict_and_adds_its_measure_permission_and_clause(policy):
    request_ = {
        "org_kind": "national",
        "info": {"confidentiality": 2},
        "action": "process_outside_area",
    }
    assert decide(request_)["verdict"] == "allow_with_measures"
    decision = decide(request_, policy=policy)
    assert decision["verdict"] == "needs_permission"
    assert decision["permission_from"] == ["section_isec_officer"]
    assert decision["measures"] == ["safety_measures", "log_transfer"]
    assert decision["citations"] == [
        "統一基準(R7) 3.1.1(4)(c)",
        "例示省情報セキュリティ対策基準 第12条第2項",
    ]
    assert "課室情報セキュリティ責任者の許可が要ります" in decision["reason"]["ja"]
    assert "policy:c2-outside-needs-permission" in fired_rules(request_, policy)


def test_a_rule_applies_only_where_its_conditions_hold(policy):
    elsewhere = {
        "org_kind": "independent",
        "info": {"confidentiality": 2},
        "action": "process_outside_area",
    }
    assert decide(elsewhere, policy=policy) == decide(elsewhere)


def test_a_rule_on_personal_data_matches_my_number_too(policy):
    request_ = {
        "org_kind": "national",
        "info": {"confidentiality": 1, "types": ["my_number"]},
        "action": "use_external_media",
        "context": {"media": "registered"},
    }
    decision = decide(request_, policy=policy)
    assert decision["verdict"] == "deny"
    assert "例示省個人情報管理規程 第8条" in decision["citations"]


def test_the_agencys_own_restriction_is_understood_only_under_its_policy(policy):
    request_ = {
        "org_kind": "national",
        "info": {"confidentiality": 1, "restrictions": ["board_only"]},
        "action": "send",
        "context": {"channel": "agency_mail", "recipient": "outside_viewers"},
    }
    assert [e.field for e in validate_request(request_)] == ["info.restrictions[0]"]
    with pytest.raises(InvalidRequest):
        decide(request_)
    decision = decide(request_, policy=policy)
    assert decision["verdict"] == "deny"
    assert decision["citations"][-2:] == [
        "例示省情報セキュリティ対策基準 第5条",
        "統一基準(R7) 3.1.1(4)(a)",
    ]
    assert "「幹部限り」の取扱制限があるため" in decision["reason"]["ja"]


def test_a_rule_for_every_action_whatever_the_rulebooks():
    loaded = load_policy(rule(actions="*", verdict="needs_permission", permission_from=["ciso"]))
    for action in ACTIONS:
        for books in (["toitsu"], ["mod"], ["mic_pii", "toitsu"], ["cip"]):
            request_ = {
                "org_kind": "national",
                "rulebooks": books,
                "info": {"confidentiality": 1},
                "action": action,
                "context": {
                    "channel": "agency_mail",
                    "recipient": "within_viewers",
                    "cloud": "approved_confidential",
                    "media": "registered",
                },
            }
            decision = decide(request_, policy=loaded)
            assert "ciso" in decision["permission_from"]
            assert "例示省基準 第1条" in decision["citations"]


# --- refused: anything written to loosen, with the clause -----------------------------------------


@pytest.mark.parametrize(
    ("fields", "clause"),
    [
        (
            {"actions": ["publish"], "when": {"confidentiality": [2, 3]}, "verdict": "allow"},
            "統一基準(R7) 3.1.1(5)(a)",
        ),
        (
            {
                "actions": ["process_outside_area"],
                "when": {"confidentiality": 3},
                "lower_verdict_to": "allow_with_measures",
            },
            "統一基準(R7) 3.1.1(4)(b)",
        ),
        (
            {
                "actions": ["dispose"],
                "when": {"medium": "paper"},
                "remove_measures": ["make_unrecoverable"],
            },
            "統一基準(R7) 3.1.1(7)(c)",
        ),
        (
            {
                "actions": ["carry_outside"],
                "when": {"confidentiality": 3, "medium": "electronic"},
                "remove_permission_from": ["section_isec_officer"],
            },
            "統一基準(H30) 8.1.1(3)(k)",
        ),
        (
            {
                "actions": ["send"],
                "when": {"types": ["personal"], "rulebooks": ["mic_pii"]},
                "remove_permission_from": ["pii_manager"],
                "measures": ["encrypt"],
            },
            "総務省訓令 第10条第2号",
        ),
        (
            {
                "actions": ["use_non_issued_terminal"],
                "when": {"rulebooks": ["mod"]},
                "lower_verdict_to": "needs_permission",
            },
            "防衛省通達 第12の3",
        ),
        (
            {
                "actions": ["copy"],
                "when": {"restrictions": ["copy_prohibited"]},
                "lower_verdict_to": "allow_with_measures",
            },
            "統一基準(R7) 3.1.1(4)(a)",
        ),
    ],
)
def test_loosening_is_refused_naming_the_baseline_clause(fields, clause):
    with pytest.raises(PolicyError) as raised:
        load_policy(rule(**fields))
    assert raised.value.clause == clause
    assert clause in str(raised.value)
    assert "r1" in str(raised.value)


def test_a_loosening_key_that_would_change_nothing_is_still_refused():
    with pytest.raises(PolicyError, match="no effect") as raised:
        load_policy(
            rule(
                actions=["store"],
                when={
                    "confidentiality": 1,
                    "integrity": 1,
                    "availability": 1,
                    "location": "inside",
                },
                remove_measures=["gov_domain"],
            )
        )
    assert raised.value.clause is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rules": []}, "agency"),
        ({"agency": "x", "colour": "red"}, "mapping with keys"),
        (rule(actions=["fax"], verdict="deny"), "actions"),
        (rule(actions=["store"], verdict="forbid"), "verdict"),
        (rule(actions=["store"], permission_from=["emperor"]), "unknown role"),
        (rule(actions=["store"], measures=["pray"]), "unknown measure"),
        (
            rule(actions=["store"], when={"confidentiality": 4}, verdict="deny"),
            "when.confidentiality",
        ),
        (rule(actions=["store"], when={"outsourced": "yes"}, verdict="deny"), "when.outsourced"),
        (rule(actions=["store"], when={"colour": "red"}, verdict="deny"), "unknown condition"),
        (rule(actions=["store"], when={"types": ["secret"]}, verdict="deny"), "when.types"),
        (
            rule(actions=["store"], when={"restrictions": ["secret"]}, verdict="deny"),
            "when.restrictions",
        ),
        (rule(actions=["store"], verdict="deny", colour="red"), "unknown keys"),
        (rule(actions=["store"], verdict="needs_permission"), "permission_from"),
        (
            {
                "agency": "x",
                "rules": [{"id": "r1", "actions": ["store"], "verdict": "deny", "reason": REASON}],
            },
            "citation",
        ),
        (
            {
                "agency": "x",
                "rules": [{"id": "r1", "actions": ["store"], "verdict": "deny", "citation": "c"}],
            },
            "reason",
        ),
        (
            {"agency": "x", "measures": [{"code": "encrypt", "ja": "a", "en": "b"}]},
            "already exists",
        ),
        (
            {
                "agency": "x",
                "restrictions": [{"code": "copy_prohibited", "marking": "x", "ja": "x", "en": "x"}],
            },
            "already defined",
        ),
        (
            {"agency": "x", "rules": [rule(actions=["store"], verdict="deny")["rules"][0]] * 2},
            "unique",
        ),
    ],
)
def test_malformed_policies_are_refused_with_what_is_wrong(data, message):
    with pytest.raises(PolicyError, match=message):
        load_policy(data)


def test_a_file_that_is_not_yaml_is_refused(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("agency: [unclosed", encoding="utf-8")
    with pytest.raises(PolicyError, match="broken.yaml"):
        load_policy_file(path)


# --- property: a policy that loads never loosens any decision -------------------------------------

_CONDITIONS = st.fixed_dictionaries(
    {},
    optional={
        "confidentiality": st.lists(st.sampled_from([1, 2, 3]), min_size=1, unique=True),
        "org_kind": st.sampled_from(
            ["national", "independent", "designated_listed", "designated_other"]
        ),
        "medium": st.sampled_from(["electronic", "paper"]),
        "location": st.sampled_from(["inside", "outside", "designated_area"]),
        "types": st.lists(
            st.sampled_from(["personal", "my_number", "mod_secret"]), max_size=2, unique=True
        ),
        "restrictions": st.lists(
            st.sampled_from(["copy_prohibited", "viewers_limited"]), max_size=1
        ),
        "rulebooks": st.lists(st.sampled_from(["toitsu", "mod", "mic_pii"]), max_size=1),
    },
)


@st.composite
def policy_rules(draw: st.DrawFn) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "actions": draw(
            st.one_of(
                st.just("*"),
                st.lists(st.sampled_from(list(ACTIONS)), min_size=1, max_size=4, unique=True),
            )
        ),
        "when": draw(_CONDITIONS),
        "verdict": draw(st.sampled_from(VERDICTS)),
    }
    if fields["verdict"] == "needs_permission" or draw(st.booleans()):
        fields["permission_from"] = draw(
            st.lists(
                st.sampled_from(["ciso", "decider", "isec_officer"]),
                min_size=1,
                max_size=2,
                unique=True,
            )
        )
        if fields["verdict"] != "needs_permission":
            fields["verdict"] = "needs_permission"
    if draw(st.booleans()):
        fields["measures"] = draw(
            st.lists(
                st.sampled_from(["encrypt", "double_check", "record_in_ledger"]),
                min_size=1,
                max_size=2,
                unique=True,
            )
        )
    if fields["verdict"] == "allow_with_measures" and "measures" not in fields:
        fields["measures"] = ["double_check"]
    return fields


@given(
    st.lists(policy_rules(), min_size=1, max_size=3), st.lists(requests(), min_size=1, max_size=5)
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_tightening_policy_never_loosens_any_decision(rules, batch):
    data = {
        "agency": "例示省",
        "rules": [
            {"id": f"r{n}", "citation": f"例示省基準 第{n}条", "reason": REASON, **r}
            for n, r in enumerate(rules)
        ],
    }
    try:
        policy = load_policy(copy.deepcopy(data))
    except PolicyError:
        assume(False)
    for request_ in batch:
        baseline, tightened = decide(request_), decide(request_, policy=policy)
        assert RANK[tightened["verdict"]] >= RANK[baseline["verdict"]]
        assert set(tightened["measures"]) >= set(baseline["measures"])
        assert set(tightened["permission_from"]) >= set(baseline["permission_from"])
        if fired_rules(request_):  # (the general duty is cited only when no rule speaks)
            assert set(tightened["citations"]) >= set(baseline["citations"])
