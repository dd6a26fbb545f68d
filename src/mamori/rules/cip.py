"""The critical-infrastructure sharing structure as data (行動計画 別紙1–5, 別添).

Sectors, ministries and contact routes are in catalogs/cip_sectors.yaml, services and
their service-maintenance levels in catalogs/cip_services.yaml, event types and causes in
catalogs/cip_events.yaml. The functions here are pure: the sharing app stores the codes
and asks these functions what they mean, whether a level is exceeded, which parties the
mode adds to alert routes and whether a text still names the reporter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml

from mamori.rules.refs import CIP, cite

_CATALOGS = Path(__file__).with_name("catalogs")


def _label(language: str, ja: str, en: str) -> str:
    return en if language.startswith("en") else ja


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((_CATALOGS / name).read_text(encoding="utf-8"))
    return data


class _Named:
    """A catalog entry with a Japanese and an English name."""

    ja: str
    en: str

    def label(self, language: str) -> str:
        return _label(language, self.ja, self.en)


_T = TypeVar("_T")


def _lookup(table: Mapping[str, _T], code: str, what: str) -> _T:
    try:
        return table[code]
    except KeyError:
        raise ValueError(f"unknown {what} {code!r}") from None


def _check(
    what: str,
    code: str,
    listed: Container[str],
    references: Iterable[tuple[str, str, Container[str]]],
) -> None:
    """Refuse a catalog entry listed twice or naming an entry of another catalog that
    does not exist (references: kind, code, the codes known)."""
    if code in listed:
        raise ValueError(f"{what} {code} is listed twice")
    for kind, reference, known in references:
        if reference not in known:
            raise ValueError(f"{what} {code}: unknown {kind} {reference}")


# --- sectors and ministries (別紙1, 別紙4-1, 別紙5) ---------------------------------------


@dataclass(frozen=True)
class Ministry(_Named):
    code: str
    ja: str
    en: str


@dataclass(frozen=True)
class Sector(_Named):
    code: str
    ja: str
    en: str
    ministry: str
    impacts_ja: str
    impacts_en: str
    operators_ja: str
    operators_en: str
    systems_ja: str
    systems_en: str
    ceptoars: tuple[str, ...]
    route_ja: str
    route_en: str
    group_ja: str = ""
    group_en: str = ""
    citation: str = cite(CIP, "別紙1")


@cache
def ministries() -> dict[str, Ministry]:
    return {m["code"]: Ministry(**m) for m in _load("cip_sectors.yaml")["ministries"]}


@cache
def sectors() -> dict[str, Sector]:
    result: dict[str, Sector] = {}
    known = ministries()
    for entry in _load("cip_sectors.yaml")["sectors"]:
        entry = dict(entry)
        entry["ceptoars"] = tuple(entry.get("ceptoars", ()))
        sector = Sector(**entry)
        _check("sector", sector.code, result, [("ministry", sector.ministry, known)])
        result[sector.code] = sector
    return result


def sector(code: str) -> Sector:
    return _lookup(sectors(), code, "sector")


def sectors_of_ministry(ministry_code: str) -> tuple[Sector, ...]:
    return tuple(s for s in sectors().values() if s.ministry == ministry_code)


# --- services and service-maintenance levels (別紙2) -------------------------------------


@dataclass(frozen=True)
class Figure(_Named):
    code: str
    ja: str
    en: str
    unit_ja: str
    unit_en: str

    def unit(self, language: str) -> str:
        return _label(language, self.unit_ja, self.unit_en)


@dataclass(frozen=True)
class Threshold:
    figure: str
    min: int


@dataclass(frozen=True)
class Service(_Named):
    code: str
    sector: str
    ja: str
    en: str
    level_ja: str
    level_en: str
    basis_ja: str
    basis_en: str
    thresholds: tuple[Threshold, ...] = ()

    @property
    def quantitative(self) -> bool:
        return bool(self.thresholds)

    @property
    def citation(self) -> str:
        return cite(CIP, "別紙2")

    def level(self, language: str) -> str:
        return _label(language, self.level_ja, self.level_en)

    def basis(self, language: str) -> str:
        return _label(language, self.basis_ja, self.basis_en)


@cache
def figures() -> dict[str, Figure]:
    return {f["code"]: Figure(**f) for f in _load("cip_services.yaml")["figures"]}


@cache
def services() -> dict[str, Service]:
    result: dict[str, Service] = {}
    known_figures = figures()
    known_sectors = sectors()
    for entry in _load("cip_services.yaml")["services"]:
        entry = dict(entry)
        thresholds = tuple(
            Threshold(figure=t["figure"], min=int(t["min"])) for t in entry.pop("thresholds", [])
        )
        service = Service(**entry, thresholds=thresholds)
        references: list[tuple[str, str, Container[str]]] = [
            ("sector", service.sector, known_sectors)
        ]
        references += [("figure", t.figure, known_figures) for t in thresholds]
        _check("service", service.code, result, references)
        result[service.code] = service
    return result


def service(code: str) -> Service:
    return _lookup(services(), code, "service")


def services_for(sector_code: str) -> tuple[Service, ...]:
    return tuple(s for s in services().values() if s.sector == sector_code)


@dataclass(frozen=True)
class Reason:
    """One threshold compared with the reported figure (value None: not reported)."""

    figure: str
    threshold: int
    value: float | None

    @property
    def met(self) -> bool | None:
        return None if self.value is None else self.value >= self.threshold


@dataclass(frozen=True)
class Verdict:
    """Whether a reported failure goes beyond the service-maintenance level.

    exceeds is None when the level is qualitative or a needed figure is missing: the
    tool then cannot tell and says so, rather than guessing."""

    exceeds: bool | None
    reasons: tuple[Reason, ...]
    citation: str
    qualitative: bool = False

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(r.figure for r in self.reasons if r.value is None)


def parse_figure(value: object) -> float | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(unicodedata.normalize("NFKC", value).replace(",", "").strip())
        except ValueError:
            return None
    else:
        return None
    if number != number or number < 0:  # NaN or negative: not a usable figure
        return None
    return number


def exceeds_level(service_code: str, figures_given: Mapping[str, object]) -> Verdict:
    """Compare reported figures with the service's level (別紙2): exceeded when every
    threshold is reached; not exceeded when any reported figure stays below its
    threshold; None when the level is qualitative or figures are missing."""
    svc = service(service_code)
    if not svc.quantitative:
        return Verdict(exceeds=None, reasons=(), citation=svc.citation, qualitative=True)
    reasons = tuple(
        Reason(t.figure, t.min, parse_figure(figures_given.get(t.figure))) for t in svc.thresholds
    )
    if any(r.met is False for r in reasons):
        exceeds: bool | None = False
    elif all(r.met for r in reasons):
        exceeds = True
    else:
        exceeds = None
    return Verdict(exceeds=exceeds, reasons=reasons, citation=svc.citation)


# --- event types and causes (別紙3) --------------------------------------------------------


@dataclass(frozen=True)
class EventType(_Named):
    code: str
    group_ja: str
    group_en: str
    ja: str
    en: str
    impact: str = ""  # c, i or a: the property the event threatens

    def group(self, language: str) -> str:
        return _label(language, self.group_ja, self.group_en)


@dataclass(frozen=True)
class CauseExample(_Named):
    code: str
    ja: str
    en: str


@dataclass(frozen=True)
class Cause(_Named):
    code: str
    ja: str
    en: str
    examples: tuple[CauseExample, ...]


EVENTS_CITATION = cite(CIP, "別紙3")


@cache
def events() -> dict[str, EventType]:
    return {e["code"]: EventType(**e) for e in _load("cip_events.yaml")["events"]}


@cache
def causes() -> dict[str, Cause]:
    result: dict[str, Cause] = {}
    for entry in _load("cip_events.yaml")["causes"]:
        examples = tuple(CauseExample(**x) for x in entry.get("examples", []))
        result[entry["code"]] = Cause(entry["code"], entry["ja"], entry["en"], examples)
    return result


def cause_examples() -> dict[str, tuple[str, CauseExample]]:
    """Every cause example by code, with the cause it belongs to."""
    return {x.code: (c.code, x) for c in causes().values() for x in c.examples}


# --- routes and modes (別添2.3, 3.3, 別紙4-1, 4-2) ------------------------------------------

MODE_NORMAL = "normal"
MODE_LARGE_SCALE = "large_scale"

REPORT_ROUTE_CITATION = cite(CIP, "別添3.3")
ALERT_ROUTE_CITATION = cite(CIP, "別添2.3")
EARLY_WARNING_CITATION = cite(CIP, "別添2.3④")
RANGE_CITATION = cite(CIP, "別添2.1")
ANONYMISE_CITATION = cite(CIP, "別添2.2")
VOLUNTARY_CITATION = cite(CIP, "別添3.4")
CONTACT_CITATION = cite(CIP, "別添3.2")


@dataclass(frozen=True)
class ModeRoute:
    mode: str
    added_roles: tuple[str, ...]  # sharing party roles added to alert routes
    citation: str


def mode_route(mode: str) -> ModeRoute:
    """Parties an alert reaches besides the sector chain, by mode. In large-scale IT
    failure mode 内閣官房（安全保障・危機管理担当）, the disaster-related ministries and the
    incident-response ministries join (別紙4-2, Ⅲ.2.4.2)."""
    if mode == MODE_NORMAL:
        return ModeRoute(mode, (), cite(CIP, "別紙4-1"))
    if mode == MODE_LARGE_SCALE:
        return ModeRoute(
            mode,
            ("cabinet_crisis", "disaster_ministry", "incident_ministry"),
            cite(CIP, "別紙4-2"),
        )
    raise ValueError(f"unknown mode {mode!r}")


# --- sharing range (TLP 2.0) -------------------------------------------------------------

TLP_LABELS = ("clear", "green", "amber", "amber_strict", "red")


def range_problem(tlp: str, parties_chosen: bool) -> str | None:
    """What is wrong with a sharing range, as a code (None when it is consistent):
    "unknown_tlp"; "red_with_parties" (TLP:RED is for the named route only);
    "no_parties" (GREEN/AMBER need at least one party group or organisation)."""
    if tlp not in TLP_LABELS:
        return "unknown_tlp"
    if tlp == "red" and parties_chosen:
        return "red_with_parties"
    if tlp in ("green", "amber", "amber_strict") and not parties_chosen:
        return "no_parties"
    return None


# --- anonymisation (別添2.2) ---------------------------------------------------------------

REDACTED = "［匿名化］"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(?:\+?81[-\s]?|0)\d{1,4}[-\s(（]?\d{1,4}[-\s)）]?\d{3,4}(?!\d)")
_MIN_IDENTIFIER = 2


def _identifiers(identifiers: Iterable[str]) -> list[str]:
    cleaned = {unicodedata.normalize("NFKC", i).strip() for i in identifiers if i}
    cleaned = {i for i in cleaned if len(i) >= _MIN_IDENTIFIER}
    return sorted(
        cleaned, key=len, reverse=True
    )  # longest first: 「東都電力株式会社」 before 「東都電力」


def anonymise(text: str, identifiers: Iterable[str]) -> str:
    """Remove the reporter's identity from `text`: every given identifier (names,
    organisation names and codes, contact details) and any e-mail address or telephone
    number is replaced by ［匿名化］."""
    result = unicodedata.normalize("NFKC", text)
    for identifier in _identifiers(identifiers):
        result = re.sub(re.escape(identifier), REDACTED, result, flags=re.IGNORECASE)
    result = _EMAIL.sub(REDACTED, result)
    return _PHONE.sub(REDACTED, result)


def identifying_details(text: str, identifiers: Iterable[str]) -> tuple[str, ...]:
    """The identifiers, e-mail addresses and telephone numbers still present in `text`
    (empty when the text is anonymous)."""
    normalised = unicodedata.normalize("NFKC", text).casefold()
    found = [i for i in _identifiers(identifiers) if i.casefold() in normalised]
    found += _EMAIL.findall(unicodedata.normalize("NFKC", text))
    found += _PHONE.findall(unicodedata.normalize("NFKC", text))
    return tuple(dict.fromkeys(found))
