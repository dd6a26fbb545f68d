"""The handling engine as its callers see it: the contract, the issue's examples and bad
input. Properties are in test_handling_properties.py, each rule in test_handling_rules.py
and test_handling_overlays.py."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.rules.test_handling_support import requests

from mamori.rules import roles
from mamori.rules.handling import (
    ACTIONS,
    VERDICTS,
    InvalidRequest,
    decide,
    decide_many,
    measure_labels,
    rule_ids,
    validate_request,
)
from mamori.rules.handling_rules.base import (
    measure_catalogue,
)

RANK = {verdict: rank for rank, verdict in enumerate(VERDICTS)}
CONTRACT_ACTIONS = {
    "store",
    "process_outside_area",
    "use_external_media",
    "provide",
    "publish",
    "carry_outside",
    "carry_device_outside",
    "send",
    "use_issued_terminal_outside",
    "use_non_issued_terminal",
    "reconnect_terminal",
    "use_cloud_service",
    "cloud_share",
    "web_form_submit",
    "copy",
    "forward",
    "print",
    "dispose",
}
CONTRACT_MEASURES = {
    "safety_measures",
    "encrypt",
    "designated_method",
    "convey_handling_notes",
    "prevent_inadvertent_leak",
    "access_restriction",
    "offline_device",
    "physical_protection",
    "agency_mail_service",
    "gov_domain",
    "follow_procedure",
    "limit_access",
    "delete_when_done",
    "verify_site_and_encryption",
    "erase_completely",
    "make_unrecoverable",
    "record_in_ledger",
    "double_check",
    "media_access_control",
    "disposal_certificate",
    "inherit_classification",
}
SLOW = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- the examples ---------------------------------------------------------------


def test_a_national_body_may_not_publish_confidentiality_2():
    decision = decide({"org_kind": "national", "info": {"confidentiality": 2}, "action": "publish"})
    assert decision["verdict"] == "deny"
    assert "統一基準(R7) 3.1.1(5)(a)" in decision["citations"]
    assert "機密性１" in decision["reason"]["ja"]
    assert "confidentiality-1" in decision["reason"]["en"]


def test_confidentiality_3_outside_the_area_needs_the_division_officer_and_safety_measures():
    decision = decide(
        {"org_kind": "national", "info": {"confidentiality": 3}, "action": "process_outside_area"}
    )
    assert decision == {
        "verdict": "needs_permission",
        "permission_from": ["section_isec_officer"],
        "measures": ["safety_measures"],
        "citations": ["統一基準(R7) 3.1.1(4)(b)", "統一基準(R7) 3.1.1(4)(c)"],
        "reason": decision["reason"],
    }
    assert decision["reason"]["ja"].startswith(
        "要管理対策区域の外で情報処理をするには、課室情報セキュリティ責任者の許可が必要です。"
    )


def test_when_nothing_restricts_the_answer_is_allow_and_says_so():
    decision = decide({"org_kind": "national", "info": {"confidentiality": 1}, "action": "store"})
    assert decision["verdict"] == "allow"
    assert (decision["permission_from"], decision["measures"]) == ([], [])
    assert decision["citations"] == ["統一基準(R7) 3.1.1(4)(a)", "統一基準(R7) 3.1.1(2)(a)"]
    assert "制限する規定はありません" in decision["reason"]["ja"]
    assert "No rule restricts this" in decision["reason"]["en"]


def test_the_strictest_rule_decides_and_everything_else_is_united():
    # independent body, 機密性3 with personal data, carried out on a registered USB stick
    decision = decide(
        {
            "org_kind": "independent",
            "rulebooks": ["toitsu", "mic_pii"],
            "info": {"confidentiality": 3, "integrity": 2, "types": ["personal"]},
            "action": "carry_outside",
            "context": {"media": "registered"},
        }
    )
    assert decision["verdict"] == "needs_permission"
    assert decision["permission_from"] == ["section_isec_officer", "pii_manager"]
    assert decision["measures"] == [
        "safety_measures",
        "follow_procedure",
        "encrypt",
        "designated_method",
        "media_access_control",
    ]
    assert decision["citations"] == [
        "統一基準(R7) 3.1.1(6)(a)",
        "統一基準(H30) 8.1.1(3)(k)",
        "統一基準(R7) 3.1.1(4)(e)",
        "総務省訓令 第10条第3号",
        "総務省訓令 第12条",
        "総務省訓令 第27条",
    ]


def test_a_deny_explains_first_and_keeps_the_other_clauses():
    decision = decide(
        {
            "org_kind": "national",
            "info": {"confidentiality": 2, "restrictions": ["copy_prohibited"]},
            "action": "copy",
        }
    )
    assert decision["verdict"] == "deny"
    assert decision["reason"]["ja"].startswith(
        "複製することはできません。「複製禁止」の取扱制限があるため"
    )
    assert decision["citations"] == ["統一基準(R7) 3.1.1(3)(b)", "統一基準(R7) 3.1.1(4)(a)"]


# --- the contract ---------------------------------------------------------------------------


def test_action_and_measure_codes_are_the_contract():
    assert set(ACTIONS) == CONTRACT_ACTIONS
    assert CONTRACT_MEASURES <= set(measure_catalogue())
    assert VERDICTS == ("allow", "allow_with_measures", "needs_permission", "deny")


def test_every_measure_has_a_label_in_both_languages():
    ja, en = measure_labels("ja"), measure_labels("en")
    assert list(ja) == list(en) == list(measure_catalogue())
    assert all(ja[code] and en[code] and ja[code] != en[code] for code in ja)


@given(requests())
@SLOW
def test_a_decision_has_the_contract_shape_and_serialises(request_):
    decision = decide(request_)
    assert list(decision) == ["verdict", "permission_from", "measures", "citations", "reason"]
    assert decision["verdict"] in VERDICTS
    assert all(code in roles.catalogue() for code in decision["permission_from"])
    assert all(code in measure_catalogue() for code in decision["measures"])
    assert decision["citations"] and len(set(decision["citations"])) == len(decision["citations"])
    assert (decision["verdict"] == "needs_permission") == bool(decision["permission_from"]) or (
        decision["verdict"] == "deny"
    )
    if decision["verdict"] in ("allow", "allow_with_measures"):
        assert (decision["verdict"] == "allow_with_measures") == bool(decision["measures"])
    assert decision["reason"]["ja"] and decision["reason"]["en"]
    assert json.loads(json.dumps(decision, ensure_ascii=False)) == decision


def test_decisions_are_fresh_objects_a_caller_may_change():
    request_ = {
        "org_kind": "national",
        "info": {"confidentiality": 3},
        "action": "process_outside_area",
    }
    first = decide(request_)
    first["measures"].append("tampered")
    first["reason"]["ja"] = "tampered"
    assert decide(request_)["measures"] == ["safety_measures"]
    assert decide(request_)["reason"]["ja"] != "tampered"


def test_decide_many_answers_in_order_and_names_the_bad_request():
    good = {"org_kind": "national", "info": {"confidentiality": 2}, "action": "publish"}
    other = {"org_kind": "national", "info": {"confidentiality": 1}, "action": "store"}
    assert decide_many([good, other]) == [decide(good), decide(other)]
    with pytest.raises(InvalidRequest) as raised:
        decide_many(
            [good, {"org_kind": "national", "info": {"confidentiality": 5}, "action": "store"}]
        )
    assert raised.value.index == 1
    assert raised.value.errors[0].field == "info.confidentiality"


def test_rule_ids_lists_the_overlays_only_when_switched_on():
    assert "mynumber_handler_only" not in rule_ids("store")
    assert "mynumber_handler_only" in rule_ids("store", ["toitsu", "mic_pii"])
    assert "mod_private_device_deny" in rule_ids("copy", ["mod"])


# --- bad input --------------------------------------------------------------------------------

BAD: list[tuple[dict[str, Any], str, tuple[Any, ...]]] = [
    (
        {"org_kind": "ministry", "info": {"confidentiality": 1}, "action": "store"},
        "org_kind",
        ("national", "independent", "designated_listed", "designated_other"),
    ),
    (
        {"org_kind": "national", "info": {"confidentiality": 4}, "action": "store"},
        "info.confidentiality",
        (1, 2, 3),
    ),
    (
        {"org_kind": "national", "info": {"confidentiality": True}, "action": "store"},
        "info.confidentiality",
        (1, 2, 3),
    ),
    (
        {"org_kind": "national", "info": {"confidentiality": "2"}, "action": "store"},
        "info.confidentiality",
        (1, 2, 3),
    ),
    (
        {"org_kind": "national", "info": {"confidentiality": 1, "integrity": 3}, "action": "store"},
        "info.integrity",
        (1, 2, None),
    ),
    (
        {
            "org_kind": "national",
            "info": {"confidentiality": 1, "medium": "paper", "availability": 2},
            "action": "store",
        },
        "info.availability",
        (None,),
    ),
    (
        {
            "org_kind": "national",
            "info": {"confidentiality": 1, "medium": "vellum"},
            "action": "store",
        },
        "info.medium",
        ("electronic", "paper"),
    ),
    (
        {
            "org_kind": "national",
            "info": {"confidentiality": 1, "restrictions": ["top_secret"]},
            "action": "store",
        },
        "info.restrictions[0]",
        None,
    ),
    (
        {
            "org_kind": "national",
            "info": {
                "confidentiality": 1,
                "restrictions": [{"code": "copy_prohibited", "detail": "x"}],
            },
            "action": "store",
        },
        "info.restrictions[0].detail",
        ("viewers_limited",),
    ),
    (
        {
            "org_kind": "national",
            "info": {"confidentiality": 1, "types": ["secret"]},
            "action": "store",
        },
        "info.types[0]",
        ("personal", "my_number", "mod_secret", "mod_caution"),
    ),
    ({"org_kind": "national", "info": {"confidentiality": 1}, "action": "fax"}, "action", None),
    (
        {
            "org_kind": "national",
            "info": {"confidentiality": 1},
            "action": "send",
            "context": {"recipient": "within_viewers"},
        },
        "context.channel",
        None,
    ),
    (
        {"org_kind": "national", "info": {"confidentiality": 1}, "action": "provide"},
        "context.recipient",
        ("within_viewers", "outside_viewers", "public"),
    ),
    (
        {
            "org_kind": "national",
            "info": {"confidentiality": 1},
            "action": "use_cloud_service",
            "context": {"cloud": "approved"},
        },
        "context.cloud",
        ("unapproved", "approved_nonconfidential", "approved_confidential"),
    ),
    (
        {
            "org_kind": "national",
            "info": {"confidentiality": 1},
            "action": "carry_outside",
            "context": {"location": "inside"},
        },
        "context.location",
        ("outside", "designated_area"),
    ),
    (
        {
            "org_kind": "national",
            "info": {"confidentiality": 1},
            "action": "use_non_issued_terminal",
            "context": {"terminal": "issued"},
        },
        "context.terminal",
        ("non_issued", None),
    ),
    (
        {
            "org_kind": "national",
            "info": {"confidentiality": 1},
            "action": "store",
            "context": {"locaton": "outside"},
        },
        "context.locaton",
        None,
    ),
    (
        {
            "org_kind": "national",
            "info": {"confidentiality": 1},
            "action": "store",
            "context": {"outsourced": "yes"},
        },
        "context.outsourced",
        (True, False),
    ),
    (
        {
            "org_kind": "national",
            "info": {"confidentiality": 1},
            "action": "store",
            "context": {"actor_roles": ["wizard"]},
        },
        "context.actor_roles[0]",
        None,
    ),
    (
        {
            "org_kind": "national",
            "rulebooks": [],
            "info": {"confidentiality": 1},
            "action": "store",
        },
        "rulebooks",
        None,
    ),
    (
        {
            "org_kind": "national",
            "rulebooks": ["gdpr"],
            "info": {"confidentiality": 1},
            "action": "store",
        },
        "rulebooks[0]",
        None,
    ),
    ({"org_kind": "national", "action": "store"}, "info", ("object",)),
    (
        {"org_kind": "national", "info": {"confidentiality": 1}, "action": "store", "urgent": True},
        "urgent",
        None,
    ),
]


@pytest.mark.parametrize(("request_", "field", "allowed"), BAD, ids=[case[1] for case in BAD])
def test_bad_input_names_the_field_and_what_it_may_be(request_, field, allowed):
    errors = validate_request(request_)
    assert field in [error.field for error in errors]
    error = next(error for error in errors if error.field == field)
    if allowed is not None:
        assert error.allowed == allowed
    assert error.ja and error.en and field in error.en
    with pytest.raises(InvalidRequest) as raised:
        decide(request_)
    assert field in [e.field for e in raised.value.errors]
    assert error.as_dict()["message"] == {"ja": error.ja, "en": error.en}


def test_several_mistakes_are_all_reported():
    errors = validate_request(
        {
            "org_kind": "x",
            "info": {"confidentiality": 0, "medium": "paper", "integrity": 2},
            "action": "send",
            "context": {"channel": "pigeon"},
        }
    )
    assert {e.field for e in errors} >= {
        "org_kind",
        "info.confidentiality",
        "info.integrity",
        "context.channel",
        "context.recipient",
    }


def test_other_mapping_and_list_types_are_read_like_plain_ones():
    from collections import OrderedDict

    plain = {
        "org_kind": "national",
        "info": {"confidentiality": 2, "types": ["personal"]},
        "action": "copy",
        "rulebooks": ["toitsu", "mic_pii"],
    }
    other = OrderedDict(
        plain, info=OrderedDict(plain["info"], types=type("Types", (list,), {})(["personal"]))
    )
    other["rulebooks"] = type("Books", (list,), {})(["toitsu", "mic_pii"])
    assert decide(other) == decide(plain)


def test_not_an_object():
    assert [e.field for e in validate_request(["store"])] == ["(request)"]
    with pytest.raises(InvalidRequest):
        decide(["store"])  # type: ignore[arg-type]


MUTATIONS: list[Any] = [
    None,
    0,
    1,
    4,
    True,
    "",
    "x",
    "store",
    "paper",
    "national",
    [],
    ["x"],
    {},
    {"code": "x"},
    "viewers_limited",
    "courier",
    "outside",
    "issued",
    2.0,
]


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    request_ = copy.deepcopy(draw(requests()))
    for _ in range(draw(st.integers(1, 3))):
        node: Any = request_
        path = []
        while isinstance(node, dict) and node and draw(st.booleans()):
            key = draw(st.sampled_from(sorted(node)))
            path.append(key)
            if not isinstance(node[key], dict):
                break
            node = node[key]
        target = request_
        for key in path[:-1]:
            target = target[key]
        if isinstance(target, dict):
            key = (
                path[-1]
                if path
                else draw(st.sampled_from(["org_kind", "info", "action", "context", "extra"]))
            )
            if draw(st.integers(0, 5)) == 0:
                target.pop(key, None)
            else:
                # A copy: a later round may mutate inside it, and MUTATIONS must not change.
                target[key] = copy.deepcopy(draw(st.sampled_from(MUTATIONS)))
    return request_


@given(mutated())
@settings(max_examples=500, deadline=None)
def test_decide_refuses_exactly_what_validation_reports(request_):
    errors = validate_request(request_)
    if errors:
        with pytest.raises(InvalidRequest) as raised:
            decide(request_)
        assert raised.value.errors == errors
    else:
        assert decide(request_)["verdict"] in VERDICTS
