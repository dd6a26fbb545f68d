"""Properties every decision must have (monotone in the 格付, deterministic), and the
declarations the engine's tables and the policy loader rely on (what each rule reads and
requires)."""

from __future__ import annotations

import copy
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.rules.test_handling_support import requests

from mamori.rules.handling import BASELINE, VERDICTS, decide, decide_many, facts_of, fired_rules
from mamori.rules.handling_rules.base import (
    ACTION_SPECS,
    FEATURE_DOMAINS,
    FLAG_BITS,
    RAW_FEATURES,
    derive,
    make_facts,
)

RANK = {verdict: rank for rank, verdict in enumerate(VERDICTS)}
SLOW = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- properties -------------------------------------------------------------------------------------


def _raised(request_: dict[str, Any], dimension: str) -> dict[str, Any] | None:
    """The same request with one 格付 level one step higher, or None if it cannot go higher."""
    higher = copy.deepcopy(request_)
    info = higher["info"]
    if dimension == "confidentiality":
        if info["confidentiality"] == 3:
            return None
        info["confidentiality"] += 1
        return higher
    if info.get("medium") == "paper" or info.get(dimension) == 2:
        return None
    info[dimension] = 2
    return higher


@given(requests(), st.sampled_from(["confidentiality", "integrity", "availability"]))
@SLOW
def test_raising_a_level_never_makes_a_verdict_more_permissive(request_, dimension):
    higher = _raised(request_, dimension)
    if higher is not None:
        assert RANK[decide(higher)["verdict"]] >= RANK[decide(request_)["verdict"]]


def _shuffled(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {key: _shuffled(item, rng) for key, item in items}
    if isinstance(value, list):
        items = [_shuffled(item, rng) for item in value]
        rng.shuffle(items)
        return items
    return value


@given(requests(), st.integers(0, 2**32))
@SLOW
def test_decisions_are_deterministic_whatever_the_order_of_keys_and_lists(request_, seed):
    first = decide(request_)
    assert decide(copy.deepcopy(request_)) == first
    assert decide(_shuffled(request_, random.Random(seed))) == first
    assert decide_many([request_, _shuffled(request_, random.Random(seed + 1))]) == [first, first]


@given(requests())
@SLOW
def test_the_engine_reads_requests_as_the_rules_define_them(request_):
    # handling._extract computes the context facts inline; base.derive defines them.
    facts = facts_of(request_)
    assert derive(facts) == facts


# --- the rules' declarations, which the engine's tables and the policy loader rely on --------------


@st.composite
def facts_pairs(draw: st.DrawFn) -> tuple[Any, Any, Any]:
    """A rule, facts it may see, and the same facts with everything it does not read changed."""
    rule = draw(st.sampled_from([*BASELINE.rules, *BASELINE.restriction_rules]))
    action = draw(st.sampled_from(rule.actions))
    spec = ACTION_SPECS[action]

    def raw() -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in RAW_FEATURES:
            if name == "restrictions":
                domain: Any = [
                    frozenset(),
                    *(frozenset({c}) for c in BASELINE.vocabulary),
                    frozenset(BASELINE.vocabulary),
                ]
            elif name == "location":
                domain = spec.locations
            elif name == "terminal" and spec.terminal:
                domain = (spec.terminal,)
            else:
                domain = [
                    v for v in FEATURE_DOMAINS[name] if v is not None or name not in spec.requires
                ]
            values[name] = draw(st.sampled_from(list(domain)))
        if values["medium"] == "paper":
            values["integrity"] = values["availability"] = 1
        return values

    first = raw()
    second = {**raw(), **{name: first[name] for name in rule.reads}}
    if second["medium"] == "paper":
        second["integrity"] = second["availability"] = 1
        if "medium" not in rule.reads and first["medium"] == "electronic":
            second["medium"] = "electronic"
            second["integrity"], second["availability"] = first["integrity"], first["availability"]
    return rule, make_facts(action, **first), make_facts(action, **second)


@given(facts_pairs())
@settings(max_examples=800, deadline=None)
def test_a_rule_reads_only_what_it_declares(case):
    rule, facts, other = case
    assert rule.fn(facts) is rule.fn(other)


@given(facts_pairs())
@settings(max_examples=800, deadline=None)
def test_a_rule_never_fires_without_what_it_requires(case):
    rule, facts, _ = case
    missing = [
        name for name, bit in FLAG_BITS.items() if rule.requires & bit and not getattr(facts, name)
    ]
    if missing:
        assert rule.fn(facts) is None, (rule.id, missing)


def test_the_tables_skip_rules_only_when_they_could_not_fire():
    request_ = {
        "org_kind": "national",
        "rulebooks": ["toitsu", "mic_pii"],
        "info": {"confidentiality": 1, "types": ["personal"]},
        "action": "copy",
    }
    assert fired_rules(request_) == [
        "copy_inherits_classification",
        "mic_copy_under_manager",
        "mic_temporary_copy_delete",
    ]
