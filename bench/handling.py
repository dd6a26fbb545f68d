"""Handling decisions per second on one core, beside cedarpy (Cedar) in the same run.

    .venv/bin/python bench/handling.py [--requests 100000] [--rounds 3] [--seed 7]

ours    mamori.rules.handling.decide on each request of a realistic mixed stream (every
        action, every organisation kind and rulebook, levels, restrictions, personal and
        My Number information, contexts as staff meet them), and decide_many on the list.
peer    cedarpy.is_authorized_batch on the same stream, with the allow/deny part of our
        rules written as Cedar policies (a permit-all and one forbid per deny rule). The
        requests are translated to Cedar before timing (the translation is timed apart),
        the policies parsed once into a PolicySet, the contexts serialised to JSON ahead: every
        advantage goes to the peer.

Both answer the allow/deny question for every request; the script prints how many agree
(deny = deny; every other verdict = allow) and exits non-zero if any does not.
Figures are the best of the rounds. No Django is loaded.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from mamori.rules.handling import decide, decide_many  # noqa: E402

TARGET = 200_000

ACTION_WEIGHTS = {
    "send": 20,
    "copy": 11,
    "print": 11,
    "store": 11,
    "provide": 8,
    "forward": 8,
    "carry_outside": 4,
    "process_outside_area": 4,
    "use_external_media": 4,
    "web_form_submit": 3,
    "use_cloud_service": 3,
    "cloud_share": 3,
    "dispose": 3,
    "publish": 2,
    "use_issued_terminal_outside": 2,
    "carry_device_outside": 1,
    "use_non_issued_terminal": 1,
    "reconnect_terminal": 1,
}
RESTRICTIONS = [
    "viewers_limited",
    "copy_prohibited",
    "forward_prohibited",
    "distribution_prohibited",
    "takeout_prohibited",
    "print_prohibited",
    "encryption_required",
    "dispose_after_reading",
    "reuse_prohibited",
]


def organisation(rng: random.Random) -> tuple[str, list[str]]:
    roll = rng.random()
    if roll < 0.10:
        return "national", ["toitsu", "mod"]
    if roll < 0.40:
        return "national", ["toitsu", "mic_pii"]
    if roll < 0.70:
        return "national", ["toitsu"]
    return rng.choice(["independent", "independent", "designated_listed", "designated_other"]), [
        "toitsu"
    ]


def request(rng: random.Random) -> dict[str, Any]:
    org_kind, books = organisation(rng)
    action = rng.choices(list(ACTION_WEIGHTS), weights=list(ACTION_WEIGHTS.values()))[0]
    paper = action in ("print", "dispose", "carry_outside", "provide") and rng.random() < 0.3
    info: dict[str, Any] = {"confidentiality": rng.choices([1, 2, 3], weights=[45, 45, 10])[0]}
    if paper:
        info["medium"] = "paper"
    else:
        info["integrity"] = rng.choices([1, 2], weights=[80, 20])[0]
        info["availability"] = rng.choices([1, 2, None], weights=[75, 15, 10])[0]
    if rng.random() < 0.15:
        picked = rng.sample(RESTRICTIONS, rng.choice([1, 1, 2]))
        info["restrictions"] = [
            {"code": c, "detail": "人事課"} if c == "viewers_limited" else c for c in picked
        ]
    types = []
    if rng.random() < 0.15:
        types.append("personal")
    if rng.random() < 0.02:
        types.append("my_number")
    if "mod" in books and rng.random() < 0.2:
        types.append(rng.choice(["mod_secret", "mod_caution"]))
    if types:
        info["types"] = types
    context: dict[str, Any] = {}
    if action in ("send", "forward", "provide"):
        if action != "provide" or rng.random() < 0.5:
            context["channel"] = rng.choices(
                [
                    "agency_mail",
                    "other_mail",
                    "external_line",
                    "internet",
                    "approved_storage",
                    "unapproved_storage",
                    "courier",
                    "hand_carry",
                ],
                weights=[60, 4, 5, 5, 10, 2, 8, 6],
            )[0]
        context["recipient"] = rng.choices(
            ["within_viewers", "outside_viewers", "public"], weights=[60, 35, 5]
        )[0]
    if action == "cloud_share":
        context["recipient"] = rng.choice(["within_viewers", "outside_viewers"])
    if action in ("cloud_share", "use_cloud_service") or (action == "store" and rng.random() < 0.1):
        context["cloud"] = rng.choices(
            ["approved_confidential", "approved_nonconfidential", "unapproved"],
            weights=[60, 30, 10],
        )[0]
    if action == "use_external_media" or (action == "carry_outside" and not paper):
        context["media"] = rng.choices(["registered", "unregistered"], weights=[90, 10])[0]
    if action in ("carry_outside", "carry_device_outside") and rng.random() < 0.2:
        context["location"] = "designated_area"
    if action in ("store", "copy", "print", "send") and rng.random() < 0.1:
        context["location"] = "outside"
        context["terminal"] = rng.choice(["issued", "non_issued"])
    if action == "reconnect_terminal":
        context["terminal"] = rng.choice(["issued", "non_issued"])
    if org_kind != "national" and info["confidentiality"] == 3 and rng.random() < 0.3:
        context["treat_c3_as_national"] = True
    if "my_number" in types:
        context["actor_roles"] = ["mynumber_handler"] if rng.random() < 0.6 else []
    if action == "dispose" and rng.random() < 0.3:
        context["outsourced"] = True
    built: dict[str, Any] = {"org_kind": org_kind, "info": info, "action": action}
    if books != ["toitsu"]:
        built["rulebooks"] = books
    if context:
        built["context"] = context
    return built


# --- the peer: the same allow/deny rules in Cedar -----------------------------------------

CEDAR_POLICIES = """
permit(principal, action, resource);

// 統一基準(R7) 3.1.1(5)(a): only confidentiality-1 is published; giving to the public is publishing.
forbid(principal, action == Action::"publish", resource) when { context.toitsu && context.c >= 2 };
forbid(principal, action in [Action::"provide", Action::"send", Action::"forward", Action::"cloud_share"], resource)
  when { context.toitsu && context.recipient == "public" && context.c >= 2 };

// 統一基準(R7) 8.1.1(5)(a): confidential mail only through the agency's mail service.
forbid(principal, action in [Action::"provide", Action::"send", Action::"forward"], resource)
  when { context.toitsu && context.c >= 2 && context.channel == "other_mail" };

// 統一基準(R7) 8.1.1(3)(h), 4.2.3(2)(a): cloud services.
forbid(principal, action in [Action::"cloud_share", Action::"forward", Action::"provide", Action::"send",
                             Action::"store", Action::"use_cloud_service"], resource)
  when { context.toitsu && context.c >= 2 &&
         (context.cloud == "unapproved" || context.channel == "unapproved_storage" ||
          context.cloud == "approved_nonconfidential") };

// 統一基準(H30) 8.1.1(1)(d)(ア) and 防衛省通達 第8(1): unregistered media.
forbid(principal, action in [Action::"use_external_media", Action::"store"], resource)
  when { (context.toitsu || context.mod) && context.media == "unregistered" };
forbid(principal, action == Action::"carry_outside", resource)
  when { (context.toitsu || context.mod) && context.media == "unregistered" && context.medium == "electronic" };
forbid(principal, action in [Action::"provide", Action::"send", Action::"forward"], resource)
  when { (context.toitsu || context.mod) && context.media == "unregistered" && context.medium == "electronic" &&
         (context.channel == "courier" || context.channel == "hand_carry") };

// 防衛省通達 第12の3: no work data on private equipment.
forbid(principal, action in [Action::"store", Action::"copy", Action::"print", Action::"use_external_media",
                             Action::"process_outside_area", Action::"provide", Action::"send",
                             Action::"forward", Action::"web_form_submit", Action::"use_cloud_service",
                             Action::"cloud_share", Action::"use_issued_terminal_outside",
                             Action::"use_non_issued_terminal", Action::"reconnect_terminal"], resource)
  when { context.mod && context.terminal == "non_issued" };

// 総務省訓令 第15条・第18条: My Number only by the designated clerks.
forbid(principal, action, resource) when { context.mic && context.my_number && !context.handler };

// 取扱制限 (統一基準(R7) 3.1.1(4)(a)), as in catalogs/restrictions.yaml.
forbid(principal, action == Action::"publish", resource)
  when { context.restrictions.containsAny(["viewers_limited", "distribution_prohibited"]) };
forbid(principal, action in [Action::"provide", Action::"send", Action::"forward", Action::"cloud_share"], resource)
  when { context.restrictions.contains("viewers_limited") && context.recipient == "public" };
forbid(principal, action in [Action::"copy", Action::"use_external_media"], resource)
  when { context.restrictions.contains("copy_prohibited") };
forbid(principal, action == Action::"forward", resource)
  when { context.restrictions.contains("forward_prohibited") };
forbid(principal, action == Action::"send", resource)
  when { context.restrictions.contains("forward_prohibited") &&
         (context.recipient == "outside_viewers" || context.recipient == "public") };
forbid(principal, action in [Action::"provide", Action::"cloud_share"], resource)
  when { context.restrictions.contains("distribution_prohibited") };
forbid(principal, action in [Action::"send", Action::"forward"], resource)
  when { context.restrictions.contains("distribution_prohibited") &&
         (context.recipient == "outside_viewers" || context.recipient == "public") };
forbid(principal, action in [Action::"carry_outside", Action::"carry_device_outside", Action::"process_outside_area",
                             Action::"use_issued_terminal_outside", Action::"use_non_issued_terminal"], resource)
  when { context.restrictions.contains("takeout_prohibited") };
forbid(principal, action in [Action::"provide", Action::"send", Action::"forward"], resource)
  when { context.restrictions.contains("takeout_prohibited") &&
         (context.channel == "courier" || context.channel == "hand_carry") };
forbid(principal, action == Action::"print", resource)
  when { context.restrictions.contains("print_prohibited") };
"""

IMPLIED_TERMINAL = {
    "use_non_issued_terminal": "non_issued",
    "use_issued_terminal_outside": "issued",
    "carry_device_outside": "issued",
}


def to_cedar(req: dict[str, Any]) -> dict[str, Any]:
    info, ctx = req["info"], req.get("context") or {}
    books = req.get("rulebooks") or ["toitsu"]
    types = info.get("types") or []
    action = req["action"]
    return {
        "principal": 'Staff::"requester"',
        "action": f'Action::"{action}"',
        "resource": 'Information::"item"',
        "context": {
            "toitsu": "toitsu" in books,
            "mod": "mod" in books,
            "mic": "mic_pii" in books,
            "c": info["confidentiality"],
            "medium": info.get("medium", "electronic"),
            "restrictions": [
                r if isinstance(r, str) else r["code"] for r in info.get("restrictions") or []
            ],
            "my_number": "my_number" in types,
            "handler": "mynumber_handler" in (ctx.get("actor_roles") or []),
            "terminal": ctx.get("terminal") or IMPLIED_TERMINAL.get(action, ""),
            "channel": ctx.get("channel") or "",
            "recipient": ctx.get("recipient") or "",
            "cloud": ctx.get("cloud") or "",
            "media": ctx.get("media") or "",
        },
    }


def best(label: str, rounds: int, count: int, run: Any) -> float:
    times = []
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    rate = count / min(times)
    print(f"  {label:<44} {rate:>12,.0f} /s   (best of {rounds}: {min(times) * 1000:,.1f} ms)")
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, for both
    try:
        import cedarpy
    except ImportError:
        print(
            "bench/handling.py needs cedarpy for the peer: .venv/bin/pip install cedarpy",
            file=sys.stderr,
        )
        return 2

    rng = random.Random(args.seed)
    stream = [request(rng) for _ in range(args.requests)]
    n = len(stream)
    actions = {r["action"] for r in stream}
    print(f"handling decisions: {n:,} requests, {len(actions)} actions, seed {args.seed}, one core")

    print("mamori (pure Python)")

    def one_by_one() -> None:
        for r in stream:  # as a mail gateway would: ask, act on the answer, drop it
            decide(r)

    ours_single = best("decide(), one call per request", args.rounds, n, one_by_one)
    ours_batch = best(
        "decide_many(), the whole stream", args.rounds, n, lambda: decide_many(stream)
    )

    print("cedarpy", cedarpy_version())
    policies = cedarpy.PolicySet.from_str(CEDAR_POLICIES)
    entities = cedarpy.Entities.from_json_str("[]")
    start = time.perf_counter()
    # contexts serialised here, so the batch call does not spend its time in json.dumps
    cedar_requests = [{**c, "context": json.dumps(c["context"])} for c in map(to_cedar, stream)]
    translate = time.perf_counter() - start
    print(f"  {'(translating requests to Cedar, not counted)':<44} {n / translate:>12,.0f} /s")
    results: list[Any] = []

    def cedar_batch() -> None:
        results[:] = cedarpy.is_authorized_batch(cedar_requests, policies, entities)

    peer = best("is_authorized_batch(), the whole stream", args.rounds, n, cedar_batch)

    ours = decide_many(stream)
    agree = sum((d["verdict"] != "deny") == r.allowed for d, r in zip(ours, results, strict=True))
    denied = sum(d["verdict"] == "deny" for d in ours)
    print(
        f"allow/deny agreement: {agree:,} of {n:,} ({denied:,} denied by both rule sets"
        f"{'' if agree == n else ', MISMATCH'})"
    )
    fastest = max(ours_single, ours_batch)
    print(
        f"ratio mamori/cedarpy: {ours_batch / peer:.1f}x (decide_many), {ours_single / peer:.1f}x (decide)"
    )
    print(
        f"target: >= {TARGET:,} decisions/s and faster than cedarpy: "
        f"{'met' if fastest >= TARGET and fastest > peer else 'NOT met'} ({fastest:,.0f}/s)"
    )
    return 0 if agree == n else 1


def cedarpy_version() -> str:
    try:
        from importlib.metadata import version

        return version("cedarpy")
    except Exception:  # noqa: BLE001
        return ""


if __name__ == "__main__":
    raise SystemExit(main())
