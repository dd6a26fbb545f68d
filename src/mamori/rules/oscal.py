"""OSCAL 1.1 export of the requirement catalogs and of an agency policy. Pure Python.

`catalog_to_oscal` turns a Catalog (rules/requirements.py) into an OSCAL catalog (JSON as
a dict): headings become nested groups (統一基準 部 → 節 → 款; 防衛省通達 第N; 総務省訓令
第N章) and clauses become controls, nested as the rulebook nests them (項 → 遵守事項 →
(ア)); the Japanese text is the control's statement part. `profile_to_oscal` writes the
agency's 対策基準 as an OSCAL profile that imports the catalog by href and selects the
controls it maps to, with the agency's own wording added to each.

OSCAL ids are tokens (no parentheses, and we keep them ASCII for the tools that read them),
so `3.1.1(6)(b)` becomes `t-3.1.1.6.b`; the clause id as printed survives in the standard
`label` prop, with mamori's own facts (edition, responsible roles, organisation kinds,
handling rules) as props in the mamori namespace. UUIDs are uuid5 of the content, so the
same catalog always exports the same document and a changed catalog gets a new uuid.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from mamori.rules import roles as role_catalogue
from mamori.rules.requirements import PSEUDO_ROLES, RULEBOOKS, Catalog, Requirement

OSCAL_VERSION = "1.1.2"
NS = "https://mamori.invalid/ns/oscal"  # mamori's namespace for its own props
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, NS)
PREFIX = {"toitsu": "t", "mod": "m", "mic_pii": "p"}
TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノ"

Json = dict[str, Any]


def oscal_id(rulebook: str, clause_id: str) -> str:
    """An ASCII OSCAL token for a clause id, unique within its rulebook:
    3.1.1(6)(b) → t-3.1.1.6.b, 2.1.1(8)(a)(イ) → t-2.1.1.8.a.k2, 第5の10(2) → m-5.10-2,
    第8(6) → m-8-6, 第4章 → p-ch4, 第12条の2 → p-12_2, 第32条第2項 → p-32.2."""
    if rulebook == "toitsu":
        body = re.sub(r"\(([^)]+)\)", lambda m: "." + _ascii(m.group(1)), clause_id)
    elif rulebook == "mod":
        body = re.sub(r"\((\d+)\)", r"-\1", clause_id.removeprefix("第").replace("の", "."))
    elif rulebook == "mic_pii":
        chapter = re.fullmatch(r"第(\d+)章", clause_id)
        article = re.fullmatch(r"第(\d+)条(?:の(\d+))?(?:第(\d+)項)?", clause_id)
        if chapter:
            body = f"ch{chapter.group(1)}"
        elif article:
            number, branch, paragraph = article.groups()
            body = (
                number + (f"_{branch}" if branch else "") + (f".{paragraph}" if paragraph else "")
            )
        else:
            body = clause_id
    else:
        raise ValueError(f"unknown rulebook {rulebook!r}")
    token = f"{PREFIX[rulebook]}-{body}"
    if not TOKEN.fullmatch(token):
        raise ValueError(f"{clause_id!r} has no OSCAL id")
    return token


def _ascii(part: str) -> str:
    return f"k{_KANA.index(part) + 1}" if part in _KANA else part


def _digest(payload: Any) -> str:
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _prop(name: str, value: str, *, ours: bool = True) -> Json:
    return {"name": name, "ns": NS, "value": value} if ours else {"name": name, "value": value}


def _props(entry: Requirement) -> list[Json]:
    props = [_prop("label", entry.id, ours=False), _prop("citation", entry.citation)]
    if entry.edition:
        props.append(_prop("edition", entry.edition))
    if entry.abbreviated:
        props.append(_prop("abbreviated", "true"))
    if entry.source:
        props.append(_prop("implements", entry.source))
    props += [_prop("responsible-role", code) for code in entry.roles]
    if entry.text:
        props += [_prop("org-kind", kind) for kind in entry.org_kinds]
    if entry.staff_facing:
        props.append(_prop("staff-facing", "true"))
    props += [_prop("handling-rule", rule_id) for rule_id in entry.rules]
    return props


def _statement(entry: Requirement, token: str) -> list[Json]:
    # An abbreviated clause (（略）) has no statement to give: its `abbreviated` prop says so.
    if not entry.text or entry.abbreviated:
        return []
    return [{"id": f"{token}_smt", "name": "statement", "prose": entry.text}]


def _control(catalog: Catalog, entry: Requirement) -> Json:
    token = oscal_id(catalog.rulebook, entry.id)
    control: Json = {"id": token, "title": entry.title or entry.id, "props": _props(entry)}
    if parts := _statement(entry, token):
        control["parts"] = parts
    if children := [_control(catalog, child) for child in catalog.children(entry.id)]:
        control["controls"] = children
    return control


def _group(catalog: Catalog, entry: Requirement) -> Json:
    token = oscal_id(catalog.rulebook, entry.id)
    group: Json = {"id": token, "title": entry.title or entry.id, "props": _props(entry)}
    if parts := _statement(entry, token):
        group["parts"] = parts
    group_kinds = RULEBOOKS[catalog.rulebook].group_kinds
    children = catalog.children(entry.id)
    if groups := [_group(catalog, c) for c in children if c.kind in group_kinds]:
        group["groups"] = groups
    if controls := [_control(catalog, c) for c in children if c.kind not in group_kinds]:
        group["controls"] = controls
    return group


def _role_title(code: str) -> str:
    if code in PSEUDO_ROLES:
        return PSEUDO_ROLES[code][0]
    return role_catalogue.get(code).ja


def _metadata(title: str, version: str, last_modified: datetime | None) -> Json:
    moment = last_modified or datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("last_modified needs a time zone")
    return {
        "title": title,
        "last-modified": moment.isoformat(timespec="seconds"),
        "version": version,
        "oscal-version": OSCAL_VERSION,
    }


def catalog_to_oscal(
    catalog: Catalog, *, last_modified: datetime | None = None, version: str | None = None
) -> Json:
    """The catalog as an OSCAL catalog document: {"catalog": {...}}."""
    digest = _digest([entry.__dict__ for entry in catalog.entries])
    metadata = _metadata(catalog.title, version or f"mamori-{digest[:12]}", last_modified)
    used = sorted({code for entry in catalog.entries for code in entry.roles})
    if used:
        metadata["roles"] = [{"id": code, "title": _role_title(code)} for code in used]
    group_kinds = RULEBOOKS[catalog.rulebook].group_kinds
    roots = catalog.roots()
    body: Json = {
        "uuid": str(uuid.uuid5(UUID_NAMESPACE, f"catalog:{catalog.rulebook}:{digest}")),
        "metadata": metadata,
    }
    if groups := [_group(catalog, entry) for entry in roots if entry.kind in group_kinds]:
        body["groups"] = groups
    if controls := [_control(catalog, entry) for entry in roots if entry.kind not in group_kinds]:
        body["controls"] = controls
    return {"catalog": body}


def profile_to_oscal(
    catalog: Catalog,
    items: Mapping[str, str],
    *,
    catalog_href: str,
    title: str,
    last_modified: datetime | None = None,
    version: str | None = None,
) -> Json:
    """An agency policy (対策基準) as an OSCAL profile over `catalog`, which it imports from
    `catalog_href` (where the exported catalog is published). `items` maps each clause id
    the policy implements to the agency's own wording ("" for none), in policy order."""
    group_kinds = RULEBOOKS[catalog.rulebook].group_kinds
    for clause_id in items:
        if clause_id not in catalog:
            raise ValueError(f"{catalog.rulebook} has no clause {clause_id!r}")
        if catalog.get(clause_id).kind in group_kinds:
            raise ValueError(f"{clause_id!r} is a heading, not a clause")
    if not items:
        raise ValueError("a profile selects at least one clause")
    digest = _digest([catalog.rulebook, catalog_href, title, list(items.items())])
    ids = [oscal_id(catalog.rulebook, clause_id) for clause_id in items]
    body: Json = {
        "uuid": str(uuid.uuid5(UUID_NAMESPACE, f"profile:{catalog.rulebook}:{digest}")),
        "metadata": _metadata(title, version or f"mamori-{digest[:12]}", last_modified),
        "imports": [{"href": catalog_href, "include-controls": [{"with-ids": ids}]}],
        "merge": {"as-is": True},
    }
    alters = [
        {
            "control-id": token,
            "adds": [
                {
                    "position": "ending",
                    "parts": [
                        {"id": f"{token}_agency", "name": "agency-policy", "ns": NS, "prose": text}
                    ],
                }
            ],
        }
        for token, text in zip(ids, items.values(), strict=True)
        if text.strip()
    ]
    if alters:
        body["modify"] = {"alters": alters}
    return {"profile": body}
