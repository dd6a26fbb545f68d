"""Request builders and a hypothesis strategy shared by the handling tests (no tests here)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from mamori.rules.handling_rules.base import (
    ACTION_SPECS,
    ACTIONS,
    CHANNELS,
    CLOUDS,
    MEDIA_STATES,
    RECIPIENTS,
    TERMINALS,
)

ORG_KINDS = ("national", "independent", "designated_listed", "designated_other")
RESTRICTION_CODES = (
    "viewers_limited",
    "copy_prohibited",
    "forward_prohibited",
    "distribution_prohibited",
    "takeout_prohibited",
    "print_prohibited",
    "encryption_required",
    "dispose_after_reading",
    "reuse_prohibited",
)
TYPE_CODES = ("personal", "my_number", "mod_secret", "mod_caution")


def req(
    action: str,
    c: int = 1,
    *,
    i: int | None = None,
    a: int | None = None,
    org: str = "national",
    books: list[str] | None = None,
    paper: bool = False,
    r: list[Any] | None = None,
    types: list[str] | None = None,
    **context: Any,
) -> dict[str, Any]:
    """A request as a client would write it: req("send", 2, channel="agency_mail", recipient=…)."""
    info: dict[str, Any] = {"confidentiality": c}
    if paper:
        info["medium"] = "paper"
    else:
        info["integrity"] = i
        info["availability"] = a
    if r is not None:
        info["restrictions"] = r
    if types is not None:
        info["types"] = types
    built: dict[str, Any] = {"org_kind": org, "info": info, "action": action}
    if books is not None:
        built["rulebooks"] = books
    if context:
        built["context"] = context
    return built


@st.composite
def requests(draw: st.DrawFn, actions: tuple[str, ...] = tuple(ACTIONS)) -> dict[str, Any]:
    """Any valid request: every field drawn from its allowed values, what an action requires
    given, nothing contradicting what the action implies."""
    action = draw(st.sampled_from(actions))
    spec = ACTION_SPECS[action]
    paper = draw(st.booleans())
    info: dict[str, Any] = {"confidentiality": draw(st.sampled_from([1, 2, 3]))}
    if paper:
        info["medium"] = "paper"
    else:
        if draw(st.booleans()):
            info["medium"] = "electronic"
        for name in ("integrity", "availability"):
            value = draw(st.sampled_from([None, 1, 2, "absent"]))
            if value != "absent":
                info[name] = value
    restrictions = draw(st.lists(st.sampled_from(RESTRICTION_CODES), max_size=3, unique=True))
    if restrictions or draw(st.booleans()):
        info["restrictions"] = [
            {"code": code, "detail": "人事課"}
            if code == "viewers_limited" and draw(st.booleans())
            else code
            for code in restrictions
        ]
    types = draw(st.lists(st.sampled_from(TYPE_CODES), max_size=3, unique=True))
    if types or draw(st.booleans()):
        info["types"] = types
    context: dict[str, Any] = {}
    location = draw(st.sampled_from((None, *spec.locations)))
    if location is not None:
        context["location"] = location
    terminal = spec.terminal if spec.terminal else draw(st.sampled_from((None, *TERMINALS)))
    if terminal is not None and draw(st.booleans()):
        context["terminal"] = terminal
    for name, values in (
        ("channel", CHANNELS),
        ("recipient", RECIPIENTS),
        ("cloud", CLOUDS),
        ("media", MEDIA_STATES),
    ):
        value = (
            draw(st.sampled_from(values))
            if name in spec.requires
            else draw(st.sampled_from((None, *values)))
        )
        if value is not None:
            context[name] = value
    for name in ("treat_c3_as_national", "outsourced"):
        if draw(st.booleans()):
            context[name] = draw(st.booleans())
    if draw(st.booleans()):
        context["actor_roles"] = draw(
            st.lists(
                st.sampled_from(["mynumber_handler", "pii_manager", "decider"]),
                max_size=2,
                unique=True,
            )
        )
    request: dict[str, Any] = {
        "org_kind": draw(st.sampled_from(ORG_KINDS)),
        "info": info,
        "action": action,
    }
    books = draw(
        st.sampled_from(
            [
                None,
                ["toitsu"],
                ["toitsu", "mod"],
                ["toitsu", "mic_pii"],
                ["toitsu", "mod", "mic_pii"],
                ["mod"],
                ["mic_pii"],
            ]
        )
    )
    if books is not None:
        request["rulebooks"] = books
    if context or draw(st.booleans()):
        request["context"] = context
    return request
