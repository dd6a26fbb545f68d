"""Handling restrictions (取扱制限): staff follow what is marked on the information
(統一基準(R7) 3.1.1(4)(a)). What each restriction does is data, in
catalogs/restrictions.yaml (or an agency's policy file); this module turns each effect
into a rule. Restriction rules run only when the request carries restrictions, in
vocabulary order, so the order of a request's list never changes the answer.
"""

from __future__ import annotations

from collections.abc import Mapping

from mamori.rules import roles
from mamori.rules.classification import RESTRICTIONS_CLAUSE, Effect, RestrictionKind
from mamori.rules.handling_rules.base import (
    ACTIONS,
    CHANNELS,
    RECIPIENTS,
    Facts,
    Partial,
    Rule,
    RuleFunction,
    expand_reads,
    measure_catalogue,
    partial,
)


def _text(
    kind: RestrictionKind, effect: Effect, action: str, measures: Mapping[str, tuple[str, str]]
) -> tuple[str, str]:
    marking = kind.format(None)
    action_ja, action_en = ACTIONS[action]
    if effect.verdict == "deny":
        return (
            f"「{marking}」の取扱制限があるため、{action_ja}ことはできません。"
            "取扱制限を見直す必要があると考えるときは、決定者等に相談してください。",
            f"The handling restriction “{kind.en}” ({marking}) rules this out: you may not "
            f"{action_en}. If you think the restriction should change, ask the "
            "classification decision maker.",
        )
    if effect.verdict == "needs_permission":
        who_ja = "・".join(roles.get(code).ja for code in effect.permission_from)
        who_en = ", ".join(roles.get(code).en for code in effect.permission_from)
        return (
            f"「{marking}」の取扱制限があるため、{who_ja}の許可が必要です。",
            f"The handling restriction “{kind.en}” ({marking}) means you need permission "
            f"from: {who_en}.",
        )
    labels_ja = "、".join(measures[code][0] for code in effect.measures)
    labels_en = "; ".join(measures[code][1] for code in effect.measures)
    return (
        f"「{marking}」の取扱制限に従ってください（{labels_ja}）。",
        f"Follow the handling restriction “{kind.en}” ({marking}): {labels_en}.",
    )


def _matcher(code: str, effect: Effect, by_action: dict[str, Partial]) -> RuleFunction:
    recipients = frozenset(effect.recipients) if effect.recipients is not None else None
    channels = frozenset(effect.channels) if effect.channels is not None else None

    def applies(f: Facts) -> Partial | None:
        if code not in f.restrictions:
            return None
        if recipients is not None and f.recipient not in recipients:
            return None
        if channels is not None and f.channel not in channels:
            return None
        return by_action.get(f.action)

    return applies


def restriction_rules(
    kinds: Mapping[str, RestrictionKind], measures: Mapping[str, tuple[str, str]] | None = None
) -> list[Rule]:
    """One rule per effect of each restriction, in vocabulary order, checked."""
    known = measure_catalogue() if measures is None else measures
    built: list[Rule] = []
    for kind in kinds.values():
        citations = (
            (kind.citation,)
            if kind.citation == RESTRICTIONS_CLAUSE
            else (kind.citation, RESTRICTIONS_CLAUSE)
        )
        for number, effect in enumerate(kind.effects, 1):
            rule_id = f"restriction_{kind.code}_{number}"
            bad = [a for a in effect.actions if a not in ACTIONS]
            bad += [r for r in effect.recipients or () if r not in RECIPIENTS]
            bad += [c for c in effect.channels or () if c not in CHANNELS]
            if bad:
                raise ValueError(f"{rule_id}: unknown actions, recipients or channels {bad}")
            by_action = {}
            for action in effect.actions:
                ja, en = _text(kind, effect, action, known)
                by_action[action] = partial(
                    rule_id,
                    effect.verdict,
                    citations,
                    ja,
                    en,
                    permission_from=effect.permission_from,
                    measures=effect.measures,
                    known_measures=known,
                )
            reads = ["restrictions"]
            if effect.recipients is not None:
                reads.append("recipient")
            if effect.channels is not None:
                reads.append("channel")
            built.append(
                Rule(
                    rule_id,
                    "toitsu",
                    effect.actions,
                    expand_reads(reads),
                    _matcher(kind.code, effect, by_action),
                )
            )
    return built
