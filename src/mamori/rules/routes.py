"""Reporting chains of an incident: who must tell whom, by when, under which clause.

`route(facts)` decides which steps apply from the organisation kind, the rulebooks it
follows and the case facts; the wording, clause, parties and due time of each step are
data in catalogs/incident_routes.yaml. `playbook(facts)` gives the 防衛省 internet-leak
procedure (通達 別紙). `due_at` turns a step's due into a time.

When a step's due starts: from the moment the step named in `after` was done, or, for a
first step (after is None) or a step with `due_from_report`, from the moment the
organisation became aware of the case (the report time).

Pure Python: no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from mamori.rules import incident_kinds
from mamori.rules.deadlines import add_working_days
from mamori.rules.roles import RULEBOOKS
from mamori.rules.roles import catalogue as role_catalogue

_CATALOGS = Path(__file__).with_name("catalogs")
JST = ZoneInfo("Asia/Tokyo")

NATIONAL = "national"
# 統一基準 2.2.4(2)(g): these report through the ministry that supervises them.
SUPERVISED = frozenset({"independent", "designated_listed", "designated_other"})
DUE_KINDS = ("immediate", "promptly", "hours", "days", "business_days", "none")
PII_KINDS = frozenset({"pii_leak", "my_number"})


@dataclass(frozen=True)
class CaseFacts:
    org_kind: str  # "national" | "independent" | "designated_listed" | "designated_other"
    rulebooks: frozenset[str]  # subset of {"toitsu", "mod", "mic_pii", "cip"}
    kind: str  # incident kind code from incident_kinds.KINDS
    damage_types: frozenset[str] = frozenset()  # 防衛省 第11の2(4): "d1" … "d6"
    damage_may_spread: bool = False  # 防衛省 第11の3(4): may affect other bodies' systems
    cyber_attack_suspected: bool = False  # police (統一基準 2.2.4(2)(h))
    large_scale_attack: bool = False  # 大規模サイバー攻撃事態 (2.2.4(2)(i))
    personal_info: bool = False
    pii_serious: bool = False  # 総務省 第39条第3項: serious → 総括保護管理者 at once
    ppc_report_required: bool = False  # 個人情報保護法 第68条 (委員会 report, notice to persons)
    my_number: bool = False  # 特定個人情報 → 委員会事務局 (総務省 第45条)
    internet_leak: bool = False  # 防衛省 別紙
    supervising_ministry: str = ""  # 独立行政法人/指定法人: the 所管省庁's name
    # additions to the first interface
    serious_damage: bool = False  # 防衛省 第11の3(5): 重大な被害 → recurrence report
    importance: str = ""  # 防衛省 第11の2(6): "info" | "caution" | "alert" ("" = not yet set)
    secret_leak: bool = False  # 防衛省 別紙 4(1): secrets leaked or may have
    pii_unlawful_purpose: bool = False  # 確報 within 60 days instead of 30
    publication_decided: bool = False  # 総務省 第40条: the case is published


@dataclass(frozen=True)
class Due:
    kind: str  # one of DUE_KINDS
    amount: int = 0  # hours, days or business days; 0 otherwise


@dataclass(frozen=True)
class Step:
    key: str  # stable id, unique within one route
    order: int  # 1, 2, 3 … (steps with the same order may run in parallel)
    sender: str  # role code, "reporter", or a party code
    recipient: str  # role code (internal) or party code (outside body)
    internal: bool  # True: a person in mamori receives it; False: an outside body
    due: Due
    citation: str
    title_ja: str
    title_en: str
    after: str | None = None  # key of the step that must be done first
    condition_ja: str = ""  # why this step applies (shown to the user)
    condition_en: str = ""
    # additions to the first interface
    rulebook: str = ""  # "toitsu" | "mod" | "mic_pii"
    importance: str = ""  # 防衛省 第11の2(6) label for the 情報保証統括責任者's notices
    due_from_report: bool = False  # the due counts from awareness even though `after` is set

    def title(self, language: str) -> str:
        return self.title_en if language.startswith("en") else self.title_ja

    def condition(self, language: str) -> str:
        return self.condition_en if language.startswith("en") else self.condition_ja


@dataclass(frozen=True)
class PlaybookStep:
    key: str  # e.g. "mod_leak.isolate_source"
    order: int
    phase: str  # "contacts" | "initial" | "analysis" | "prevention"
    actor: str  # party or role code who does it ("reporter" for the member of staff)
    parties: tuple[str, ...]  # others involved
    title_ja: str
    title_en: str
    text_ja: str
    text_en: str
    citation: str
    due: Due = Due("none")


def party_codes() -> frozenset[str]:
    return frozenset(term.code for term in incident_kinds.PARTIES)


def _due(raw: dict[str, Any]) -> Due:
    due = Due(raw["kind"], int(raw.get("amount", 0)))
    if due.kind not in DUE_KINDS:
        raise ValueError(f"unknown due kind {due.kind!r}")
    return due


@cache
def _definitions() -> dict[str, Step]:
    """Step templates by key; order and after are set when a route is built."""
    parties = party_codes()
    roles = set(role_catalogue())
    templates: dict[str, Step] = {}
    raw = yaml.safe_load((_CATALOGS / "incident_routes.yaml").read_text(encoding="utf-8"))
    for entry in raw:
        key = entry["key"]
        for end in (entry["sender"], entry["recipient"]):
            if end != "reporter" and end not in roles and end not in parties:
                raise ValueError(f"step {key}: unknown role or party {end!r}")
        if key in templates:
            raise ValueError(f"step {key} is listed twice")
        templates[key] = Step(
            key=key,
            order=0,
            sender=entry["sender"],
            recipient=entry["recipient"],
            internal=entry["recipient"] not in parties,
            due=_due(entry["due"]),
            citation=entry["citation"],
            title_ja=entry["title_ja"],
            title_en=entry["title_en"],
            condition_ja=entry.get("condition_ja", ""),
            condition_en=entry.get("condition_en", ""),
            rulebook={"toitsu": "toitsu", "mod": "mod", "mic": "mic_pii"}[key.split(".")[0]],
        )
    return templates


class _Builder:
    def __init__(self) -> None:
        self.steps: list[Step] = []

    def add(self, key: str, order: int, after: str | None = None, **changes: Any) -> None:
        self.steps.append(replace(_definitions()[key], order=order, after=after, **changes))


def _validate(facts: CaseFacts) -> incident_kinds.IncidentKind:
    unknown = facts.rulebooks - set(RULEBOOKS)
    if unknown:
        raise ValueError(f"unknown rulebooks {sorted(unknown)}")
    damage = {term.code for term in incident_kinds.DAMAGE_TYPES}
    if not facts.damage_types <= damage:
        raise ValueError(f"unknown damage types {sorted(facts.damage_types - damage)}")
    importance = {term.code for term in incident_kinds.IMPORTANCE}
    if facts.importance and facts.importance not in importance:
        raise ValueError(f"unknown importance {facts.importance!r}")
    return incident_kinds.kind(facts.kind)  # KeyError for an unknown kind


def _toitsu(b: _Builder, facts: CaseFacts, kind: incident_kinds.IncidentKind) -> None:
    if not kind.security_incident:
        if kind.code == "rule_violation":
            b.add("toitsu.violation_to_isec_officer", 1)
        return
    first = "toitsu.staff_to_desk"
    b.add(first, 1)
    b.add("toitsu.csirt_to_lead", 2, first)
    if facts.org_kind == NATIONAL:
        b.add("toitsu.csirt_to_nisc", 2, first)
    elif facts.org_kind in SUPERVISED:
        ministry = facts.supervising_ministry.strip()
        named = {}
        if ministry:
            template = _definitions()["toitsu.csirt_to_ministry"]
            named = {
                "title_ja": f"{template.title_ja}（{ministry}）",
                "title_en": f"{template.title_en} ({ministry})",
            }
        b.add("toitsu.csirt_to_ministry", 2, first, **named)
        b.add("toitsu.ministry_to_nisc", 3, "toitsu.csirt_to_ministry")
    # a large-scale cyber attack is a cyber attack: the police are told as well (h)
    if facts.cyber_attack_suspected or facts.large_scale_attack:
        b.add("toitsu.csirt_to_police", 2, first)
    if facts.large_scale_attack:
        if facts.org_kind == NATIONAL:
            b.add("toitsu.large_scale_report", 2, first)
        elif facts.org_kind in SUPERVISED:
            b.add("toitsu.ministry_large_scale_report", 3, "toitsu.csirt_to_ministry")


def _mod_cyber(b: _Builder, facts: CaseFacts) -> None:
    """第11の3: the サイバー攻撃等 chain, and 第11の2 reports and notices."""
    b.add("mod.staff_to_sys_ia_officer", 1)
    b.add("mod.sys_ia_to_incident_officer", 2, "mod.staff_to_sys_ia_officer")
    b.add("mod.incident_officer_to_chief", 3, "mod.sys_ia_to_incident_officer")
    spreading = facts.damage_types & incident_kinds.SPREADING_DAMAGE
    if spreading or facts.damage_may_spread:
        b.add("mod.incident_officer_to_other_bodies", 3, "mod.sys_ia_to_incident_officer")
    if facts.serious_damage:
        b.add("mod.recurrence_report", 3, "mod.sys_ia_to_incident_officer")
        b.add("mod.recurrence_to_incident_chief", 4, "mod.recurrence_report")
        b.add("mod.recurrence_to_ia_chief", 4, "mod.recurrence_report")
    if facts.damage_types or facts.damage_may_spread:
        # The 情報保証責任者 learns of the signs from the case itself; the seed names
        # no earlier step, so its report counts from awareness.
        b.add("mod.ia_officer_to_ia_chief", 2)
        for key in ("mod.ia_chief_to_other_ia_officers", "mod.ia_chief_to_incident_chief"):
            b.add(
                key, 3, "mod.ia_officer_to_ia_chief", **_importance_changes(key, facts.importance)
            )


def _importance_changes(key: str, code: str) -> dict[str, str]:
    """The 第11の2(6) label the 情報保証統括責任者 attaches, once it is set."""
    if not code:
        return {}
    label = incident_kinds.term(incident_kinds.IMPORTANCE, code)
    template = _definitions()[key]
    return {
        "importance": code,
        "condition_ja": f"{template.condition_ja}（重要性の指標：{label.ja}）",
        "condition_en": f"{template.condition_en} (Importance: {label.en})",
    }


def _mod(b: _Builder, facts: CaseFacts, kind: incident_kinds.IncidentKind) -> None:
    cyber = (
        kind.cyber_attack
        or facts.cyber_attack_suspected
        or facts.large_scale_attack
        or bool(facts.damage_types)
        or facts.damage_may_spread
    )
    if cyber:
        _mod_cyber(b, facts)
    else:
        # 第12の5(1): other incidents reach the 情報保証責任者 as a staff report.
        b.add("mod.staff_to_ia_officer", 1)
        b.add("mod.ia_officer_to_ia_chief_report", 2, "mod.staff_to_ia_officer")
    if facts.internet_leak or kind.code == "internet_leak":
        b.add("mod.leak_staff_to_ict", 1)
        b.add("mod.leak_staff_to_secrets", 1)
        b.add("mod.leak_to_cyber_division", 2, "mod.leak_staff_to_ict")
        b.add("mod.leak_to_research_division", 2, "mod.leak_staff_to_secrets")
        b.add("mod.leak_report_minister", 3, "mod.leak_to_cyber_division")
        # 別紙 4(1)(3): where secrets leaked, the 秘密保全 side and 調査課 take over.
        suffix = "_secret" if facts.secret_leak else ""
        b.add(f"mod.leak_detail_report{suffix}", 4, "mod.leak_report_minister")
        b.add(f"mod.leak_final_minister{suffix}", 5, f"mod.leak_detail_report{suffix}")


def _mic(b: _Builder, facts: CaseFacts) -> None:
    first = "mic.staff_to_pii_manager"
    b.add(first, 1)
    if facts.pii_serious:
        template = _definitions()["mic.manager_to_chief"]
        b.add(
            "mic.manager_to_chief",
            2,
            first,
            due=Due("immediate"),
            title_ja=f"{template.title_ja}（特に重大な事案：直ちに）",
            title_en=f"{template.title_en} (particularly serious: at once)",
        )
    else:
        b.add("mic.manager_to_chief", 2, first)
    b.add("mic.chief_to_minister", 3, "mic.manager_to_chief")
    if facts.ppc_report_required:
        # 第39条の2: in parallel with the internal reports (前条で定める事項と並行して)
        b.add("mic.ppc_preliminary", 2, first)
        final_days = 60 if facts.pii_unlawful_purpose else 30
        b.add(
            "mic.ppc_final",
            3,
            "mic.ppc_preliminary",
            due=Due("days", final_days),
            due_from_report=True,
        )
        b.add("mic.notify_persons", 2, first)
    b.add("mic.publication_decision", 3, "mic.manager_to_chief")
    if facts.publication_decided:
        b.add("mic.publication_to_secretariat", 4, "mic.publication_decision")
    if facts.my_number or facts.kind == "my_number":
        b.add("mic.mynumber_report", 2, first)


def route(facts: CaseFacts) -> list[Step]:
    """Every notification the case requires, ordered by `order` (chains in parallel)."""
    kind = _validate(facts)
    b = _Builder()
    if "toitsu" in facts.rulebooks:
        _toitsu(b, facts, kind)
    if "mod" in facts.rulebooks:
        _mod(b, facts, kind)
    involves_pii = facts.personal_info or facts.my_number or kind.code in PII_KINDS
    if "mic_pii" in facts.rulebooks and involves_pii:
        _mic(b, facts)
    steps = sorted(b.steps, key=lambda step: step.order)  # stable: chain order kept
    _check(steps)
    return steps


def _check(steps: list[Step]) -> None:
    by_key = {step.key: step for step in steps}
    if len(by_key) != len(steps):
        raise AssertionError("a route lists a step twice")
    for step in steps:
        if step.after is not None:
            before = by_key.get(step.after)
            if before is None or before.order >= step.order:
                raise AssertionError(f"step {step.key} comes after a missing or later step")


def _end_of_day(day: datetime) -> datetime:
    return datetime.combine(day.date(), time(23, 59, 59), tzinfo=day.tzinfo)


def due_at(due: Due, start: datetime, *, promptly_hours: int) -> datetime | None:
    """When a step falls due, counted from `start`; None when the clause sets no time.

    Days and working days end at the end of the Japanese calendar day (Asia/Tokyo when
    `start` is aware; a naive `start` is taken as Japanese local time).
    """
    if due.kind == "immediate":
        return start
    if due.kind == "promptly":
        if promptly_hours <= 0:
            raise ValueError("promptly_hours must be positive")
        return start + timedelta(hours=promptly_hours)
    if due.kind == "hours":
        return start + timedelta(hours=due.amount)
    if due.kind == "none":
        return None
    local = start.astimezone(JST) if start.tzinfo is not None else start
    if due.kind == "days":
        return _end_of_day(local + timedelta(days=due.amount))
    if due.kind == "business_days":
        day = add_working_days(local.date(), due.amount)
        return datetime.combine(day, time(23, 59, 59), tzinfo=local.tzinfo)
    raise ValueError(f"unknown due kind {due.kind!r}")


@cache
def _playbooks() -> dict[str, list[dict[str, Any]]]:
    raw: dict[str, list[dict[str, Any]]] = yaml.safe_load(
        (_CATALOGS / "incident_playbooks.yaml").read_text(encoding="utf-8")
    )
    return raw


def playbook(facts: CaseFacts) -> list[PlaybookStep]:
    """防衛省通達 別紙: the internet-leak procedure, when it applies; [] otherwise."""
    if "mod" not in facts.rulebooks or not (facts.internet_leak or facts.kind == "internet_leak"):
        return []
    steps: list[PlaybookStep] = []
    for order, entry in enumerate(_playbooks()["mod_internet_leak"], start=1):
        secret = facts.secret_leak
        actor = entry.get("actor_if_secret", entry["actor"]) if secret else entry["actor"]
        parties = entry.get("parties_if_secret", entry["parties"]) if secret else entry["parties"]
        steps.append(
            PlaybookStep(
                key=entry["key"],
                order=order,
                phase=entry["phase"],
                actor=actor,
                parties=tuple(parties),
                title_ja=entry["title_ja"],
                title_en=entry["title_en"],
                text_ja=entry["text_ja"],
                text_en=entry["text_en"],
                citation=entry["citation"],
                due=_due(entry["due"]),
            )
        )
    return steps
