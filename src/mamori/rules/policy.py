"""An agency's own handling policy, layered on the baseline rules. Pure Python.

An agency may tighten any rule in its policy file (its 対策基準 may be stricter than the
統一基準, never looser). The file is YAML:

    agency: 例示省
    measures:                 # optional: the agency's own measure codes
      - {code: log_transfer, ja: 持ち出しを記録簿に記入する, en: Record it in the log}
    restrictions:             # optional: its own 取扱制限, shaped as catalogs/restrictions.yaml
      - {code: board_only, marking: 幹部限り, ja: …, en: …, effects: [...]}
    rules:
      - id: c2-outside-needs-permission
        actions: [process_outside_area]       # or "*"
        when: {confidentiality: [2], org_kind: national}
        verdict: needs_permission             # the least the agency requires here
        permission_from: [section_isec_officer]
        measures: [log_transfer]
        citation: 例示省情報セキュリティ対策基準 第12条第2項
        reason: {ja: …, en: …}

`when` keys: org_kind, confidentiality, integrity, availability, medium, location,
terminal, channel, recipient, cloud, media, treat_c3_as_national, outsourced (one value or
a list: any of them), and types, restrictions, rulebooks (a list: all of them present;
`personal` matches My Number information too).

A rule only adds. Its `verdict` is a floor: the decision is the stricter of it and the
baseline, so a policy can never lower what the baseline decides; its measures and
permissions are added to the baseline's.

Loading refuses anything written to loosen, naming the baseline clause it conflicts with:
`lower_verdict_to`, `remove_measures` and `remove_permission_from`, and a rule whose
verdict is `allow` and that adds nothing (it could only be meant to allow what the
baseline restricts). The clause is found exactly: each baseline rule declares the facts
it reads, so the loader walks every combination of those facts and of the facts the
agency's conditions read, and asks the rule itself.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from mamori.rules import roles
from mamori.rules.classification import RestrictionKind, merge_restrictions, restriction_vocabulary
from mamori.rules.handling import BASELINE, Tables
from mamori.rules.handling_rules.base import (
    ACTION_SPECS,
    ACTIONS,
    FEATURE_DOMAINS,
    RANK,
    VERDICTS,
    Facts,
    Partial,
    Rule,
    make_facts,
    measure_catalogue,
    partial,
)
from mamori.rules.handling_rules.restrictions import restriction_rules

_LOOSENING = ("lower_verdict_to", "remove_measures", "remove_permission_from")
_RULE_KEYS = {
    "id",
    "actions",
    "when",
    "verdict",
    "permission_from",
    "measures",
    "citation",
    "reason",
    *_LOOSENING,
}
_TOP_KEYS = {"agency", "measures", "restrictions", "rules"}
_SCALAR_CONDITIONS = (
    "org_kind",
    "confidentiality",
    "integrity",
    "availability",
    "medium",
    "location",
    "terminal",
    "channel",
    "recipient",
    "cloud",
    "media",
    "treat_c3_as_national",
    "outsourced",
)
_TYPE_FACTS = {
    "personal": "pii",
    "my_number": "my_number",
    "mod_secret": "mod_secret",
    "mod_caution": "mod_caution",
}
_TYPE_READS = {
    "personal": ("personal", "my_number"),
    "my_number": ("my_number",),
    "mod_secret": ("mod_secret",),
    "mod_caution": ("mod_caution",),
}
_RULEBOOK_FACTS = {"toitsu": "toitsu", "mod": "mod", "mic_pii": "mic"}
_GATE = {"toitsu": "toitsu", "mod": "mod", "mic_pii": "mic"}


class PolicyError(ValueError):
    """A policy that cannot be loaded. `clause` names the baseline clause it conflicts
    with, when it conflicts with one."""

    def __init__(self, message: str, clause: str | None = None) -> None:
        super().__init__(message)
        self.clause = clause


@dataclass(frozen=True)
class Condition:
    """What a policy rule matches: per fact, the values allowed; all of `restrictions`."""

    values: tuple[tuple[str, frozenset[Any]], ...]
    restrictions: frozenset[str] = frozenset()
    reads: tuple[str, ...] = ()  # raw features, for the loosening check

    def matches(self, f: Facts) -> bool:
        for name, allowed in self.values:
            if getattr(f, name) not in allowed:
                return False
        return self.restrictions <= f.restrictions


@dataclass(frozen=True)
class PolicyRule:
    id: str
    actions: tuple[str, ...]
    condition: Condition
    partial: Partial


@dataclass(frozen=True)
class Policy:
    agency: str
    rules: tuple[PolicyRule, ...]
    tables: Tables

    @property
    def vocabulary(self) -> Mapping[str, RestrictionKind]:
        return self.tables.vocabulary


def load_policy_file(path: str | Path) -> Policy:
    file = Path(path)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PolicyError(f"{file.name}: not valid YAML: {exc}") from None
    return load_policy(data, source=file.name)


def load_policy(data: Any, *, source: str = "policy") -> Policy:
    """A checked Policy from YAML-shaped data; PolicyError if it is malformed or would
    loosen any baseline rule."""
    if not isinstance(data, dict) or set(data) - _TOP_KEYS:
        raise PolicyError(f"{source}: a policy is a mapping with keys {sorted(_TOP_KEYS)}")
    agency = data.get("agency")
    if not isinstance(agency, str) or not agency:
        raise PolicyError(f"{source}: agency (the organisation's name) is required")
    measures = _measures(data.get("measures"), source)
    try:
        vocabulary = merge_restrictions(
            restriction_vocabulary(), data.get("restrictions") or [], source=source
        )
        extra_restrictions = restriction_rules(
            {code: kind for code, kind in vocabulary.items() if kind.source == source}, measures
        )
    except ValueError as exc:
        raise PolicyError(str(exc)) from None
    entries = data.get("rules") or []
    if not isinstance(entries, list):
        raise PolicyError(f"{source}: rules must be a list")
    rules: list[PolicyRule] = []
    for entry in entries:
        rules.append(_rule(entry, source, measures, vocabulary))
    if len({r.id for r in rules}) != len(rules):
        raise PolicyError(f"{source}: rule ids must be unique")
    functions = [
        Rule(f"policy:{r.id}", "agency", r.actions, r.condition.reads, _function(r)) for r in rules
    ]
    tables = Tables(
        (*BASELINE.rules, *functions),
        (*BASELINE.restriction_rules, *extra_restrictions),
        vocabulary,
        measures,
    )
    return Policy(agency, tuple(rules), tables)


def _measures(entries: Any, source: str) -> dict[str, tuple[str, str]]:
    measures = dict(measure_catalogue())
    for entry in entries or []:
        if (
            not isinstance(entry, dict)
            or not {"code", "ja", "en"} <= set(entry)
            or set(entry) - {"code", "ja", "en"}
        ):
            raise PolicyError(f"{source}: each measure is {{code, ja, en}}, got {entry!r}")
        if entry["code"] in measures:
            raise PolicyError(f"{source}: measure {entry['code']} already exists; add a new code")
        measures[entry["code"]] = (str(entry["ja"]), str(entry["en"]))
    return measures


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _condition(when: Any, where: str, vocabulary: Mapping[str, RestrictionKind]) -> Condition:
    if when is None:
        return Condition(())
    if not isinstance(when, dict):
        raise PolicyError(f"{where}: when is a mapping")
    values: list[tuple[str, frozenset[Any]]] = []
    reads: list[str] = []
    needed: frozenset[str] = frozenset()
    for key, raw in when.items():
        if key in _SCALAR_CONDITIONS:
            allowed = _list(raw)
            domain = FEATURE_DOMAINS[key]
            bad = [
                v
                for v in allowed
                if v not in domain
                or v is None
                or isinstance(v, bool) != isinstance(domain[-1], bool)
            ]
            if bad or not allowed:
                raise PolicyError(
                    f"{where}: when.{key} takes {[v for v in domain if v is not None]}, got {bad}"
                )
            values.append((key, frozenset(allowed)))
            reads.append(key)
        elif key in ("types", "rulebooks"):
            table = _TYPE_FACTS if key == "types" else _RULEBOOK_FACTS
            for code in _list(raw):
                if code not in table:
                    raise PolicyError(f"{where}: when.{key} takes {sorted(table)}, got {code!r}")
                values.append((table[code], frozenset({True})))
                reads += _TYPE_READS[code] if key == "types" else [table[code]]
        elif key == "restrictions":
            codes = _list(raw)
            unknown = [c for c in codes if c not in vocabulary]
            if unknown:
                raise PolicyError(
                    f"{where}: when.restrictions takes {sorted(vocabulary)}, got {unknown}"
                )
            needed = frozenset(codes)
            reads.append("restrictions")
        else:
            raise PolicyError(f"{where}: unknown condition {key!r}")
    return Condition(tuple(values), needed, tuple(dict.fromkeys(reads)))


def _rule(
    entry: Any,
    source: str,
    measures: Mapping[str, tuple[str, str]],
    vocabulary: Mapping[str, RestrictionKind],
) -> PolicyRule:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise PolicyError(f"{source}: each rule is a mapping with an id")
    where = f"{source}: rule {entry['id']}"
    unknown = set(entry) - _RULE_KEYS
    if unknown:
        raise PolicyError(f"{where}: unknown keys {sorted(unknown)}")
    raw_actions = entry.get("actions")
    actions = tuple(ACTIONS) if raw_actions == "*" else tuple(_list(raw_actions or []))
    bad = [a for a in actions if a not in ACTIONS]
    if bad or not actions:
        raise PolicyError(
            f"{where}: actions are '*' or a list of {list(ACTIONS)}; got {bad or 'none'}"
        )
    condition = _condition(entry.get("when"), where, vocabulary)
    for code in _list(entry.get("permission_from") or []):
        if code not in roles.catalogue():
            raise PolicyError(f"{where}: unknown role {code!r}")
    permission_from = tuple(_list(entry.get("permission_from") or []))
    needed = tuple(_list(entry.get("measures") or []))
    verdict = entry.get("verdict") or (
        "needs_permission" if permission_from else "allow_with_measures" if needed else "allow"
    )
    if verdict not in RANK:
        raise PolicyError(f"{where}: verdict is one of {VERDICTS}")
    for key in _LOOSENING:
        if key in entry:
            _refuse(where, key, entry[key], actions, condition)
    if verdict == "allow" and not permission_from and not needed:
        _refuse(where, "verdict", "allow", actions, condition)
    reason = entry.get("reason")
    citation = entry.get("citation")
    if not isinstance(citation, str) or not citation:
        raise PolicyError(f"{where}: citation (the agency's own clause) is required")
    if not isinstance(reason, dict) or not reason.get("ja") or not reason.get("en"):
        raise PolicyError(f"{where}: reason needs ja and en")
    try:
        made = partial(
            f"policy:{entry['id']}",
            verdict,
            citation,
            str(reason["ja"]),
            str(reason["en"]),
            permission_from=permission_from,
            measures=needed,
            known_measures=measures,
        )
    except ValueError as exc:
        raise PolicyError(f"{where}: {exc}") from None
    return PolicyRule(entry["id"], actions, condition, made)


def _function(rule: PolicyRule) -> Any:
    matches, made = rule.condition.matches, rule.partial

    def agency_rule(f: Facts) -> Partial | None:
        return made if matches(f) else None

    return agency_rule


# --- the loosening check -------------------------------------------------------------------


def _domain(
    action: str, feature: str, vocabulary: Mapping[str, RestrictionKind], needed: frozenset[str]
) -> tuple[Any, ...]:
    spec = ACTION_SPECS[action]
    if feature == "location":
        return spec.locations
    if feature == "terminal" and spec.terminal is not None:
        return (spec.terminal,)
    if feature == "restrictions":
        # none, each one alone, what the condition needs (with each other one), all of them:
        # enough for rules that ask whether one or two codes are present.
        codes = list(vocabulary)
        sets = [
            frozenset(),
            *(frozenset({c}) for c in codes),
            needed,
            *(needed | {c} for c in codes),
            frozenset(codes),
        ]
        return tuple(dict.fromkeys(sets))
    domain = FEATURE_DOMAINS[feature]
    return tuple(v for v in domain if v is not None) if feature in spec.requires else domain


@cache
def _firing(action: str, rule_id: str) -> tuple[tuple[dict[str, Any], Partial], ...]:
    """Every combination of the facts a baseline rule reads (its rulebook on, the rest at
    their defaults) on which it speaks. Computed once per rule and action."""
    baseline = _BASELINE_RULES[rule_id]
    gate = _GATE.get(baseline.rulebook) if baseline in BASELINE.rules else None
    features = [name for name in baseline.reads if name != gate]
    forced = {gate: True} if gate is not None else {}
    domains = [_domain(action, name, BASELINE.vocabulary, frozenset()) for name in features]
    found = []
    for combination in itertools.product(*domains):
        raw = dict(zip(features, combination, strict=True), **forced)
        if raw.get("medium") == "paper" and (
            raw.get("integrity") == 2 or raw.get("availability") == 2
        ):
            continue
        spoken = baseline.fn(make_facts(action, **raw))
        if spoken is not None:
            found.append((raw, spoken))
    return tuple(found)


def _witnesses(
    action: str, baseline: Rule, condition: Condition, vocabulary: Mapping[str, RestrictionKind]
) -> Iterator[tuple[Facts, Partial]]:
    """Requests the agency's condition matches on which the baseline rule speaks: each
    combination on which the rule speaks (_firing), completed with values the condition
    allows for the facts only it reads, then checked on the rule itself."""
    for raw, _ in _firing(action, baseline.id):
        witness = dict(raw)
        for name, allowed in condition.values:
            if name == "pii":
                if "personal" not in raw and "my_number" not in raw:
                    witness["personal"] = True
                continue
            if name in raw:
                continue
            choices = [v for v in _domain(action, name, vocabulary, frozenset()) if v in allowed]
            if not choices:
                break
            witness[name] = choices[0]
        else:
            if condition.restrictions:
                witness["restrictions"] = (
                    raw.get("restrictions", frozenset()) | condition.restrictions
                )
            if witness.get("medium") == "paper" and (
                witness.get("integrity") == 2 or witness.get("availability") == 2
            ):
                continue
            f = make_facts(action, **witness)
            spoken = baseline.fn(f) if condition.matches(f) else None
            if spoken is not None:
                yield f, spoken


def _describe(f: Facts, features: tuple[str, ...]) -> str:
    shown = [
        f"{name}={sorted(getattr(f, name)) if name == 'restrictions' else getattr(f, name)}"
        for name in features
    ]
    return ", ".join(shown) or "any request"


_BASELINE_RULES = {r.id: r for r in (*BASELINE.rules, *BASELINE.restriction_rules)}


def _baseline_rules(action: str, condition: Condition) -> list[Rule]:
    """The baseline rules for an action, those that read what the agency's condition
    names first: the clause reported is then the one the agency was writing about."""
    found = [r for r in (*BASELINE.rules, *BASELINE.restriction_rules) if action in r.actions]
    return sorted(found, key=lambda r: not set(r.reads) & set(condition.reads))


def _refuse(
    where: str, key: str, value: Any, actions: tuple[str, ...], condition: Condition
) -> None:
    """Raise PolicyError for a loosening key, naming a baseline clause it runs into."""
    if key in ("lower_verdict_to", "verdict"):
        if value not in RANK:
            raise PolicyError(f"{where}: {key} is one of {VERDICTS}")
        ceiling = RANK[value]

        def conflicts(found: Partial) -> list[str]:
            return [found.verdict] if found.rank > ceiling else []
    else:
        field = "measures" if key == "remove_measures" else "permission_from"
        codes = _list(value)

        def conflicts(found: Partial) -> list[str]:
            return [c for c in codes if c in getattr(found, field)]

    vocabulary = BASELINE.vocabulary
    for action in actions:
        for baseline in _baseline_rules(action, condition):
            for f, found in _witnesses(action, baseline, condition, vocabulary):
                hit = conflicts(found)
                if hit:
                    raise PolicyError(
                        f"{where}: {key}: {value} would loosen the baseline, which requires {hit} for "
                        f"{action} when {_describe(f, baseline.reads)} ({', '.join(found.citations)}). "
                        "A policy may only tighten: raise a verdict, add permissions or measures.",
                        found.citations[0],
                    )
    raise PolicyError(
        f"{where}: {key}: {value} has no effect (the baseline has nothing stricter where "
        "the rule applies); a policy may only tighten, so remove it"
    )
