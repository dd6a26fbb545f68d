"""Classification (格付) and handling restrictions (取扱制限) of information. Pure Python.

- Levels: 機密性1–3, 完全性1–2, 可用性1–2. 書面 has no 完全性/可用性 格付 (the definitions
  say 「書面を除く」), so paper carries only 機密性.
- Derived categories: 要機密 (機密性2以上), 要保全 (完全性2), 要安定 (可用性2), 要保護 (any of them).
- The definitions' wording differs by organisation kind (国の行政機関 / 独立行政法人 /
  別表指定法人 / その他の指定法人): `definition()` gives it, with short help text.
- Markings: `parse_marking` reads 「機密性２」「機密性３情報」「要機密」「人事課限り」「複製禁止」…
  with full- or half-width digits; `format_marking` writes them back and checks that what it
  wrote parses to the same marking, so a round trip is always exact.
- Inheritance (統一基準(R7) 3.1.1(3)(b)): what is made from sources takes the highest
  機密性 and all their restrictions; a review goes to the 決定者等 (3.1.1(3)(c)).
- The restriction vocabulary is catalogs/restrictions.yaml; an agency adds its own with
  `merge_restrictions`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from mamori.rules.refs import TOITSU_H30, TOITSU_R7, cite

ORG_KINDS: dict[str, tuple[str, str]] = {
    "national": ("国の行政機関", "national government body"),
    "independent": ("独立行政法人", "incorporated administrative agency"),
    "designated_listed": ("別表指定法人", "designated corporation listed in the schedule"),
    "designated_other": ("その他の指定法人", "other designated corporation"),
}
# 独立行政法人及び指定法人: the clauses that add duties for 機密性3 name these together.
CORPORATE_KINDS = frozenset({"independent", "designated_listed", "designated_other"})

CONFIDENTIALITY_LEVELS = (1, 2, 3)
INTEGRITY_LEVELS = (1, 2)
AVAILABILITY_LEVELS = (1, 2)
DIMENSIONS: dict[str, tuple[str, str, tuple[int, ...]]] = {
    "confidentiality": ("機密性", "confidentiality", CONFIDENTIALITY_LEVELS),
    "integrity": ("完全性", "integrity", INTEGRITY_LEVELS),
    "availability": ("可用性", "availability", AVAILABILITY_LEVELS),
}
MEDIA: dict[str, tuple[str, str]] = {
    "electronic": ("電磁的記録", "electronic record"),
    "paper": ("書面", "paper"),
}
CATEGORIES: dict[str, tuple[str, str]] = {
    "confidential": ("要機密情報", "confidential information (confidentiality 2 or 3)"),
    "integrity_critical": ("要保全情報", "integrity-critical information (integrity 2)"),
    "availability_critical": ("要安定情報", "availability-critical information (availability 2)"),
    "protected": ("要保護情報", "protected information (any of the three)"),
}
DEFINITIONS_CLAUSE = cite(TOITSU_H30, "1.2(1)")
INHERITANCE_CLAUSE = cite(TOITSU_R7, "3.1.1(3)(b)")
REVIEW_CLAUSE = cite(TOITSU_R7, "3.1.1(3)(c)")
RESTRICTIONS_CLAUSE = cite(TOITSU_R7, "3.1.1(4)(a)")
REVIEW_ROLE = "decider"  # 格付及び取扱制限の決定者等 (catalogs/roles.yaml)


def categories(
    confidentiality: int, integrity: int | None = None, availability: int | None = None
) -> tuple[str, ...]:
    """The derived categories, in the order of CATEGORIES."""
    found = []
    if confidentiality >= 2:
        found.append("confidential")
    if integrity == 2:
        found.append("integrity_critical")
    if availability == 2:
        found.append("availability_critical")
    if found:
        found.append("protected")
    return tuple(found)


# --- restrictions --------------------------------------------------------------------


@dataclass(frozen=True)
class Effect:
    """What one restriction does to handling decisions for some actions."""

    actions: tuple[str, ...]
    verdict: str
    measures: tuple[str, ...] = ()
    permission_from: tuple[str, ...] = ()
    recipients: tuple[str, ...] | None = None
    channels: tuple[str, ...] | None = None


@dataclass(frozen=True)
class RestrictionKind:
    code: str
    marking: str  # 「複製禁止」, or 「{detail}限り」 for those that take a detail
    ja: str
    en: str
    variants: tuple[str, ...] = ()
    takes_detail: bool = False
    effects: tuple[Effect, ...] = ()
    source: str = "baseline"  # or the agency policy that added it
    citation: str = RESTRICTIONS_CLAUSE  # an agency's own restriction cites its own rule too

    def label(self, language: str) -> str:
        return self.en if language.startswith("en") else self.ja

    def format(self, detail: str | None) -> str:
        if self.takes_detail:
            return self.marking.replace("{detail}", detail or "〇〇")
        return self.marking


@dataclass(frozen=True)
class Restriction:
    code: str
    detail: str | None = None  # with whom, for 「〇〇限り」

    def as_json(self) -> str | dict[str, str]:
        return self.code if self.detail is None else {"code": self.code, "detail": self.detail}


_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_EFFECT_KEYS = {"actions", "verdict", "measures", "permission_from", "recipients", "channels"}
_KIND_KEYS = {"code", "marking", "variants", "takes_detail", "ja", "en", "effects", "citation"}
EFFECT_VERDICTS = ("allow_with_measures", "needs_permission", "deny")


def _tuple(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(value)


def load_restrictions(entries: Any, *, source: str = "baseline") -> dict[str, RestrictionKind]:
    """Restriction kinds from YAML-shaped data, checked. Codes of actions, measures and
    roles named in effects are checked where they are used (handling_rules.restrictions)."""
    if not isinstance(entries, list):
        raise ValueError(f"{source}: restrictions must be a list")
    kinds: dict[str, RestrictionKind] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            raise ValueError(f"{source}: each restriction must be a mapping, got {entry!r}")
        code = entry.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            raise ValueError(f"{source}: restriction code {code!r} must be lower_snake_case")
        where = f"{source}: restriction {code}"
        unknown = set(entry) - _KIND_KEYS
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        citation = entry.get("citation", RESTRICTIONS_CLAUSE)
        if not isinstance(citation, str) or not citation:
            raise ValueError(f"{where}: citation must be a non-empty string")
        for key in ("marking", "ja", "en"):
            if not isinstance(entry.get(key), str) or not entry[key]:
                raise ValueError(f"{where}: {key} is required")
        takes_detail = bool(entry.get("takes_detail", False))
        if takes_detail != ("{detail}" in entry["marking"]):
            raise ValueError(
                f"{where}: a marking takes {{detail}} exactly when takes_detail is true"
            )
        effects = []
        for raw in entry.get("effects") or []:
            if not isinstance(raw, dict) or set(raw) - _EFFECT_KEYS:
                raise ValueError(f"{where}: effect keys are {sorted(_EFFECT_KEYS)}")
            if raw.get("verdict") not in EFFECT_VERDICTS:
                raise ValueError(f"{where}: effect verdict must be one of {EFFECT_VERDICTS}")
            effect = Effect(
                actions=_tuple(raw.get("actions"), where),
                verdict=raw["verdict"],
                measures=_tuple(raw.get("measures"), where),
                permission_from=_tuple(raw.get("permission_from"), where),
                recipients=_tuple(raw["recipients"], where) if "recipients" in raw else None,
                channels=_tuple(raw["channels"], where) if "channels" in raw else None,
            )
            if not effect.actions:
                raise ValueError(f"{where}: an effect names at least one action")
            if (effect.verdict == "needs_permission") != bool(effect.permission_from):
                raise ValueError(f"{where}: permission_from goes with verdict needs_permission")
            if effect.verdict == "allow_with_measures" and not effect.measures:
                raise ValueError(f"{where}: allow_with_measures needs measures")
            effects.append(effect)
        if code in kinds:
            raise ValueError(f"{where} is listed twice")
        kinds[code] = RestrictionKind(
            code=code,
            marking=entry["marking"],
            ja=entry["ja"],
            en=entry["en"],
            variants=_tuple(entry.get("variants"), where),
            takes_detail=takes_detail,
            effects=tuple(effects),
            source=source,
            citation=citation,
        )
    _check_markings_distinct(kinds)
    return kinds


def _check_markings_distinct(kinds: Mapping[str, RestrictionKind]) -> None:
    seen: dict[str, str] = {}
    for kind in kinds.values():
        spellings = [kind.marking, *kind.variants] if not kind.takes_detail else [kind.marking]
        for spelling in spellings:
            if spelling in seen and seen[spelling] != kind.code:
                raise ValueError(
                    f"marking {spelling!r} is used by both {seen[spelling]} and {kind.code}"
                )
            seen[spelling] = kind.code


@cache
def restriction_vocabulary() -> Mapping[str, RestrictionKind]:
    """The baseline vocabulary from catalogs/restrictions.yaml, in catalogue order."""
    path = Path(__file__).with_name("catalogs") / "restrictions.yaml"
    return load_restrictions(yaml.safe_load(path.read_text(encoding="utf-8")))


def merge_restrictions(
    base: Mapping[str, RestrictionKind], extra: Any, *, source: str
) -> dict[str, RestrictionKind]:
    """An agency's vocabulary: the baseline plus its own restrictions. Redefining a
    baseline code is refused, since that could weaken what the baseline requires."""
    added = load_restrictions(extra, source=source)
    clash = sorted(set(added) & set(base))
    if clash:
        raise ValueError(
            f"{source}: restrictions {clash} are already defined in the baseline "
            f"({RESTRICTIONS_CLAUSE}); add a new code instead"
        )
    merged = {**base, **added}
    _check_markings_distinct(merged)
    return merged


# --- classification ------------------------------------------------------------------


@dataclass(frozen=True)
class Classification:
    confidentiality: int
    integrity: int | None = None
    availability: int | None = None
    medium: str = "electronic"
    restrictions: tuple[Restriction, ...] = ()

    def __post_init__(self) -> None:
        if self.confidentiality not in CONFIDENTIALITY_LEVELS or isinstance(
            self.confidentiality, bool
        ):
            raise ValueError(f"confidentiality must be one of {CONFIDENTIALITY_LEVELS}")
        if self.medium not in MEDIA:
            raise ValueError(f"medium must be one of {tuple(MEDIA)}")
        if self.medium == "paper" and (self.integrity is not None or self.availability is not None):
            raise ValueError("書面 (paper) has no 完全性 or 可用性 classification")
        if self.integrity not in (None, *INTEGRITY_LEVELS):
            raise ValueError(f"integrity must be one of {INTEGRITY_LEVELS} or None")
        if self.availability not in (None, *AVAILABILITY_LEVELS):
            raise ValueError(f"availability must be one of {AVAILABILITY_LEVELS} or None")

    @property
    def categories(self) -> tuple[str, ...]:
        return categories(self.confidentiality, self.integrity, self.availability)

    @property
    def is_protected(self) -> bool:
        return bool(self.categories)


# --- definitions by organisation kind -------------------------------------------------


@dataclass(frozen=True)
class Definition:
    dimension: str
    level: int
    org_kind: str
    ja: str  # the definition's wording (catalogs/classification.yaml)
    en: str
    help_ja: str  # one line for forms
    help_en: str
    clause: str = DEFINITIONS_CLAUSE


@cache
def _definition_texts() -> dict[tuple[str, int, str], Definition]:
    """catalogs/classification.yaml, checked to hold every level for every kind."""
    path = Path(__file__).with_name("catalogs") / "classification.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = {}
    for dimension, (_, _, levels) in DIMENSIONS.items():
        for level in levels:
            entry = data[dimension][level]
            for kind in ORG_KINDS:
                text = entry.get(kind, entry.get("all"))
                if not text or not text.get("ja") or not text.get("en"):
                    raise ValueError(
                        f"classification.yaml: no {dimension} {level} wording for {kind}"
                    )
                found[(dimension, level, kind)] = Definition(
                    dimension,
                    level,
                    kind,
                    text["ja"],
                    text["en"],
                    entry["help"]["ja"],
                    entry["help"]["en"],
                )
    return found


def definition(dimension: str, level: int, org_kind: str = "national") -> Definition:
    """The definition of one level for one organisation kind."""
    if org_kind not in ORG_KINDS:
        raise ValueError(f"org_kind must be one of {tuple(ORG_KINDS)}")
    if dimension not in DIMENSIONS or level not in DIMENSIONS[dimension][2]:
        raise ValueError(f"no {dimension} level {level}")
    return _definition_texts()[(dimension, level, org_kind)]


def definitions(org_kind: str = "national") -> list[Definition]:
    return [
        definition(dimension, level, org_kind)
        for dimension, (_, _, levels) in DIMENSIONS.items()
        for level in reversed(levels)
    ]


# --- markings --------------------------------------------------------------------------


class MarkingError(ValueError):
    pass


@dataclass(frozen=True)
class Marking:
    """What a marking string says. Levels are None when the marking does not state them;
    categories are the 要… words written out (「要機密」)."""

    confidentiality: int | None = None
    integrity: int | None = None
    availability: int | None = None
    categories: tuple[str, ...] = ()
    restrictions: tuple[Restriction, ...] = field(default=())

    def minimum_levels(self) -> tuple[int | None, int | None, int | None]:
        """The lowest levels the marking allows: a written level, or what a category word
        implies (「要機密」: 機密性2以上). None when nothing is said."""
        c, i, a = self.confidentiality, self.integrity, self.availability
        if c is None and "confidential" in self.categories:
            c = 2
        if i is None and "integrity_critical" in self.categories:
            i = 2
        if a is None and "availability_critical" in self.categories:
            a = 2
        return c, i, a


_DIGITS = {
    **{str(n): n for n in range(10)},
    **{chr(0xFF10 + n): n for n in range(10)},
    **{k: n for n, k in enumerate("〇一二三四五六七八九")},
}
_FULL = {1: "１", 2: "２", 3: "３"}
_DIMENSION_BY_JA = {ja: code for code, (ja, _, _) in DIMENSIONS.items()}
_CATEGORY_BY_WORD = {
    "機密": "confidential",
    "保全": "integrity_critical",
    "安定": "availability_critical",
    "保護": "protected",
}
_WORD_BY_CATEGORY = {code: word for word, code in _CATEGORY_BY_WORD.items()}
_SEPARATORS = " \u3000\t\n、,，/／|｜・【】「」『』［］[]"
_SEPARATOR_RE = re.compile("[" + re.escape(_SEPARATORS) + "]+")
_LEVEL_RE = re.compile(r"(機密性|完全性|可用性)[ \u3000]?([0-9０-９〇一二三四五六七八九])(情報)?")
_CATEGORY_RE = re.compile(r"要(機密|保全|安定|保護)(情報)?")
# The free text of 「〇〇限り」 may hold 「・」 (「総務課・人事課限り」) but no other separator.
_DETAIL_CHARS = "[^" + re.escape(_SEPARATORS.replace("・", "")) + "]"


@cache
def _patterns(
    vocabulary: tuple[RestrictionKind, ...],
) -> tuple[re.Pattern[str] | None, dict[str, str], list[tuple[re.Pattern[str], str]]]:
    fixed: dict[str, str] = {}
    detailed: list[tuple[re.Pattern[str], str]] = []
    for kind in vocabulary:
        if kind.takes_detail:
            before, after = kind.marking.split("{detail}", 1)
            pattern = re.compile(re.escape(before) + "(" + _DETAIL_CHARS + "+?)" + re.escape(after))
            detailed.append((pattern, kind.code))
        else:
            for spelling in (kind.marking, *kind.variants):
                fixed[spelling] = kind.code
    if not fixed:
        return None, fixed, detailed
    alternatives = sorted(fixed, key=len, reverse=True)
    return re.compile("|".join(re.escape(s) for s in alternatives)), fixed, detailed


def _vocab(vocabulary: Mapping[str, RestrictionKind] | None) -> Mapping[str, RestrictionKind]:
    return restriction_vocabulary() if vocabulary is None else vocabulary


def parse_marking(text: str, vocabulary: Mapping[str, RestrictionKind] | None = None) -> Marking:
    """「機密性２・完全性２ 人事課限り 複製禁止」 → Marking. Accepts half- and full-width digits,
    kanji numerals, a trailing 「情報」, and spaces, 「・」「、」「/」 or brackets between words."""
    kinds = _vocab(vocabulary)
    fixed_re, fixed, detailed = _patterns(tuple(kinds.values()))
    levels: dict[str, int] = {}
    found_categories: list[str] = []
    restrictions: list[Restriction] = []
    position = 0
    while True:
        gap = _SEPARATOR_RE.match(text, position)
        if gap:
            position = gap.end()
        if position >= len(text):
            break
        if match := _LEVEL_RE.match(text, position):
            dimension = _DIMENSION_BY_JA[match.group(1)]
            level = _DIGITS[match.group(2)]
            if level not in DIMENSIONS[dimension][2]:
                raise MarkingError(f"{match.group(0)!r}: {dimension} has no level {level}")
            if levels.setdefault(dimension, level) != level:
                raise MarkingError(
                    f"{match.group(1)} is marked twice with different levels in {text!r}"
                )
        elif match := _CATEGORY_RE.match(text, position):
            category = _CATEGORY_BY_WORD[match.group(1)]
            if category not in found_categories:
                found_categories.append(category)
        elif fixed_re is not None and (match := fixed_re.match(text, position)):
            restriction = Restriction(fixed[match.group(0)])
            if restriction not in restrictions:
                restrictions.append(restriction)
        else:
            for pattern, code in detailed:
                if match := pattern.match(text, position):
                    restriction = Restriction(code, match.group(1))
                    if restriction not in restrictions:
                        restrictions.append(restriction)
                    break
            else:
                raise MarkingError(
                    f"unrecognised marking at {text[position : position + 12]!r} in {text!r}"
                )
        position = match.end()
    marking = Marking(
        levels.get("confidentiality"),
        levels.get("integrity"),
        levels.get("availability"),
        tuple(found_categories),
        tuple(restrictions),
    )
    _check_consistent(marking, text)
    return marking


def _check_consistent(marking: Marking, text: str) -> None:
    c, i, a = marking.confidentiality, marking.integrity, marking.availability
    if "confidential" in marking.categories and c == 1:
        raise MarkingError(f"{text!r}: 要機密 contradicts 機密性１")
    if "integrity_critical" in marking.categories and i == 1:
        raise MarkingError(f"{text!r}: 要保全 contradicts 完全性１")
    if "availability_critical" in marking.categories and a == 1:
        raise MarkingError(f"{text!r}: 要安定 contradicts 可用性１")
    if "protected" in marking.categories and (c, i, a) == (1, 1, 1):
        raise MarkingError(f"{text!r}: 要保護 contradicts 機密性１・完全性１・可用性１")


def format_marking(
    marking: Marking,
    *,
    digits: str = "full",
    suffix: bool = False,
    separator: str = "・",
    vocabulary: Mapping[str, RestrictionKind] | None = None,
) -> str:
    """Marking → 「機密性２・完全性２・人事課限り・複製禁止」 (levels, then 要… words, then
    restrictions in the marking's order). Raises MarkingError rather than write a string
    that would not parse back to the same marking."""
    if digits not in ("full", "half"):
        raise ValueError("digits must be 'full' or 'half'")
    if not separator or _SEPARATOR_RE.fullmatch(separator) is None:
        raise ValueError(f"separator must be made of {_SEPARATORS!r}")
    kinds = _vocab(vocabulary)
    tail = "情報" if suffix else ""
    words = []
    for dimension, (ja, _, _) in DIMENSIONS.items():
        level = getattr(marking, dimension)
        if level is not None:
            words.append(ja + (_FULL[level] if digits == "full" else str(level)) + tail)
    words += ["要" + _WORD_BY_CATEGORY[category] + tail for category in marking.categories]
    for restriction in marking.restrictions:
        kind = kinds.get(restriction.code)
        if kind is None:
            raise MarkingError(f"unknown restriction {restriction.code!r}")
        if kind.takes_detail != (restriction.detail is not None):
            raise MarkingError(
                f"{restriction.code}: detail must be given exactly when the marking takes one"
            )
        words.append(kind.format(restriction.detail))
    text = separator.join(words)
    if parse_marking(text, kinds) != marking:
        raise MarkingError(f"{marking!r} cannot be written unambiguously (got {text!r})")
    return text


# --- inheritance -----------------------------------------------------------------------


@dataclass(frozen=True)
class Inheritance:
    """What information made from sources inherits, with the clauses behind it."""

    confidentiality: int
    restrictions: tuple[Restriction, ...]
    citation: str = INHERITANCE_CLAUSE
    review_role: str = REVIEW_ROLE
    review_citation: str = REVIEW_CLAUSE

    def classification(
        self,
        integrity: int | None = None,
        availability: int | None = None,
        medium: str = "electronic",
    ) -> Classification:
        """完全性・可用性 are not inherited: the maker decides them for the new information."""
        return Classification(
            self.confidentiality, integrity, availability, medium, self.restrictions
        )


def inherit(
    sources: Iterable[Classification], vocabulary: Mapping[str, RestrictionKind] | None = None
) -> Inheritance:
    """統一基準(R7) 3.1.1(3)(b): the highest 機密性 of the sources and every restriction any
    of them carries, in vocabulary order whatever the order of the sources. To lower
    either, the maker asks the 決定者等 (3.1.1(3)(c)): `review_role`."""
    listed: Sequence[Classification] = list(sources)
    if not listed:
        raise ValueError("inheritance needs at least one source")
    kinds = _vocab(vocabulary)
    order = {code: index for index, code in enumerate(kinds)}
    restrictions = {r for source in listed for r in source.restrictions}
    unknown = sorted(r.code for r in restrictions if r.code not in order)
    if unknown:
        raise ValueError(f"unknown restrictions {unknown}")
    ordered = sorted(restrictions, key=lambda r: (order[r.code], r.detail or ""))
    return Inheritance(max(source.confidentiality for source in listed), tuple(ordered))


def review_route() -> tuple[str, str]:
    """Who reviews a classification someone thinks should change, and the clause."""
    return REVIEW_ROLE, REVIEW_CLAUSE
