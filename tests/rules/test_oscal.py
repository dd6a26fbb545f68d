"""OSCAL export: every catalog and an agency profile validate with compliance-trestle, the
ids are OSCAL tokens, and the clause ids as printed survive."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from trestle.oscal.catalog import Catalog as OscalCatalog
from trestle.oscal.profile import Profile as OscalProfile

from mamori.rules.oscal import NS, catalog_to_oscal, oscal_id, profile_to_oscal
from mamori.rules.requirements import load_all
from mamori.rules.requirements_import import merge, parse_import

WHEN = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
ASCII_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")


def walk(node):
    """Every group and control of an exported catalog, depth first."""
    for child in node.get("groups", []) + node.get("controls", []):
        yield child
        yield from walk(child)


def prop(node, name):
    return [p["value"] for p in node.get("props", []) if p["name"] == name]


@pytest.mark.parametrize("rulebook", ["toitsu", "mod", "mic_pii"])
def test_every_catalog_exports_as_a_valid_oscal_catalog(rulebook):
    catalog = load_all()[rulebook]
    data = catalog_to_oscal(catalog, last_modified=WHEN)
    parsed = OscalCatalog.model_validate(data["catalog"])
    assert parsed.metadata.title == catalog.title
    assert data["catalog"]["metadata"]["oscal-version"] == "1.1.2"
    nodes = list(walk(data["catalog"]))
    tokens = [n["id"] for n in nodes] + [p["id"] for n in nodes for p in n.get("parts", [])]
    assert all(ASCII_TOKEN.fullmatch(token) for token in tokens)
    assert len(tokens) == len(set(tokens))
    # every entry is exported once, and its id as printed is its label
    assert sorted(v for n in nodes for v in prop(n, "label")) == sorted(
        e.id for e in catalog.entries
    )


def test_the_toitsu_hierarchy_nests_groups_then_controls():
    data = catalog_to_oscal(load_all()["toitsu"], last_modified=WHEN)["catalog"]
    part = next(g for g in data["groups"] if g["id"] == "t-3")
    section = next(g for g in part["groups"] if g["id"] == "t-3.1")
    subsection = next(g for g in section["groups"] if g["id"] == "t-3.1.1")
    group = next(c for c in subsection["controls"] if c["id"] == "t-3.1.1.6")
    assert (part["title"], group["title"]) == ("情報の取扱い", "情報の運搬・送信")
    clause = next(c for c in group["controls"] if c["id"] == "t-3.1.1.6.b")
    assert prop(clause, "label") == ["3.1.1(6)(b)"]
    assert prop(clause, "edition") == ["R7"]
    assert prop(clause, "citation") == ["統一基準(R7) 3.1.1(6)(b)"]
    assert prop(clause, "responsible-role") == ["all_staff"]
    assert "send_protected_safety" in prop(clause, "handling-rule")
    assert all(p["ns"] == NS for p in clause["props"] if p["name"] != "label")
    (statement,) = clause["parts"]
    assert statement["name"] == "statement"
    assert statement["prose"].startswith("職員等は、要保護情報である電磁的記録を電子メール等で送信")
    roles = {r["id"]: r["title"] for r in data["metadata"]["roles"]}
    assert roles["all_staff"] == "職員等" and roles["ciso"] == "最高情報セキュリティ責任者"


def test_abbreviated_clauses_are_marked_and_have_no_statement():
    data = catalog_to_oscal(load_all()["toitsu"], last_modified=WHEN)["catalog"]
    clause = next(n for n in walk(data) if n["id"] == "t-2.2.4.2.b")
    assert prop(clause, "abbreviated") == ["true"] and "parts" not in clause
    item = next(n for n in walk(data) if n["id"] == "t-2.1.1.8.a.k1")
    assert prop(item, "label") == ["2.1.1(8)(a)(ア)"]


def test_ids_map_to_unique_ascii_tokens():
    assert oscal_id("toitsu", "3.1.1(6)(b)") == "t-3.1.1.6.b"
    assert oscal_id("toitsu", "2.1.1(8)(a)(イ)") == "t-2.1.1.8.a.k2"
    assert oscal_id("mod", "第5の10(2)") == "m-5.10-2"
    assert oscal_id("mod", "第8(6)") == "m-8-6"
    assert oscal_id("mod", "第8の6") == "m-8.6"
    assert oscal_id("mic_pii", "第4章") == "p-ch4"
    assert oscal_id("mic_pii", "第12条の2") == "p-12_2"
    assert oscal_id("mic_pii", "第32条第2項") == "p-32.2"
    with pytest.raises(ValueError):
        oscal_id("cip", "別添3.3")


def test_the_export_is_deterministic_and_a_changed_catalog_gets_a_new_uuid():
    toitsu = load_all()["toitsu"]
    first = catalog_to_oscal(toitsu, last_modified=WHEN)
    assert catalog_to_oscal(toitsu, last_modified=WHEN) == first
    text = "rulebook: toitsu\nentries:\n- {id: 2.2.4(2)(b), text: 職員等は、報告すること。, edition: FY2018}\n"
    changed = merge(toitsu, parse_import(text.encode(), "x.yaml", catalog=toitsu)).catalog
    second = catalog_to_oscal(changed, last_modified=WHEN)["catalog"]
    assert second["uuid"] != first["catalog"]["uuid"]
    assert second["metadata"]["version"] != first["catalog"]["metadata"]["version"]
    with pytest.raises(ValueError):
        catalog_to_oscal(toitsu, last_modified=datetime(2026, 4, 1))  # no time zone


def test_an_agency_policy_exports_as_a_valid_oscal_profile():
    toitsu = load_all()["toitsu"]
    policy = {
        "3.1.1(6)(b)": "機密性３情報の送信には、情報システム課が指定した暗号化ツールを使う。",
        "2.3.1(1)(b)": "",
    }
    data = profile_to_oscal(
        toitsu, policy, catalog_href="toitsu-catalog.json", title="○○省対策基準", last_modified=WHEN
    )
    OscalProfile.model_validate(data["profile"])
    (imported,) = data["profile"]["imports"]
    assert imported["href"] == "toitsu-catalog.json"
    assert imported["include-controls"] == [{"with-ids": ["t-3.1.1.6.b", "t-2.3.1.1.b"]}]
    (alter,) = data["profile"]["modify"]["alters"]
    assert alter["control-id"] == "t-3.1.1.6.b"
    assert alter["adds"][0]["parts"][0]["prose"].startswith("機密性３情報の送信には")


def test_a_profile_only_selects_clauses_the_catalog_has():
    toitsu = load_all()["toitsu"]
    for bad in ({"9.9.9(9)(z)": ""}, {"3.1": ""}, {}):
        with pytest.raises(ValueError):
            profile_to_oscal(toitsu, bad, catalog_href="c.json", title="x", last_modified=WHEN)
