"""Regulation catalogs as data: the 統一基準 遵守事項, the 防衛省通達 items and the 総務省訓令
articles (catalogs/requirements/*.yaml), their loader, the importer of an agency's full
official catalog, and the lookups checklists are built from. Pure Python, no Django.

The loader checks everything and reports every error at once, each with file and line
(「toitsu.yaml:123: 3.1.1(6)(b): unknown role code "xxx"」), in one CatalogError: an
operator fixing a catalog sees the whole list, not one error per run.

The importer of an administrator's full official catalog (requirements_import.py) checks
each entry with `check_entry` and `check_tree` below, so an import obeys the same schema.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from mamori.rules import roles as role_catalogue
from mamori.rules.classification import ORG_KINDS
from mamori.rules.refs import MIC, MOD, TOITSU_H30, TOITSU_R7, cite

CATALOG_DIR = Path(__file__).with_name("catalogs") / "requirements"
FILES = {"toitsu": "toitsu.yaml", "mod": "mod.yaml", "mic_pii": "mic.yaml"}
EDITIONS = {"R7": TOITSU_R7, "FY2018": TOITSU_H30}  # FY2018 is the H30 edition
ABBREVIATED_TEXT = "（略）"

# Addressees that are not roles one is assigned: 職員等 (everyone) and the organisation
# itself (「機関等は」「総務省に…置く」), which the officers below answer for.
ALL_STAFF = "all_staff"
AGENCY = "agency"
PSEUDO_ROLES = {ALL_STAFF: ("職員等", "All staff"), AGENCY: ("機関等（組織）", "The organisation")}
AGENCY_ANSWERED_BY = {
    "toitsu": frozenset({"ciso", "chief_isec_officer"}),
    "mod": frozenset({"ia_chief"}),
    "mic_pii": frozenset({"pii_chief"}),
}
_KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノ"
_TOITSU_CLAUSE = r"\d+\.\d+\.\d+\(\d+\)"


@dataclass(frozen=True)
class Rulebook:
    """How one rulebook numbers its entries and which kinds it has."""

    code: str
    kinds: Mapping[str, re.Pattern[str]]  # kind → id pattern
    group_kinds: frozenset[str]  # headings (OSCAL groups); the rest are clauses
    text_kinds: frozenset[str]  # need text unless abbreviated
    parent_from_id: Callable[[str], str | None]
    explicit_parent_kinds: frozenset[str] = frozenset()  # parent not derivable from the id
    editions: bool = False


def _toitsu_parent(entry_id: str) -> str | None:
    if entry_id.endswith(")"):
        return entry_id[: entry_id.rindex("(")]
    return entry_id.rsplit(".", 1)[0] if "." in entry_id else None


def _mod_parent(entry_id: str) -> str | None:
    if entry_id.endswith(")"):
        return entry_id[: entry_id.rindex("(")]
    return entry_id.split("の", 1)[0] if "の" in entry_id else None


def _mic_parent(entry_id: str) -> str | None:
    match = re.fullmatch(r"(第\d+条(?:の\d+)?)第\d+項", entry_id)
    return match.group(1) if match else None


RULEBOOKS: dict[str, Rulebook] = {
    "toitsu": Rulebook(
        "toitsu",
        {
            "part": re.compile(r"\d+"),
            "section": re.compile(r"\d+\.\d+"),
            "subsection": re.compile(r"\d+\.\d+\.\d+"),
            "group": re.compile(_TOITSU_CLAUSE),
            "requirement": re.compile(_TOITSU_CLAUSE + r"\([a-z]\)"),
            "subitem": re.compile(_TOITSU_CLAUSE + rf"\([a-z]\)\([{_KANA}]\)"),
        },
        frozenset({"part", "section", "subsection"}),
        frozenset({"requirement", "subitem"}),
        _toitsu_parent,
        editions=True,
    ),
    "mod": Rulebook(
        "mod",
        {
            "chapter": re.compile(r"第\d+"),
            "item": re.compile(r"第\d+の\d+"),
            "subitem": re.compile(r"第\d+(?:の\d+)?\(\d+\)"),
        },
        frozenset({"chapter"}),
        frozenset({"subitem"}),
        _mod_parent,
    ),
    "mic_pii": Rulebook(
        "mic_pii",
        {
            "chapter": re.compile(r"第\d+章"),
            "article": re.compile(r"第\d+条(?:の\d+)?"),
            "paragraph": re.compile(r"第\d+条(?:の\d+)?第\d+項"),
        },
        frozenset({"chapter"}),
        frozenset({"article", "paragraph"}),
        _mic_parent,
        explicit_parent_kinds=frozenset({"article"}),
    ),
}
FIELDS = frozenset(
    {"id", "kind", "parent", "edition", "title", "source", "text", "abbreviated"}
    | {"roles", "org_kinds", "staff_facing", "rules"}
)


@dataclass(frozen=True)
class Requirement:
    """One entry of a catalog: a heading (部, 第N, 第N章 …) or a clause with its text."""

    rulebook: str
    id: str
    kind: str
    parent: str | None = None
    title: str | None = None
    text: str | None = None
    edition: str | None = None  # 統一基準 only: R7 | FY2018
    abbreviated: bool = False
    roles: tuple[str, ...] = ()
    org_kinds: tuple[str, ...] = ()
    staff_facing: bool = False
    rules: tuple[str, ...] = ()  # handling rule ids that implement it
    source: str | None = None  # 防衛省通達: the 訓令 article it implements

    @property
    def citation(self) -> str:
        """「統一基準(R7) 3.1.1(6)(b)」, 「防衛省通達 第8(6)」, 「総務省訓令 第32条第2項」."""
        if self.rulebook == "toitsu":
            return cite(EDITIONS[self.edition or "FY2018"], self.id)
        return cite(MOD if self.rulebook == "mod" else MIC, self.id)

    @property
    def checkable(self) -> bool:
        """Someone can answer for it: it has its own text and an addressee."""
        return bool(self.text) and not self.abbreviated and bool(self.roles)


@dataclass(frozen=True)
class Catalog:
    rulebook: str
    title: str
    org_kinds: tuple[str, ...]
    entries: tuple[Requirement, ...]
    _by_id: dict[str, Requirement] = field(init=False, repr=False, compare=False)
    _children: dict[str | None, tuple[Requirement, ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_id = {entry.id: entry for entry in self.entries}
        children: dict[str | None, list[Requirement]] = {}
        for entry in self.entries:
            children.setdefault(entry.parent, []).append(entry)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_children", {k: tuple(v) for k, v in children.items()})

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id

    def get(self, entry_id: str) -> Requirement:
        try:
            return self._by_id[entry_id]
        except KeyError:
            raise KeyError(f"{self.rulebook}: no entry {entry_id!r}") from None

    def roots(self) -> tuple[Requirement, ...]:
        return self._children.get(None, ())

    def children(self, entry_id: str) -> tuple[Requirement, ...]:
        return self._children.get(entry_id, ())

    def parent(self, entry_id: str) -> Requirement | None:
        parent = self.get(entry_id).parent
        return self._by_id[parent] if parent else None

    def ancestors(self, entry_id: str) -> list[Requirement]:
        """From the top heading down to the entry's parent: 部, 節, 款, 項."""
        chain: list[Requirement] = []
        current = self.parent(entry_id)
        while current is not None:
            chain.insert(0, current)
            current = self.parent(current.id)
        return chain

    def descendants(self, entry_id: str) -> list[Requirement]:
        found: list[Requirement] = []
        for child in self.children(entry_id):
            found += [child, *self.descendants(child.id)]
        return found


class CatalogError(ValueError):
    """Every problem found in a catalog, one per line."""

    def __init__(self, errors: Iterable[str]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(self.errors))


@cache
def known_roles() -> frozenset[str]:
    return frozenset(role_catalogue.catalogue()) | frozenset(PSEUDO_ROLES)


@cache
def known_handling_rules() -> frozenset[str]:
    # Imported here: the handling engine builds its tables at import, and a catalog
    # loaded for display only should not pay for that until it checks its links.
    from mamori.rules.handling_rules import BASE_RESTRICTION_RULES, BASE_RULES

    return frozenset(rule.id for rule in BASE_RULES + BASE_RESTRICTION_RULES)


# --- checking one entry ---------------------------------------------------------------

Where = Callable[[str | None], str]  # field name (None: the entry) → 「file:line」
Outline = tuple[str, str | None, str]  # id, parent, 「file:line」


def _strings(value: Any, name: str, label: str, errors: list[str], where: Where) -> list[str]:
    if isinstance(value, str):  # Excel cells and hand-written YAML: 「a, b」「a、b」「a b」
        value = [part for part in re.split(r"[,、\s]+", value) if part]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append(f"{where(name)}: {label}: {name} must be a list of codes")
        return []
    return list(value)


def _flag(value: Any, name: str, label: str, errors: list[str], where: Where) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | str) and str(value).strip().lower() in _BOOLEANS:
        return _BOOLEANS[str(value).strip().lower()]
    errors.append(f"{where(name)}: {label}: {name} must be true or false")
    return False


_BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
_BOOLEANS |= {"はい": True, "いいえ": False, "○": True, "×": False, "": False}


def check_entry(
    raw: Any,
    rulebook: Rulebook,
    where: Where,
    *,
    default_org_kinds: tuple[str, ...],
    infer_kind: bool = False,
) -> tuple[Requirement | None, list[str], Outline | None]:
    """One entry from a mapping, or the errors that stop it (`where(field)` locates them),
    and its outline (id, parent) for `check_tree`."""
    errors: list[str] = []
    if not isinstance(raw, dict):
        return None, [f"{where(None)}: an entry must be a mapping of fields"], None
    entry_id = raw.get("id")
    if isinstance(entry_id, int | float):  # YAML read 3.1 as a number: 3.10 would be lost
        return None, [f"{where('id')}: id {entry_id!r} must be text: quote it"], None
    if not isinstance(entry_id, str) or not entry_id.strip():
        return None, [f"{where('id')}: an entry needs an id"], None
    entry_id = entry_id.strip()
    label = entry_id
    for name in sorted(set(raw) - FIELDS):
        errors.append(f"{where(name)}: {label}: unknown field {name!r}")
    kind: Any = raw.get("kind")
    if kind in (None, "") and infer_kind:
        kind = next((k for k, p in rulebook.kinds.items() if p.fullmatch(entry_id)), None)
    if kind not in rulebook.kinds:
        known = ", ".join(rulebook.kinds)
        errors.append(f"{where('kind')}: {label}: unknown kind {kind!r} (one of {known})")
    elif not rulebook.kinds[str(kind)].fullmatch(entry_id):
        errors.append(f"{where('id')}: {label}: id does not match the pattern of a {kind}")
    texts: dict[str, str | None] = {}
    for name in ("title", "text", "source", "parent", "edition"):
        value = raw.get(name)
        if value is not None and not isinstance(value, str):
            errors.append(f"{where(name)}: {label}: {name} must be text")
            value = None
        texts[name] = value.strip() if value and value.strip() else None
    abbreviated = _flag(raw.get("abbreviated", False), "abbreviated", label, errors, where)
    text = texts["text"]
    if abbreviated and text not in (None, ABBREVIATED_TEXT):
        errors.append(
            f"{where('text')}: {label}: an abbreviated entry's text is {ABBREVIATED_TEXT}"
        )
    if text == ABBREVIATED_TEXT and not abbreviated:
        errors.append(f"{where('abbreviated')}: {label}: text （略） needs abbreviated: true")
    if kind in rulebook.text_kinds and not text:
        errors.append(f"{where('text')}: {label}: a {kind} needs its text (or （略）)")
    edition = texts["edition"]
    if rulebook.editions and edition not in EDITIONS:
        errors.append(f"{where('edition')}: {label}: edition must be one of {', '.join(EDITIONS)}")
    if not rulebook.editions and edition is not None:
        errors.append(f"{where('edition')}: {label}: only the 統一基準 has editions")
    role_codes = _strings(raw.get("roles", []), "roles", label, errors, where)
    for code in role_codes:
        if code not in known_roles():
            errors.append(f'{where("roles")}: {label}: unknown role code "{code}"')
    if role_codes and (abbreviated or not text):
        errors.append(f"{where('roles')}: {label}: roles need the entry's own text")
    kinds = _strings(raw.get("org_kinds", []), "org_kinds", label, errors, where)
    for code in kinds:
        if code not in ORG_KINDS:
            errors.append(f'{where("org_kinds")}: {label}: unknown organisation kind "{code}"')
    rule_ids = _strings(raw.get("rules", []), "rules", label, errors, where)
    for rule_id in rule_ids:
        if rule_id not in known_handling_rules():
            errors.append(f'{where("rules")}: {label}: unknown handling rule "{rule_id}"')
    staff_facing = _flag(raw.get("staff_facing", False), "staff_facing", label, errors, where)
    parent = texts["parent"]
    if kind in rulebook.explicit_parent_kinds and parent is None:
        errors.append(f"{where('parent')}: {label}: every {kind} names its parent")
    elif kind in rulebook.kinds and kind not in rulebook.explicit_parent_kinds:
        derived = rulebook.parent_from_id(entry_id)
        if parent is not None and parent != derived:
            errors.append(f"{where('parent')}: {label}: parent must be {derived!r} (from the id)")
        parent = derived
    outline = (entry_id, parent, where(None))
    if errors:
        return None, errors, outline
    return (
        Requirement(
            rulebook=rulebook.code,
            id=entry_id,
            kind=str(kind),
            parent=parent,
            title=texts["title"],
            text=text,
            edition=edition,
            abbreviated=abbreviated,
            roles=tuple(role_codes),
            org_kinds=tuple(kinds) or default_org_kinds,
            staff_facing=staff_facing,
            rules=tuple(rule_ids),
            source=texts["source"],
        ),
        [],
        outline,
    )


def check_tree(outline: list[Outline], existing: Catalog | None = None) -> list[str]:
    """Duplicate ids and missing parents, over every entry that has an id (even one with
    errors of its own, so one run shows everything); `existing` supplies the parents an
    import relies on."""
    errors: list[str] = []
    seen: dict[str, str] = {}
    for entry_id, _, place in outline:
        if entry_id in seen:
            errors.append(f"{place}: {entry_id}: duplicate id (first at {seen[entry_id]})")
        else:
            seen[entry_id] = place
    for entry_id, parent, place in outline:
        if parent and parent not in seen and not (existing and parent in existing):
            errors.append(f"{place}: {entry_id}: parent {parent} is missing")
    return errors


# --- loading the committed catalogs ---------------------------------------------------


def node_line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def field_lines(node: yaml.Node) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): node_line(value) for key, value in node.value}


def load_catalog(path: Path | str) -> Catalog:
    """Load and check one catalog file; raise CatalogError listing every problem."""
    path = Path(path)
    name = path.name
    try:
        loader = yaml.SafeLoader(path.read_text(encoding="utf-8"))
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise CatalogError([f"{name}:{line}: not valid YAML: {exc.problem}"]) from None
    if not isinstance(data, dict) or root is None:
        raise CatalogError([f"{name}:1: a catalog is a mapping with rulebook, title and entries"])
    top = field_lines(root)
    errors: list[str] = []
    code = data.get("rulebook")
    if code not in RULEBOOKS:
        raise CatalogError([f"{name}:{top.get('rulebook', 1)}: unknown rulebook {code!r}"])
    rulebook = RULEBOOKS[code]
    title = data.get("title")
    if not isinstance(title, str) or not title:
        errors.append(f"{name}:{top.get('title', 1)}: the catalog needs a title")
    default_kinds = data.get("org_kinds")
    if not isinstance(default_kinds, list) or not default_kinds:
        errors.append(f"{name}:{top.get('org_kinds', 1)}: org_kinds: the kinds it applies to")
        default_kinds = []
    for kind in default_kinds:
        if kind not in ORG_KINDS:
            errors.append(f'{name}:{top.get("org_kinds", 1)}: unknown organisation kind "{kind}"')
    raw_entries = data.get("entries")
    nodes = [value for key, value in root.value if key.value == "entries"]
    if not isinstance(raw_entries, list) or not nodes:
        raise CatalogError([*errors, f"{name}:{top.get('entries', 1)}: entries must be a list"])
    checked: list[Requirement] = []
    outline: list[Outline] = []
    for raw, node in zip(raw_entries, nodes[0].value, strict=True):
        lines = field_lines(node)

        def where(
            field_name: str | None, _node: yaml.Node = node, _lines: dict[str, int] = lines
        ) -> str:
            return f"{name}:{_lines.get(field_name or '', node_line(_node))}"

        entry, problems, place = check_entry(
            raw, rulebook, where, default_org_kinds=tuple(str(k) for k in default_kinds)
        )
        errors += problems
        outline += [place] if place else []
        checked += [entry] if entry else []
    errors += check_tree(outline)
    if errors:
        raise CatalogError(errors)
    return Catalog(code, str(title), tuple(default_kinds), tuple(checked))


@cache
def load_all() -> Mapping[str, Catalog]:
    """The committed catalogs by rulebook code (toitsu, mod, mic_pii); shared, read-only."""
    return MappingProxyType({code: load_catalog(CATALOG_DIR / f) for code, f in FILES.items()})


# --- lookups ---------------------------------------------------------------------------


def requirements_for(catalog: Catalog, roles: set[str], org_kind: str) -> list[Requirement]:
    """The clauses a person answers for in a self-assessment, in catalog order: those
    addressed to one of their roles or to all staff, and, for the officers who answer for
    the organisation, those addressed to the organisation; only clauses that apply to the
    organisation's kind, and only those with text of their own (an abbreviated clause
    waits for the official catalog to be imported)."""
    if org_kind not in ORG_KINDS:
        raise ValueError(f"unknown organisation kind {org_kind!r}")
    wanted = set(roles) | {ALL_STAFF}
    if roles & AGENCY_ANSWERED_BY.get(catalog.rulebook, frozenset()):
        wanted.add(AGENCY)
    return [
        entry
        for entry in catalog.entries
        if entry.checkable and org_kind in entry.org_kinds and wanted.intersection(entry.roles)
    ]
