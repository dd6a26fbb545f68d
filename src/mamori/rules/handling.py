"""The handling decision engine: may I do this with this information, and whose permission
or which measures do I need? Pure and deterministic; no Django.

    decide(request) -> {"verdict", "permission_from", "measures", "citations", "reason"}

The request and decision shapes, action codes, verdicts and measure codes are a contract
(mail gateways, DLP tools, the CLI and the UI rely on them): add codes, never rename.

How a decision is made. handling_rules/intake.py checks the request and turns it into
`Facts` once (handling_rules/validation.py says what is wrong with a bad one). Each rule
(handling_rules/*) is a small function returning a ready-made partial decision or None.
The engine indexes the rules by action, rulebooks switched on and the facts a rule
requires (Facts.rule_index), so a request runs only the rules that can speak to it; it
combines what fired: the strictest verdict wins (deny > needs_permission >
allow_with_measures > allow), permissions and measures are united, every clause is cited.
Combinations are memoised by the tuple of partials that fired, so the reason text is
joined from fixed fragments once per combination. When nothing restricts the action the
answer is allow, citing the general duty (統一基準(R7) 3.1.1(4)(a), (2)(a)).

An agency's policy (rules/policy.py) adds rules to these tables; it can only tighten.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from mamori.rules import roles
from mamori.rules.classification import (
    RestrictionKind,
    restriction_vocabulary,
)
from mamori.rules.handling_rules import BASE_RESTRICTION_RULES, BASE_RULES
from mamori.rules.handling_rules.base import (
    ACTIONS,
    INDEX_SHIFT,
    RANK,
    RULEBOOK_BITS,
    VERDICTS,
    Facts,
    Partial,
    Rule,
    RuleFunction,
    measure_catalogue,
    partial,
)
from mamori.rules.handling_rules.intake import ACTION_LIST, Unreadable, extract
from mamori.rules.handling_rules.validation import FieldError, InvalidRequest, validate
from mamori.rules.refs import TOITSU_R7, cite

if TYPE_CHECKING:
    from mamori.rules.policy import Policy

__all__ = [
    "ACTIONS",
    "VERDICTS",
    "Facts",
    "FieldError",
    "InvalidRequest",
    "Tables",
    "decide",
    "decide_many",
    "facts_of",
    "fired_rules",
    "measure_labels",
    "rule_ids",
    "validate_request",
]

DEFAULT_RULEBOOKS = ("toitsu",)
GENERAL = partial(
    "general_duty",
    "allow",
    (cite(TOITSU_R7, "3.1.1(4)(a)"), cite(TOITSU_R7, "3.1.1(2)(a)")),
    "この操作を特に制限する規定はありません。格付と取扱制限に従い、業務に必要な範囲で扱ってください。",
    "No rule restricts this. Handle the information according to its classification and "
    "handling restrictions, and only as far as your work needs.",
)


class _RuleTable(dict[int, tuple[RuleFunction, ...]]):
    """Facts.rule_index → the rule functions that can fire, filled on first use: rules for
    that action, in a rulebook that is on, whose required flags are all set. An agency's
    own rules (rulebook "agency") apply whatever the rulebooks, and require nothing."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        super().__init__()
        self.by_action = {
            action: [
                (r.fn, RULEBOOK_BITS.get(r.rulebook, 0), r.requires)
                for r in rules
                if action in r.actions
            ]
            for action in ACTIONS
        }

    def __missing__(self, index: int) -> tuple[RuleFunction, ...]:
        flags = index & ((1 << INDEX_SHIFT) - 1)
        candidates = self.by_action[ACTION_LIST[index >> INDEX_SHIFT]]
        found = tuple(
            fn
            for fn, books, needed in candidates
            if (books & flags or not books) and needed & flags == needed
        )
        self[index] = found
        return found


class Tables:
    """Rules indexed for the engine (see _RuleTable), and the restriction rules per action
    (run only when the request carries restrictions)."""

    def __init__(
        self,
        rules: Iterable[Rule],
        restriction_rules: Iterable[Rule],
        vocabulary: Mapping[str, RestrictionKind],
        measures: Mapping[str, tuple[str, str]],
    ) -> None:
        self.rules = tuple(rules)
        self.restriction_rules = tuple(restriction_rules)
        self.vocabulary = vocabulary
        self.measures = measures
        self.measure_order = {code: index for index, code in enumerate(measures)}
        self.table = _RuleTable(self.rules)
        self.restricted: dict[str, tuple[RuleFunction, ...]] = {
            action: tuple(r.fn for r in self.restriction_rules if action in r.actions)
            for action in ACTIONS
        }
        self.memo: dict[
            tuple[Any, ...], tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...], str, str]
        ] = {}

    def combine(
        self, key: tuple[Any, ...]
    ) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...], str, str]:
        """key = (action, *partials in rule order) → the decision's parts, memoised."""
        found = self.memo.get(key)
        if found is not None:
            return found
        action: str = key[0]
        fired: list[Partial] = list(key[1:]) or [GENERAL]
        verdict = VERDICTS[max(p.rank for p in fired)]
        permissions: list[str] = []
        measures: set[str] = set()
        citations: list[str] = []
        for p in fired:
            permissions += [code for code in p.permission_from if code not in permissions]
            measures.update(p.measures)
            citations += [clause for clause in p.citations if clause not in citations]
        ordered = tuple(sorted(measures, key=self.measure_order.__getitem__))
        action_ja, action_en = ACTIONS[action]
        if verdict == "deny":
            head_ja, head_en = f"{action_ja}ことはできません。", f"You may not {action_en}."
        elif verdict == "needs_permission":
            who_ja = "、".join(roles.get(code).ja for code in permissions)
            who_en = ", ".join(roles.get(code).en for code in permissions)
            head_ja = f"{action_ja}には、{who_ja}の許可が必要です。"
            head_en = f"To {action_en}, you need permission from: {who_en}."
        elif verdict == "allow_with_measures":
            head_ja = f"次の対策を講じれば、{action_ja}ことができます。"
            head_en = f"You may {action_en} if you take the measures listed."
        else:
            head_ja, head_en = f"{action_ja}ことができます。", f"You may {action_en}."
        parts_ja, parts_en = [head_ja], [head_en]
        for p in sorted(fired, key=lambda p: -p.rank):  # stable: rule order within a rank
            if p.ja not in parts_ja:
                parts_ja.append(p.ja)
                parts_en.append(p.en)
        result = (
            verdict,
            tuple(permissions),
            ordered,
            tuple(citations),
            "".join(parts_ja),
            " ".join(parts_en),
        )
        if len(self.memo) > 100_000:  # a bound, never reached by real rule sets
            self.memo.clear()
        self.memo[key] = result
        return result


BASELINE = Tables(BASE_RULES, BASE_RESTRICTION_RULES, restriction_vocabulary(), measure_catalogue())


def decide(request: Mapping[str, Any], policy: Policy | None = None) -> dict[str, Any]:
    """One decision. Raises InvalidRequest (naming each bad field and its allowed values)
    for a request that does not fit the contract."""
    t = BASELINE if policy is None else policy.tables
    try:
        f = extract(request, t.vocabulary)
    except (Unreadable, KeyError, TypeError, AttributeError, ValueError):
        f = _slow_extract(request, t, policy)
    return _decide(f, t)


def _slow_extract(
    request: Any, t: Tables, policy: Policy | None, index: int | None = None
) -> Facts:
    """The fast path reads plain dicts and lists only; a valid request in other mapping or
    list types is copied to plain ones and read again. Anything else is an InvalidRequest."""
    errors = validate_request(request, policy)
    if not errors:
        try:
            return extract(_plain(request), t.vocabulary)
        except (Unreadable, KeyError, TypeError, AttributeError, ValueError):
            errors = [
                FieldError("", (), "要求を解釈できません。", "The request could not be read.")
            ]
    raise InvalidRequest(errors, index)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _decide(f: Facts, t: Tables) -> dict[str, Any]:
    fired: list[Any] = [f.action]
    for fn in t.table[f.rule_index]:
        p = fn(f)
        if p is not None:
            fired.append(p)
    if f.restrictions:
        for fn in t.restricted[f.action]:
            p = fn(f)
            if p is not None:
                fired.append(p)
    key = tuple(fired)
    d = t.memo.get(key) or t.combine(key)
    return {
        "verdict": d[0],
        "permission_from": list(d[1]),
        "measures": list(d[2]),
        "citations": list(d[3]),
        "reason": {"ja": d[4], "en": d[5]},
    }


def decide_many(
    requests: Iterable[Mapping[str, Any]], policy: Policy | None = None
) -> list[dict[str, Any]]:
    """Decisions for many requests, in order. The first bad request raises InvalidRequest
    with its index; nothing is returned for the others."""
    t = BASELINE if policy is None else policy.tables
    run, vocabulary = _decide, t.vocabulary
    out: list[dict[str, Any]] = []
    append = out.append
    # Decisions hold no reference cycles, so the cyclic collector has nothing to find in
    # them; left on, it rescans the growing list and halves the throughput.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for index, request in enumerate(requests):
            try:
                f = extract(request, vocabulary)
            except (Unreadable, KeyError, TypeError, AttributeError, ValueError):
                f = _slow_extract(request, t, policy, index)
            append(run(f, t))
    finally:
        if collecting:
            gc.enable()
    return out


def facts_of(request: Mapping[str, Any], policy: Policy | None = None) -> Facts:
    """The normalised facts of a valid request (for tests and tools)."""
    t = BASELINE if policy is None else policy.tables
    try:
        return extract(request, t.vocabulary)
    except (Unreadable, KeyError, TypeError, AttributeError, ValueError):
        return _slow_extract(request, t, policy)


def fired_rules(request: Mapping[str, Any], policy: Policy | None = None) -> list[str]:
    """The ids of the rules that spoke to a request, in order: why the decision is what it
    is (for the UI's details, and for tests)."""
    t = BASELINE if policy is None else policy.tables
    f = facts_of(request, policy)
    fns = (*t.table[f.rule_index], *(t.restricted[f.action] if f.restrictions else ()))
    return [p.rule_id for p in (fn(f) for fn in fns) if p is not None]


def measure_labels(language: str = "ja", policy: Policy | None = None) -> dict[str, str]:
    """code → checklist text, in the order decisions list them."""
    t = BASELINE if policy is None else policy.tables
    index = 1 if language.startswith("en") else 0
    return {code: labels[index] for code, labels in t.measures.items()}


def validate_request(request: Any, policy: Policy | None = None) -> list[FieldError]:
    """Every problem with a request, each naming the field and the allowed values. An
    empty list means decide() will answer."""
    return validate(request, (BASELINE if policy is None else policy.tables).vocabulary)


def rule_ids(
    action: str, rulebooks: Iterable[str] = DEFAULT_RULEBOOKS, policy: Policy | None = None
) -> list[str]:
    """The rules that can apply to an action, in the order they run (documentation, tests)."""
    t = BASELINE if policy is None else policy.tables
    mask = 0
    for book in set(rulebooks):
        mask |= RULEBOOK_BITS.get(book, 0)
    return [
        r.id
        for r in t.rules
        if action in r.actions
        and (RULEBOOK_BITS.get(r.rulebook, 0) & mask or r.rulebook == "agency")
    ] + [r.id for r in t.restriction_rules if action in r.actions]


assert set(RANK) == set(VERDICTS)
