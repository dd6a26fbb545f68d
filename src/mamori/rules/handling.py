"""The handling decision engine: may I do this with this information, and whose permission
or which measures do I need? Pure and deterministic; no Django.

    decide(request) -> {"verdict", "permission_from", "measures", "citations", "reason"}

The request and decision shapes, action codes, verdicts and measure codes are a contract
(mail gateways, DLP tools, the CLI and the UI rely on them): add codes, never rename.

How a decision is made. The request is checked and turned into `Facts` once. Each rule
(handling_rules/*) is a small function that returns a ready-made partial decision or
None; the engine keeps, per action and per set of rulebooks, the tuple of rules that can
apply, runs them, and combines what fired: the strictest verdict wins (deny >
needs_permission > allow_with_measures > allow), permissions and measures are united,
every clause is cited. Combinations are memoised by the tuple of partials that fired, so
the reason text is joined from fixed fragments once per combination. When nothing
restricts the action the answer is allow, citing the general duty (統一基準(R7)
3.1.1(4)(a), (2)(a)).

An agency's policy (rules/policy.py) adds rules to these tables; it can only tighten.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mamori.rules import roles
from mamori.rules.classification import (
    CORPORATE_KINDS,
    ORG_KINDS,
    RestrictionKind,
    restriction_vocabulary,
)
from mamori.rules.handling_rules import BASE_RESTRICTION_RULES, BASE_RULES
from mamori.rules.handling_rules.base import (
    ACTION_NUMBER,
    ACTION_SPECS,
    ACTIONS,
    CARRY_CHANNELS,
    CHANNELS,
    CLOUDS,
    FLAG_BITS,
    INDEX_SHIFT,
    KNOWN_RULEBOOKS,
    LOCATIONS,
    MEDIA_STATES,
    MEDIUMS,
    MYNUMBER_HANDLER,
    RANK,
    RECIPIENTS,
    RULEBOOK_BITS,
    SENDING,
    TERMINALS,
    TYPES,
    VERDICTS,
    Facts,
    Partial,
    Rule,
    RuleFunction,
    make_facts,
    measure_catalogue,
    partial,
)
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

TOP_KEYS = frozenset({"org_kind", "rulebooks", "info", "action", "context"})
INFO_KEYS = frozenset(
    {"confidentiality", "integrity", "availability", "medium", "restrictions", "types"}
)
CONTEXT_KEYS = frozenset(
    {
        "location",
        "terminal",
        "channel",
        "recipient",
        "cloud",
        "media",
        "treat_c3_as_national",
        "actor_roles",
        "outsourced",
    }
)
_ENUMS: dict[str, tuple[str, ...]] = {
    "location": LOCATIONS,
    "terminal": TERMINALS,
    "channel": CHANNELS,
    "recipient": RECIPIENTS,
    "cloud": CLOUDS,
    "media": MEDIA_STATES,
}
_CORP = {kind: kind in CORPORATE_KINDS for kind in ORG_KINDS}
_EMPTY: frozenset[str] = frozenset()
_NO_CONTEXT: dict[str, Any] = {}
_RULEBOOK_MASK = {code: RULEBOOK_BITS.get(code, 0) for code in KNOWN_RULEBOOKS}


@dataclass(frozen=True)
class FieldError:
    """One problem with a request: the field (dotted path), what it may be, and why."""

    field: str
    allowed: tuple[Any, ...]
    ja: str
    en: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "allowed": list(self.allowed),
            "message": {"ja": self.ja, "en": self.en},
        }

    def __str__(self) -> str:
        return self.en


class InvalidRequest(ValueError):
    def __init__(self, errors: Sequence[FieldError], index: int | None = None) -> None:
        self.errors = list(errors)
        self.index = index
        where = "" if index is None else f"request {index}: "
        super().__init__(where + "; ".join(str(error) for error in self.errors))


class _Bad(Exception):
    """Raised by the fast path; validate_request then says exactly what is wrong."""


class _RuleTable(dict[int, tuple[RuleFunction, ...]]):
    """Facts.rule_index → the rule functions that can fire, filled on first use: rules for
    that action, in a rulebook that is on, whose required flags are all set. An agency's
    own rules (rulebook "agency") apply whatever the rulebooks, and require nothing."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        super().__init__()
        self.by_action = {
            action: [
                (r.fn, RULEBOOK_BITS.get(r.rulebook, 7), r.requires)
                for r in rules
                if action in r.actions
            ]
            for action in ACTIONS
        }

    def __missing__(self, index: int) -> tuple[RuleFunction, ...]:
        flags = index & ((1 << INDEX_SHIFT) - 1)
        candidates = self.by_action[ACTION_LIST[index >> INDEX_SHIFT]]
        found = tuple(
            fn for fn, books, needed in candidates if books & flags and needed & flags == needed
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


ACTION_LIST = tuple(ACTIONS)
_CONTEXT_FLAGS = (
    "carrying",
    "transmitting",
    "on_medium",
    "outside",
    "issued_outside",
    "non_issued",
    "on_cloud",
)


class _Contexts(dict[tuple[Any, ...], tuple[Any, ...]]):
    """(action, medium, channel, location, terminal, cloud, media, recipient) as given →
    the checked and defaulted context: location, terminal, the facts the base predicates
    derive from them (carries, transmits, …) and their index bits. Filled on first use, so
    the predicates in handling_rules.base stay the one place these are defined. A key that
    does not check out raises _Bad and is not stored."""

    def __missing__(self, key: tuple[Any, ...]) -> tuple[Any, ...]:
        action, medium, channel, location, terminal, cloud, media, recipient = key
        spec = ACTION_SPECS[action]
        for name, value in (
            ("channel", channel),
            ("terminal", terminal),
            ("cloud", cloud),
            ("media", media),
            ("recipient", recipient),
            ("location", location),
        ):
            if value is not None and (value.__class__ is not str or value not in _ENUMS[name]):
                raise _Bad
        if location is None:
            location = (
                "outside"
                if action in SENDING and channel in CARRY_CHANNELS
                else spec.default_location
            )
        elif location not in spec.locations:
            raise _Bad
        if terminal is None:
            terminal = spec.terminal
        elif spec.terminal is not None and terminal != spec.terminal:
            raise _Bad
        given = {"channel": channel, "cloud": cloud, "media": media, "recipient": recipient}
        if any(given[name] is None for name in spec.requires):
            raise _Bad
        f = make_facts(action, medium=medium, location=location, terminal=terminal, **given)
        bits = ACTION_NUMBER[action] << INDEX_SHIFT
        for name in _CONTEXT_FLAGS:
            if getattr(f, name):
                bits |= FLAG_BITS[name]
        found = (location, terminal, *(getattr(f, name) for name in _CONTEXT_FLAGS), bits)
        self[key] = found
        return found


_CONTEXTS = _Contexts()
# _extract writes these bits as literals, for speed.
assert {k: FLAG_BITS[k] for k in ("protected", "kimitsu", "high", "pii", "electronic", "corp")} == {
    "protected": 8,
    "kimitsu": 16,
    "high": 32,
    "pii": 64,
    "electronic": 128,
    "corp": 256,
}


def _extract(request: Any, t: Tables, contexts: _Contexts = _CONTEXTS) -> Facts:
    """The request as Facts, or _Bad/KeyError/TypeError if anything is off. Kept in step
    with validate_request by tests; that function says what is wrong."""
    if request.__class__ is not dict or not TOP_KEYS.issuperset(request):
        raise _Bad
    org_kind = request["org_kind"]
    corp = _CORP[org_kind]
    books = request.get("rulebooks")
    if books is None:
        mask = 1
    else:
        if books.__class__ is not list or not books:
            raise _Bad
        mask = 0
        for code in books:
            mask |= _RULEBOOK_MASK[code]
    info = request["info"]
    if info.__class__ is not dict or not INFO_KEYS.issuperset(info):
        raise _Bad
    c = info["confidentiality"]
    if c.__class__ is not int or c < 1 or c > 3:
        raise _Bad
    i = info.get("integrity")
    a = info.get("availability")
    medium = info.get("medium", "electronic")
    if medium == "electronic":
        if i is None:
            i = 1
        elif i.__class__ is not int or (i != 1 and i != 2):
            raise _Bad
        if a is None:
            a = 1
        elif a.__class__ is not int or (a != 1 and a != 2):
            raise _Bad
    elif medium == "paper" and i is None and a is None:
        i = a = 1
    else:
        raise _Bad
    listed = info.get("restrictions")
    restrictions = _EMPTY if listed is None or listed == [] else _restrictions(listed, t.vocabulary)
    personal = my_number = secret = caution = False
    types = info.get("types")
    if types:
        if types.__class__ is not list:
            raise _Bad
        for code in types:
            if code == "personal":
                personal = True
            elif code == "my_number":
                my_number = True
            elif code == "mod_secret":
                secret = True
            elif code == "mod_caution":
                caution = True
            else:
                raise _Bad
    elif types is not None and types != []:
        raise _Bad
    action = request["action"]
    ctx = request.get("context")
    if ctx is None:
        ctx = _NO_CONTEXT
    elif ctx.__class__ is not dict or not CONTEXT_KEYS.issuperset(ctx):
        raise _Bad
    channel = ctx.get("channel")
    cloud = ctx.get("cloud")
    media = ctx.get("media")
    recipient = ctx.get("recipient")
    (
        location,
        terminal,
        carrying,
        transmitting,
        on_medium,
        outside,
        issued_outside,
        non_issued,
        on_cloud,
        index,
    ) = contexts[
        (action, medium, channel, ctx.get("location"), ctx.get("terminal"), cloud, media, recipient)
    ]
    treat = ctx.get("treat_c3_as_national", False)
    outsourced = ctx.get("outsourced", False)
    if (treat is not False and treat is not True) or (
        outsourced is not False and outsourced is not True
    ):
        raise _Bad
    actor_roles = ctx.get("actor_roles")
    handler = False
    if actor_roles:
        if actor_roles.__class__ is not list:
            raise _Bad
        known = roles.catalogue()
        for code in actor_roles:
            if code.__class__ is not str or code not in known:
                raise _Bad
        handler = MYNUMBER_HANDLER in actor_roles
    elif actor_roles is not None and actor_roles != []:
        raise _Bad
    kimitsu = c >= 2
    high = c == 3 or i == 2 or a == 2
    electronic = medium == "electronic"
    pii = personal or my_number
    index |= mask
    if kimitsu:
        index |= 24  # protected, kimitsu
    if high:
        index |= 40  # protected, high
    if pii:
        index |= 64
    if electronic:
        index |= 128
    if corp:
        index |= 256
    return tuple.__new__(
        Facts,
        (  # in the order of Facts' fields
            action,
            org_kind,
            bool(mask & 1),
            bool(mask & 2),
            bool(mask & 4),
            c,
            i,
            a,
            medium,
            restrictions,
            personal,
            my_number,
            secret,
            caution,
            location,
            terminal,
            channel,
            recipient,
            cloud,
            media,
            treat,
            handler,
            outsourced,
            corp,
            kimitsu,
            c == 3,
            high,
            kimitsu or high,
            electronic,
            pii,
            carrying,
            transmitting,
            on_medium,
            outside,
            issued_outside,
            non_issued,
            on_cloud,
            index,
        ),
    )


def _restrictions(listed: Any, vocabulary: Mapping[str, RestrictionKind]) -> frozenset[str]:
    if listed.__class__ is not list:
        raise _Bad
    codes = set()
    for entry in listed:
        if entry.__class__ is str:
            code = entry
            if code not in vocabulary:
                raise _Bad
        elif entry.__class__ is dict and {"code"} <= entry.keys() <= {"code", "detail"}:
            code = entry["code"]
            detail = entry.get("detail")
            kind = vocabulary[code]
            if detail is not None and (
                detail.__class__ is not str or not detail or not kind.takes_detail
            ):
                raise _Bad
        else:
            raise _Bad
        codes.add(code)
    return frozenset(codes)


def decide(request: Mapping[str, Any], policy: Policy | None = None) -> dict[str, Any]:
    """One decision. Raises InvalidRequest (naming each bad field and its allowed values)
    for a request that does not fit the contract."""
    t = BASELINE if policy is None else policy.tables
    try:
        f = _extract(request, t)
    except (_Bad, KeyError, TypeError, AttributeError, ValueError):
        raise InvalidRequest(validate_request(request, policy) or _MISMATCH) from None
    return _decide(f, t)


_MISMATCH = [FieldError("", (), "要求を解釈できません。", "The request could not be read.")]


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
    extract, run = _extract, _decide
    out: list[dict[str, Any]] = []
    append = out.append
    # Decisions hold no reference cycles, so the cyclic collector has nothing to find in
    # them; left on, it rescans the growing list and halves the throughput.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for index, request in enumerate(requests):
            try:
                f = extract(request, t)
            except (_Bad, KeyError, TypeError, AttributeError, ValueError):
                raise InvalidRequest(
                    validate_request(request, policy) or _MISMATCH, index
                ) from None
            append(run(f, t))
    finally:
        if collecting:
            gc.enable()
    return out


def facts_of(request: Mapping[str, Any], policy: Policy | None = None) -> Facts:
    """The normalised facts of a valid request (for tests and tools)."""
    t = BASELINE if policy is None else policy.tables
    try:
        return _extract(request, t)
    except (_Bad, KeyError, TypeError, AttributeError, ValueError):
        raise InvalidRequest(validate_request(request, policy) or _MISMATCH) from None


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


# --- validation ------------------------------------------------------------------------


def _error(errors: list[FieldError], field: str, allowed: Iterable[Any], ja: str, en: str) -> None:
    """Each message names its field, so it reads alone in a log or an error line."""
    errors.append(
        FieldError(
            field,
            tuple(allowed),
            ja if field in ja else f"{field}: {ja}",
            en if field in en else f"{field}: {en}",
        )
    )


def _check_enum(
    errors: list[FieldError],
    where: str,
    value: Any,
    allowed: Sequence[Any],
    *,
    optional: bool = True,
) -> None:
    if value is None and optional:
        return
    if value.__class__ is not str or value not in allowed:
        _error(
            errors,
            where,
            allowed,
            f"{where} は次のいずれかです: {', '.join(map(str, allowed))}",
            f"{where} must be one of: {', '.join(map(str, allowed))} (got {value!r})",
        )


def _check_keys(
    errors: list[FieldError], where: str, given: Iterable[Any], known: frozenset[str]
) -> None:
    for key in given:
        if key not in known:
            _error(
                errors,
                f"{where}{key}",
                sorted(known),
                f"{where}{key} という項目はありません",
                f"unknown field {where}{key}; known fields: {', '.join(sorted(known))}",
            )


def validate_request(request: Any, policy: Policy | None = None) -> list[FieldError]:
    """Every problem with a request, each naming the field and the allowed values. An
    empty list means decide() will answer."""
    vocabulary = (BASELINE if policy is None else policy.tables).vocabulary
    errors: list[FieldError] = []
    if not isinstance(request, dict):
        _error(
            errors,
            "(request)",
            ("object",),
            "要求はJSONオブジェクトです",
            "a request is a JSON object",
        )
        return errors
    _check_keys(errors, "", request, TOP_KEYS)
    _check_enum(errors, "org_kind", request.get("org_kind"), tuple(ORG_KINDS), optional=False)
    books = request.get("rulebooks")
    if books is not None:
        if not isinstance(books, list) or not books:
            _error(
                errors,
                "rulebooks",
                KNOWN_RULEBOOKS,
                "rulebooks は1つ以上の規程のリストです",
                "rulebooks is a non-empty list of rulebook codes",
            )
        else:
            for n, code in enumerate(books):
                _check_enum(errors, f"rulebooks[{n}]", code, KNOWN_RULEBOOKS, optional=False)
    _check_enum(errors, "action", request.get("action"), tuple(ACTIONS), optional=False)
    info = request.get("info")
    if not isinstance(info, dict):
        _error(
            errors,
            "info",
            ("object",),
            "info（情報の格付等）が必要です",
            "info (the information's classification) is required and is an object",
        )
    else:
        _validate_info(errors, info, vocabulary)
    context = request.get("context")
    if context is not None and not isinstance(context, dict):
        _error(
            errors,
            "context",
            ("object", None),
            "context はオブジェクトです",
            "context is an object",
        )
    elif isinstance(request.get("action"), str) and request["action"] in ACTIONS:
        _validate_context(errors, context or {}, request["action"])
    return errors


def _validate_info(
    errors: list[FieldError], info: dict[str, Any], vocabulary: Mapping[str, RestrictionKind]
) -> None:
    _check_keys(errors, "info.", info, INFO_KEYS)
    c = info.get("confidentiality")
    if c.__class__ is not int or c not in (1, 2, 3):
        _error(
            errors,
            "info.confidentiality",
            (1, 2, 3),
            "機密性の格付は 1, 2, 3 のいずれかです",
            f"info.confidentiality must be 1, 2 or 3 (got {c!r})",
        )
    medium = info.get("medium", "electronic")
    _check_enum(errors, "info.medium", medium, MEDIUMS, optional=False)
    for name, label in (("integrity", "完全性"), ("availability", "可用性")):
        value = info.get(name)
        if medium == "paper" and value is not None:
            _error(
                errors,
                f"info.{name}",
                (None,),
                f"書面には{label}の格付はありません（null にしてください）",
                f"paper has no {name} classification: leave info.{name} null",
            )
        elif value is not None and (value.__class__ is not int or value not in (1, 2)):
            _error(
                errors,
                f"info.{name}",
                (1, 2, None),
                f"{label}の格付は 1, 2 又は null です",
                f"info.{name} must be 1, 2 or null (got {value!r})",
            )
    listed = info.get("restrictions")
    if listed is not None and not isinstance(listed, list):
        _error(
            errors,
            "info.restrictions",
            tuple(vocabulary),
            "restrictions はリストです",
            "info.restrictions is a list",
        )
    for n, entry in enumerate(listed if isinstance(listed, list) else []):
        where = f"info.restrictions[{n}]"
        code = entry.get("code") if isinstance(entry, dict) else entry
        if isinstance(entry, dict):
            _check_keys(errors, where + ".", entry, frozenset({"code", "detail"}))
        _check_enum(errors, where, code, tuple(vocabulary), optional=False)
        detail = entry.get("detail") if isinstance(entry, dict) else None
        if (
            detail is not None
            and isinstance(code, str)
            and code in vocabulary
            and (not isinstance(detail, str) or not detail or not vocabulary[code].takes_detail)
        ):
            _error(
                errors,
                where + ".detail",
                tuple(k for k, kind in vocabulary.items() if kind.takes_detail),
                "detail（〇〇限りの相手など）は、それを取る取扱制限にだけ文字列で付けます",
                "detail (with whom, for 〇〇限り) is a non-empty string, only for restrictions that take one",
            )
    types = info.get("types")
    if types is not None and not isinstance(types, list):
        _error(errors, "info.types", tuple(TYPES), "types はリストです", "info.types is a list")
    for n, code in enumerate(types if isinstance(types, list) else []):
        _check_enum(errors, f"info.types[{n}]", code, tuple(TYPES), optional=False)


def _validate_context(errors: list[FieldError], context: dict[str, Any], action: str) -> None:
    _check_keys(errors, "context.", context, CONTEXT_KEYS)
    spec = ACTION_SPECS[action]
    for name, allowed in _ENUMS.items():
        _check_enum(errors, f"context.{name}", context.get(name), allowed)
    location = context.get("location")
    if location in LOCATIONS and location not in spec.locations:
        _error(
            errors,
            "context.location",
            spec.locations,
            f"{action} の location は {', '.join(spec.locations)} のいずれかです",
            f"for {action}, context.location must be one of: {', '.join(spec.locations)}",
        )
    terminal = context.get("terminal")
    if spec.terminal is not None and terminal in TERMINALS and terminal != spec.terminal:
        _error(
            errors,
            "context.terminal",
            (spec.terminal, None),
            f"{action} は terminal={spec.terminal} を前提とします",
            f"{action} implies context.terminal {spec.terminal}",
        )
    for name in spec.requires:
        if context.get(name) is None:
            _error(
                errors,
                f"context.{name}",
                _ENUMS[name],
                f"{action} には context.{name} が必要です",
                f"{action} needs context.{name}: one of {', '.join(_ENUMS[name])}",
            )
    for name in ("treat_c3_as_national", "outsourced"):
        if name in context and not isinstance(context[name], bool):
            _error(
                errors,
                f"context.{name}",
                (True, False),
                f"context.{name} は true か false です",
                f"context.{name} must be true or false",
            )
    actor_roles = context.get("actor_roles")
    if actor_roles is not None and not isinstance(actor_roles, list):
        _error(
            errors,
            "context.actor_roles",
            ("list of role codes",),
            "actor_roles はリストです",
            "context.actor_roles is a list of role codes",
        )
    for n, code in enumerate(actor_roles if isinstance(actor_roles, list) else []):
        _check_enum(
            errors, f"context.actor_roles[{n}]", code, tuple(roles.catalogue()), optional=False
        )


def rule_ids(
    action: str, rulebooks: Iterable[str] = DEFAULT_RULEBOOKS, policy: Policy | None = None
) -> list[str]:
    """The rules that can apply to an action, in the order they run (documentation, tests)."""
    t = BASELINE if policy is None else policy.tables
    mask = 0
    for book in set(rulebooks):
        mask |= RULEBOOK_BITS.get(book, 0)
    return [
        r.id for r in t.rules if action in r.actions and RULEBOOK_BITS.get(r.rulebook, 7) & mask
    ] + [r.id for r in t.restriction_rules if action in r.actions]


assert set(RANK) == set(VERDICTS)
