"""Incident kinds with the staff's first instructions, and the CSIRT's triage vocabularies.

The data is in catalogs/incident_kinds.yaml and catalogs/incident_terms.yaml so an
agency can read (and a reviewer can check against the seeds) without reading code.
Codes are a contract: the incidents app stores them, exports and metrics group by them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from mamori.rules.refs import DOCUMENTS
from mamori.rules.roles import RULEBOOKS

_CATALOGS = Path(__file__).with_name("catalogs")

# Facts a kind may pre-tick on the report form; names match routes.CaseFacts fields.
HINTABLE_FACTS = frozenset(
    {"personal_info", "my_number", "internet_leak", "cyber_attack_suspected"}
)


def _label(language: str, ja: str, en: str) -> str:
    return en if language.startswith("en") else ja


@dataclass(frozen=True)
class Instruction:
    text_ja: str
    text_en: str
    citation: str
    rulebook: str  # shown only to organisations that follow this rulebook

    def text(self, language: str) -> str:
        return _label(language, self.text_ja, self.text_en)


@dataclass(frozen=True)
class IncidentKind:
    code: str
    label_ja: str
    label_en: str
    description_ja: str
    description_en: str
    instructions: tuple[Instruction, ...]
    # facts the report form pre-ticks for this kind (the CSIRT can change them)
    hints: frozenset[str] = frozenset()
    damage_hint: tuple[str, ...] = ()  # 防衛省 第11の2(4) codes it usually is
    event_hint: str = "other"  # 行動計画 別紙3 event code it usually is
    security_incident: bool = True  # 統一基準 2.2.4 chain applies
    cyber_attack: bool = False  # 防衛省通達 第11 「サイバー攻撃等」: its 第11の3 chain applies

    def label(self, language: str) -> str:
        return _label(language, self.label_ja, self.label_en)

    def description(self, language: str) -> str:
        return _label(language, self.description_ja, self.description_en)

    def instructions_for(self, rulebooks: Iterable[str]) -> list[Instruction]:
        """The instructions of the rulebooks the organisation follows, in catalogue order."""
        wanted = set(rulebooks)
        return [item for item in self.instructions if item.rulebook in wanted]


@dataclass(frozen=True)
class Term:
    """A code with labels: taxonomy entries, damage types, importance, outside parties."""

    code: str
    ja: str
    en: str
    citation: str
    description_ja: str = ""
    description_en: str = ""
    group_ja: str = ""  # 行動計画 別紙3 「事象の類型」 for events
    group_en: str = ""

    def label(self, language: str) -> str:
        return _label(language, self.ja, self.en)

    def description(self, language: str) -> str:
        return _label(language, self.description_ja, self.description_en)


def _check_citation(where: str, citation: str) -> None:
    if not any(citation.startswith(document + " ") for document in DOCUMENTS):
        raise ValueError(f"{where}: citation {citation!r} does not name a known document")


def _terms(entries: list[dict[str, Any]], section: str) -> list[Term]:
    terms: list[Term] = []
    for entry in entries:
        term = Term(
            code=entry["code"],
            ja=entry["ja"],
            en=entry["en"],
            citation=entry["citation"],
            description_ja=entry.get("description_ja", ""),
            description_en=entry.get("description_en", ""),
            group_ja=entry.get("group_ja", ""),
            group_en=entry.get("group_en", ""),
        )
        _check_citation(f"{section} {term.code}", term.citation)
        terms.append(term)
    codes = [term.code for term in terms]
    if len(codes) != len(set(codes)):
        raise ValueError(f"{section}: a code is listed twice")
    return terms


@cache
def _term_catalog() -> dict[str, list[Term]]:
    raw = yaml.safe_load((_CATALOGS / "incident_terms.yaml").read_text(encoding="utf-8"))
    return {section: _terms(entries, section) for section, entries in raw.items()}


def _kinds(events: set[str], damage: set[str]) -> list[IncidentKind]:
    raw = yaml.safe_load((_CATALOGS / "incident_kinds.yaml").read_text(encoding="utf-8"))
    kinds: list[IncidentKind] = []
    for entry in raw:
        code = entry["code"]
        instructions = tuple(
            Instruction(
                text_ja=item["ja"],
                text_en=item["en"],
                citation=item["citation"],
                rulebook=item["rulebook"],
            )
            for item in entry["instructions"]
        )
        for item in instructions:
            _check_citation(f"kind {code}", item.citation)
            if item.rulebook not in RULEBOOKS:
                raise ValueError(f"kind {code}: unknown rulebook {item.rulebook}")
        item_kind = IncidentKind(
            code=code,
            label_ja=entry["ja"],
            label_en=entry["en"],
            description_ja=entry["description_ja"],
            description_en=entry["description_en"],
            instructions=instructions,
            hints=frozenset(entry.get("hints", [])),
            damage_hint=tuple(entry.get("damage_hint", [])),
            event_hint=entry.get("event_hint", "other"),
            security_incident=bool(entry["security_incident"]),
            cyber_attack=bool(entry["cyber_attack"]),
        )
        if not instructions:
            raise ValueError(f"kind {code} has no instruction")
        if not item_kind.hints <= HINTABLE_FACTS:
            raise ValueError(f"kind {code}: unknown hint in {sorted(item_kind.hints)}")
        if not set(item_kind.damage_hint) <= damage:
            raise ValueError(f"kind {code}: unknown damage type in {item_kind.damage_hint}")
        if item_kind.event_hint not in events:
            raise ValueError(f"kind {code}: unknown event {item_kind.event_hint}")
        kinds.append(item_kind)
    codes = [item.code for item in kinds]
    if len(codes) != len(set(codes)):
        raise ValueError("incident_kinds.yaml: a kind is listed twice")
    return kinds


TAXONOMY_EVENTS: list[Term] = _term_catalog()["taxonomy_events"]
TAXONOMY_CAUSES: list[Term] = _term_catalog()["taxonomy_causes"]
DAMAGE_TYPES: list[Term] = _term_catalog()["damage_types"]
IMPORTANCE: list[Term] = _term_catalog()["importance"]
PARTIES: list[Term] = _term_catalog()["parties"]
KINDS: list[IncidentKind] = _kinds(
    {term.code for term in TAXONOMY_EVENTS}, {term.code for term in DAMAGE_TYPES}
)

_BY_CODE = {item.code: item for item in KINDS}
# 防衛省通達 第11の3(4): damage ①–⑤ (not ⑥) brings in other bodies' 事案対処責任者.
SPREADING_DAMAGE = frozenset({"d1", "d2", "d3", "d4", "d5"})


def kind(code: str) -> IncidentKind:
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown incident kind {code!r}") from None


def term(terms: list[Term], code: str) -> Term:
    """Look a code up in one of the vocabularies: term(PARTIES, "nisc")."""
    for item in terms:
        if item.code == code:
            return item
    raise KeyError(f"unknown code {code!r}")


def choices(terms: list[Term] | list[IncidentKind], language: str = "ja") -> list[tuple[str, str]]:
    """(code, label) pairs for a form's choices, in catalogue order."""
    return [(item.code, item.label(language)) for item in terms]


# Short name some callers use for the kind type.
Kind = IncidentKind
