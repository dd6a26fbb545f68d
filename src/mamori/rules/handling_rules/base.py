"""What every handling rule is made of: the request vocabulary, the facts a rule reads,
the partial decision it returns, and the registry the engine builds its tables from.

A rule is a small function `Facts -> Partial | None`, registered with the actions it
speaks to, the rulebook it belongs to and the facts it reads. Partials are built once, at
import, so the engine only picks among ready-made objects. `reads` lets the policy loader
ask, exactly, whether a rule can fire anywhere inside an agency's conditions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from mamori.rules import roles
from mamori.rules.classification import CORPORATE_KINDS, ORG_KINDS

VERDICTS = ("allow", "allow_with_measures", "needs_permission", "deny")
RANK = {verdict: rank for rank, verdict in enumerate(VERDICTS)}

ACTIONS: dict[str, tuple[str, str]] = {
    "store": ("保存する", "store it"),
    "process_outside_area": (
        "要管理対策区域の外で情報処理をする",
        "work on it outside the controlled area",
    ),
    "use_external_media": (
        "USBメモリ等の外部電磁的記録媒体で扱う",
        "put it on a USB stick or other external medium",
    ),
    "provide": ("提供する", "provide it to someone"),
    "publish": ("公表する", "publish it"),
    "carry_outside": (
        "記録媒体を要管理対策区域の外へ持ち出す",
        "take a medium holding it outside the controlled area",
    ),
    "carry_device_outside": (
        "端末・情報システムを職場の外へ持ち出す",
        "take a terminal or system holding it out of the workplace",
    ),
    "send": ("送信・送付する", "send it"),
    "use_issued_terminal_outside": (
        "支給端末を要管理対策区域の外で使う",
        "use an issued terminal outside the controlled area",
    ),
    "use_non_issued_terminal": (
        "支給以外の端末（私物等）で扱う",
        "use a terminal not issued by your organisation",
    ),
    "reconnect_terminal": (
        "外で使った端末を庁内LANにつなぎ直す",
        "reconnect a terminal used outside to the internal network",
    ),
    "use_cloud_service": ("クラウドサービスで扱う", "use a cloud service for it"),
    "cloud_share": (
        "クラウドサービスで外部の人と共有する",
        "share it with outside people through a cloud service",
    ),
    "web_form_submit": ("ウェブサイトのフォームに入力して送信する", "submit it through a web form"),
    "copy": ("複製する", "copy it"),
    "forward": ("転送する", "forward it"),
    "print": ("印刷する", "print it"),
    "dispose": ("消去・廃棄する", "erase or dispose of it"),
}
RULEBOOK_BITS = {"toitsu": 1, "mod": 2, "mic_pii": 4}
ACTION_NUMBER = {action: number for number, action in enumerate(ACTIONS)}
# Facts a rule may require to be true before it can fire (`rule(requires=…)`). With the
# rulebook bits they index the engine's tables, so a request only runs the rules that can
# speak to it: a 機密性1 request without personal data skips most of them.
FLAG_BITS = {
    "protected": 8,
    "kimitsu": 16,
    "high": 32,
    "pii": 64,
    "electronic": 128,
    "corp": 256,
    "carrying": 512,
    "transmitting": 1024,
    "on_medium": 2048,
    "outside": 4096,
    "issued_outside": 8192,
    "non_issued": 16384,
    "on_cloud": 32768,
}
INDEX_SHIFT = 16  # rule_index = action number << INDEX_SHIFT | rulebook and flag bits
KNOWN_RULEBOOKS = tuple(roles.RULEBOOKS)  # cip has no handling rules but may be switched on
TYPES: dict[str, tuple[str, str]] = {
    "personal": ("個人情報", "personal information"),
    "my_number": (
        "個人番号（マイナンバー）・特定個人情報",
        "My Number (individual number) information",
    ),
    "mod_secret": ("秘密電子計算機情報等（防衛省）", "MOD secret computer information"),
    "mod_caution": ("注意電子計算機情報（防衛省）", "MOD caution computer information"),
}
LOCATIONS = ("inside", "outside", "designated_area")
TERMINALS = ("issued", "non_issued")
CHANNELS = (
    "agency_mail",
    "other_mail",
    "external_line",
    "internet",
    "approved_storage",
    "unapproved_storage",
    "courier",
    "hand_carry",
)
RECIPIENTS = ("within_viewers", "outside_viewers", "public")
CLOUDS = ("unapproved", "approved_nonconfidential", "approved_confidential")
MEDIA_STATES = ("registered", "unregistered")
MEDIUMS = ("electronic", "paper")
MYNUMBER_HANDLER = "mynumber_handler"

# Groups the rules share.
SENDING = frozenset({"provide", "send", "forward"})
CARRY_CHANNELS = frozenset({"courier", "hand_carry"})
MAIL = frozenset({"agency_mail", "other_mail"})
STORAGE_CHANNELS = frozenset({"approved_storage", "unapproved_storage"})
ELECTRONIC_CHANNELS = frozenset(CHANNELS) - CARRY_CHANNELS
# 機関等外通信回線. Agency mail leaves the agency's own lines when it goes to other people.
EXTERNAL_CHANNELS = frozenset({"other_mail", "external_line", "internet"}) | STORAGE_CHANNELS
OUTWARD = frozenset({"outside_viewers", "public"})
# Actions in which someone works on the information at a terminal (情報処理).
PROCESSING = frozenset(
    {
        "store",
        "copy",
        "print",
        "use_external_media",
        "process_outside_area",
        "provide",
        "send",
        "forward",
        "web_form_submit",
        "use_cloud_service",
        "cloud_share",
        "use_issued_terminal_outside",
        "use_non_issued_terminal",
    }
)


@dataclass(frozen=True)
class ActionSpec:
    """How an action reads the context. `location` is where the work happens or, for
    taking things out, where they go; some actions fix it or the terminal."""

    default_location: str = "inside"
    locations: tuple[str, ...] = LOCATIONS
    terminal: str | None = None  # implied by the action; a request may repeat it
    requires: tuple[str, ...] = ()  # context fields that must be given


_OUT = ("outside", "designated_area")
ACTION_SPECS: dict[str, ActionSpec] = {action: ActionSpec() for action in ACTIONS}
ACTION_SPECS.update(
    {
        "process_outside_area": ActionSpec("outside", _OUT),
        "carry_outside": ActionSpec("outside", _OUT),
        "carry_device_outside": ActionSpec("outside", _OUT, terminal="issued"),
        "use_issued_terminal_outside": ActionSpec("outside", _OUT, terminal="issued"),
        "use_non_issued_terminal": ActionSpec(terminal="non_issued"),
        "provide": ActionSpec(requires=("recipient",)),
        "send": ActionSpec(requires=("channel", "recipient")),
        "forward": ActionSpec(requires=("channel", "recipient")),
        "cloud_share": ActionSpec(requires=("cloud", "recipient")),
        "use_cloud_service": ActionSpec(requires=("cloud",)),
        "use_external_media": ActionSpec(requires=("media",)),
    }
)


class Facts(NamedTuple):
    """One request, checked and normalised. The first block is what the request says;
    the second is derived from it (see make_facts)."""

    action: str
    org_kind: str
    toitsu: bool
    mod: bool
    mic: bool
    confidentiality: int
    integrity: int  # 1 when not given (書面 has none)
    availability: int
    medium: str
    restrictions: frozenset[str]
    personal: bool
    my_number: bool
    mod_secret: bool
    mod_caution: bool
    location: str
    terminal: str | None
    channel: str | None
    recipient: str | None
    cloud: str | None
    media: str | None
    treat_c3_as_national: bool
    handler: bool  # the actor is a 事務取扱担当者 (mynumber_handler)
    outsourced: bool
    # derived
    corp: bool  # 独立行政法人及び指定法人
    kimitsu: bool  # 要機密 (機密性2以上)
    c3: bool
    high: bool  # 機密性3, 要保全 or 要安定
    protected: bool  # 要保護
    electronic: bool
    pii: bool  # personal information, My Number included
    carrying: bool  # a medium or device holding it leaves the area (see carries)
    transmitting: bool  # it travels as an electronic record over a line (see transmits)
    on_medium: bool  # it is on a USB stick or similar (see on_external_medium)
    outside: bool  # someone works on it outside the area (see processes_outside)
    issued_outside: bool  # on an issued terminal outside the area
    non_issued: bool  # on a terminal the organisation did not issue
    on_cloud: bool  # through a cloud service or online storage
    rule_index: int  # action number, rulebooks switched on and FLAG_BITS: the engine's table key


RAW_FEATURES = Facts._fields[1 : Facts._fields.index("corp")]
DERIVED_FROM: dict[str, tuple[str, ...]] = {
    "corp": ("org_kind",),
    "kimitsu": ("confidentiality",),
    "c3": ("confidentiality",),
    "high": ("confidentiality", "integrity", "availability"),
    "protected": ("confidentiality", "integrity", "availability"),
    "electronic": ("medium",),
    "pii": ("personal", "my_number"),
    "carrying": ("channel",),
    "transmitting": ("channel",),
    "on_medium": ("medium", "channel"),
    "outside": ("location", "channel"),
    "issued_outside": ("terminal", "location", "channel"),
    "non_issued": ("terminal",),
    "on_cloud": ("cloud", "channel"),
}
_BOOL = (False, True)
FEATURE_DOMAINS: dict[str, tuple[object, ...]] = {
    "org_kind": tuple(ORG_KINDS),
    "toitsu": _BOOL,
    "mod": _BOOL,
    "mic": _BOOL,
    "confidentiality": (1, 2, 3),
    "integrity": (1, 2),
    "availability": (1, 2),
    "medium": MEDIUMS,
    "restrictions": (),
    "personal": _BOOL,
    "my_number": _BOOL,
    "mod_secret": _BOOL,
    "mod_caution": _BOOL,
    "location": LOCATIONS,
    "terminal": (None, *TERMINALS),
    "channel": (None, *CHANNELS),
    "recipient": (None, *RECIPIENTS),
    "cloud": (None, *CLOUDS),
    "media": (None, *MEDIA_STATES),
    "treat_c3_as_national": _BOOL,
    "handler": _BOOL,
    "outsourced": _BOOL,
}


# What the request does, read from the action and the context. The rules read these as
# facts; the engine reads them once per context (intake._Contexts) and a test holds it to that.


def carries(f: Facts) -> bool:
    """A medium or device holding the information leaves the controlled area: taking it
    out, or providing or sending it by courier or by hand."""
    return f.action in ("carry_outside", "carry_device_outside") or (
        f.action in SENDING and f.channel in CARRY_CHANNELS
    )


def transmits(f: Facts) -> bool:
    """The information travels as an electronic record over some line."""
    return f.action == "web_form_submit" or (
        f.action in SENDING and f.channel in ELECTRONIC_CHANNELS
    )


def on_external_medium(f: Facts) -> bool:
    """Electronic information on a USB stick or similar: using one, or carrying or
    posting one."""
    if f.action == "use_external_media":
        return True
    return f.medium == "electronic" and (
        f.action == "carry_outside" or (f.action in SENDING and f.channel in CARRY_CHANNELS)
    )


ALWAYS_OUTSIDE = frozenset({"process_outside_area", "use_issued_terminal_outside"})


def processes_outside(f: Facts) -> bool:
    """Someone works on it at a terminal outside the controlled area. `location` is where
    the work happens; handing a medium to a courier is carrying, not working."""
    if f.action in ALWAYS_OUTSIDE:
        return True
    if f.location == "inside" or f.action not in PROCESSING:
        return False
    return not (f.action in SENDING and f.channel in CARRY_CHANNELS)


def uses_issued_terminal_outside(f: Facts) -> bool:
    if f.action in ("use_issued_terminal_outside", "carry_device_outside"):
        return True
    return f.terminal == "issued" and processes_outside(f)


def uses_cloud(f: Facts) -> bool:
    return (
        f.action in ("cloud_share", "use_cloud_service")
        or f.cloud is not None
        or (f.channel in STORAGE_CHANNELS)
    )


def derive(raw: Facts) -> Facts:
    """Recompute the derived facts from the raw ones."""
    c, i, a = raw.confidentiality, raw.integrity, raw.availability
    flags = dict(
        corp=raw.org_kind in CORPORATE_KINDS,
        kimitsu=c >= 2,
        high=c == 3 or i == 2 or a == 2,
        protected=c >= 2 or i == 2 or a == 2,
        electronic=raw.medium == "electronic",
        pii=raw.personal or raw.my_number,
        carrying=carries(raw),
        transmitting=transmits(raw),
        on_medium=on_external_medium(raw),
        outside=processes_outside(raw),
        issued_outside=uses_issued_terminal_outside(raw),
        non_issued=raw.terminal == "non_issued",
        on_cloud=uses_cloud(raw),
    )
    index = ACTION_NUMBER[raw.action] << INDEX_SHIFT | raw.toitsu * 1 | raw.mod * 2 | raw.mic * 4
    for name, bit in FLAG_BITS.items():
        index |= bit if flags[name] else 0
    return raw._replace(c3=c == 3, rule_index=index, **flags)  # type: ignore[arg-type]


def make_facts(action: str, **raw: object) -> Facts:
    """Facts from keyword features, defaults for the rest (the action's own defaults for
    location and terminal). For tests and for the policy loader; the engine builds its
    facts inline, and a test holds the two to the same result."""
    unknown = set(raw) - set(RAW_FEATURES)
    if unknown:
        raise TypeError(f"unknown features {sorted(unknown)}")
    spec = ACTION_SPECS[action]
    values: dict[str, Any] = {
        "org_kind": "national",
        "toitsu": True,
        "mod": False,
        "mic": False,
        "confidentiality": 1,
        "integrity": 1,
        "availability": 1,
        "medium": "electronic",
        "restrictions": frozenset(),
        "personal": False,
        "my_number": False,
        "mod_secret": False,
        "mod_caution": False,
        "location": spec.default_location,
        "terminal": spec.terminal,
        "channel": None,
        "recipient": None,
        "cloud": None,
        "media": None,
        "treat_c3_as_national": False,
        "handler": False,
        "outsourced": False,
    }
    values.update(raw)
    values["restrictions"] = frozenset(values["restrictions"])
    base = Facts(
        action=action,
        **values,
        corp=False,
        kimitsu=False,
        c3=False,
        high=False,
        protected=False,
        electronic=False,
        pii=False,
        carrying=False,
        transmitting=False,
        on_medium=False,
        outside=False,
        issued_outside=False,
        non_issued=False,
        on_cloud=False,
        rule_index=0,
    )
    return derive(base)


# --- measures ----------------------------------------------------------------------------


@cache
def measure_catalogue() -> Mapping[str, tuple[str, str]]:
    """code → (ja, en), in catalogue order (the order decisions list measures in)."""
    path = Path(__file__).resolve().parent.parent / "catalogs" / "measures.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    catalogue: dict[str, tuple[str, str]] = {}
    for entry in entries:
        if entry["code"] in catalogue:
            raise ValueError(f"measure {entry['code']} is listed twice in measures.yaml")
        catalogue[entry["code"]] = (entry["ja"], entry["en"])
    return catalogue


# --- partial decisions and rules ---------------------------------------------------------


class Partial:
    """What one rule says about one request. Built once; compared by identity."""

    __slots__ = (
        "rule_id",
        "verdict",
        "rank",
        "permission_from",
        "measures",
        "citations",
        "ja",
        "en",
    )

    def __init__(
        self,
        rule_id: str,
        verdict: str,
        citations: tuple[str, ...],
        ja: str,
        en: str,
        permission_from: tuple[str, ...],
        measures: tuple[str, ...],
    ) -> None:
        self.rule_id = rule_id
        self.verdict = verdict
        self.rank = RANK[verdict]
        self.permission_from = permission_from
        self.measures = measures
        self.citations = citations
        self.ja = ja
        self.en = en

    def __repr__(self) -> str:
        return f"<Partial {self.rule_id}: {self.verdict}>"


def partial(
    rule_id: str,
    verdict: str,
    citations: str | Iterable[str],
    ja: str,
    en: str,
    *,
    permission_from: Iterable[str] = (),
    measures: Iterable[str] = (),
    known_measures: Mapping[str, object] | None = None,
) -> Partial:
    """A checked Partial: the verdict matches what it carries, codes exist."""
    cited = (citations,) if isinstance(citations, str) else tuple(citations)
    permissions, needed = tuple(permission_from), tuple(measures)
    if verdict not in RANK:
        raise ValueError(f"{rule_id}: unknown verdict {verdict!r}")
    if not cited or not ja or not en:
        raise ValueError(
            f"{rule_id}: a partial decision needs a citation and a reason in ja and en"
        )
    if (verdict == "needs_permission") != bool(permissions):
        raise ValueError(f"{rule_id}: permission_from goes with needs_permission and only with it")
    if verdict == "allow_with_measures" and not needed:
        raise ValueError(f"{rule_id}: allow_with_measures needs measures")
    if verdict == "allow" and needed:
        raise ValueError(f"{rule_id}: a rule that asks for measures is allow_with_measures")
    for code in permissions:
        roles.get(code)
    catalogue = measure_catalogue() if known_measures is None else known_measures
    for code in needed:
        if code not in catalogue:
            raise ValueError(f"{rule_id}: unknown measure {code!r}")
    return Partial(rule_id, verdict, cited, ja, en, permissions, needed)


RuleFunction = Callable[[Facts], "Partial | None"]


@dataclass(frozen=True)
class Rule:
    id: str
    rulebook: str
    actions: tuple[str, ...]
    reads: tuple[str, ...]  # raw features the rule looks at (derived ones expanded)
    fn: RuleFunction
    requires: int = 0  # FLAG_BITS that must all be set for the rule to fire


REGISTRY: dict[str, Rule] = {}


def expand_reads(reads: Iterable[str]) -> tuple[str, ...]:
    expanded: list[str] = []
    for name in reads:
        for feature in DERIVED_FROM.get(name, (name,)):
            if feature not in RAW_FEATURES:
                raise ValueError(f"unknown feature {feature!r}")
            if feature not in expanded:
                expanded.append(feature)
    return tuple(expanded)


def rule(
    rule_id: str,
    *,
    rulebook: str,
    actions: Iterable[str],
    reads: Iterable[str],
    requires: Iterable[str] = (),
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule function. `reads` names every fact it looks at besides the action;
    `requires` the FLAG_BITS facts without which it never fires (tests hold it to that)."""
    acts = tuple(actions)
    unknown = [a for a in acts if a not in ACTIONS]
    if unknown or rulebook not in RULEBOOK_BITS:
        raise ValueError(f"{rule_id}: unknown actions {unknown} or rulebook {rulebook!r}")
    needed = tuple(requires)
    if set(needed) - set(FLAG_BITS):
        raise ValueError(f"{rule_id}: requires only {sorted(FLAG_BITS)}")
    read = expand_reads(reads)
    mask = sum(FLAG_BITS[name] for name in needed)

    def register(fn: RuleFunction) -> RuleFunction:
        if rule_id in REGISTRY:
            raise ValueError(f"rule {rule_id} is registered twice")
        REGISTRY[rule_id] = Rule(rule_id, rulebook, acts, read, fn, mask)
        return fn

    return register
