"""From a request (JSON-shaped dict) to Facts: checked, defaulted, with the derived facts
and the engine's table index. This is the engine's hot path, so it reads the request
directly and raises a bare Unreadable at the first problem; validation.validate then says
exactly what is wrong. Tests hold the two to the same verdict on every request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mamori.rules import roles
from mamori.rules.classification import (
    CORPORATE_KINDS,
    ORG_KINDS,
    RestrictionKind,
)
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
    MYNUMBER_HANDLER,
    RECIPIENTS,
    RULEBOOK_BITS,
    SENDING,
    TERMINALS,
    Facts,
    make_facts,
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
CONTEXT_ENUMS: dict[str, tuple[str, ...]] = {
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


class Unreadable(Exception):
    """Raised by the fast path; validation.validate then says exactly what is wrong."""


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
    does not check out raises Unreadable and is not stored."""

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
            if value is not None and (
                value.__class__ is not str or value not in CONTEXT_ENUMS[name]
            ):
                raise Unreadable
        if location is None:
            location = (
                "outside"
                if action in SENDING and channel in CARRY_CHANNELS
                else spec.default_location
            )
        elif location not in spec.locations:
            raise Unreadable
        if terminal is None:
            terminal = spec.terminal
        elif spec.terminal is not None and terminal != spec.terminal:
            raise Unreadable
        given = {"channel": channel, "cloud": cloud, "media": media, "recipient": recipient}
        if any(given[name] is None for name in spec.requires):
            raise Unreadable
        f = make_facts(action, medium=medium, location=location, terminal=terminal, **given)
        bits = ACTION_NUMBER[action] << INDEX_SHIFT
        for name in _CONTEXT_FLAGS:
            if getattr(f, name):
                bits |= FLAG_BITS[name]
        found = (location, terminal, *(getattr(f, name) for name in _CONTEXT_FLAGS), bits)
        self[key] = found
        return found


_CONTEXTS = _Contexts()
# extract() writes these bits as literals, for speed.
assert {k: FLAG_BITS[k] for k in ("protected", "kimitsu", "high", "pii", "electronic", "corp")} == {
    "protected": 8,
    "kimitsu": 16,
    "high": 32,
    "pii": 64,
    "electronic": 128,
    "corp": 256,
}


def extract(
    request: Any, vocabulary: Mapping[str, RestrictionKind], contexts: _Contexts = _CONTEXTS
) -> Facts:
    """The request as Facts, or Unreadable/KeyError/TypeError if anything is off. Kept in step
    with validation.validate by tests; that function says what is wrong."""
    if request.__class__ is not dict or not TOP_KEYS.issuperset(request):
        raise Unreadable
    org_kind = request["org_kind"]
    corp = _CORP[org_kind]
    books = request.get("rulebooks")
    if books is None:
        mask = 1
    else:
        if books.__class__ is not list or not books:
            raise Unreadable
        mask = 0
        for code in books:
            mask |= _RULEBOOK_MASK[code]
    info = request["info"]
    if info.__class__ is not dict or not INFO_KEYS.issuperset(info):
        raise Unreadable
    c = info["confidentiality"]
    if c.__class__ is not int or c < 1 or c > 3:
        raise Unreadable
    i = info.get("integrity")
    a = info.get("availability")
    medium = info.get("medium", "electronic")
    if medium == "electronic":
        if i is None:
            i = 1
        elif i.__class__ is not int or (i != 1 and i != 2):
            raise Unreadable
        if a is None:
            a = 1
        elif a.__class__ is not int or (a != 1 and a != 2):
            raise Unreadable
    elif medium == "paper" and i is None and a is None:
        i = a = 1
    else:
        raise Unreadable
    listed = info.get("restrictions")
    restrictions = _EMPTY if listed is None or listed == [] else _restrictions(listed, vocabulary)
    personal = my_number = secret = caution = False
    types = info.get("types")
    if types:
        if types.__class__ is not list:
            raise Unreadable
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
                raise Unreadable
    elif types is not None and types != []:
        raise Unreadable
    action = request["action"]
    ctx = request.get("context")
    if ctx is None:
        ctx = _NO_CONTEXT
    elif ctx.__class__ is not dict or not CONTEXT_KEYS.issuperset(ctx):
        raise Unreadable
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
        raise Unreadable
    actor_roles = ctx.get("actor_roles")
    handler = False
    if actor_roles:
        if actor_roles.__class__ is not list:
            raise Unreadable
        known = roles.catalogue()
        for code in actor_roles:
            if code.__class__ is not str or code not in known:
                raise Unreadable
        handler = MYNUMBER_HANDLER in actor_roles
    elif actor_roles is not None and actor_roles != []:
        raise Unreadable
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
        raise Unreadable
    codes = set()
    for entry in listed:
        if entry.__class__ is str:
            code = entry
            if code not in vocabulary:
                raise Unreadable
        elif entry.__class__ is dict and {"code"} <= entry.keys() <= {"code", "detail"}:
            code = entry["code"]
            detail = entry.get("detail")
            kind = vocabulary[code]
            if detail is not None and (
                detail.__class__ is not str or not detail or not kind.takes_detail
            ):
                raise Unreadable
        else:
            raise Unreadable
        codes.add(code)
    return frozenset(codes)
