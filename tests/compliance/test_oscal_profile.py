"""OSCAL downloads: the effective catalog as an OSCAL catalog and the 対策基準 as an OSCAL
profile; both validate with compliance-trestle."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from trestle.oscal.catalog import Catalog as OscalCatalog
from trestle.oscal.profile import Profile as OscalProfile

from mamori.compliance import catalogs, services_catalog, services_policy

IMPORT = """\
rulebook: toitsu
entries:
- {id: 2.2.4(2)(b), edition: FY2018, text: 職員等は、指示に従うこと。, roles: [all_staff]}
"""


@pytest.fixture(autouse=True)
def _fresh_cache():
    catalogs.clear_cache()
    yield
    catalogs.clear_cache()


def walk(node):
    for child in node.get("groups", []) + node.get("controls", []):
        yield child
        yield from walk(child)


@pytest.mark.parametrize("rulebook", ["toitsu", "mod", "mic_pii"])
def test_the_catalog_download_validates_with_trestle(client, login, ciso, rulebook):
    login(ciso)
    response = client.get(reverse("compliance:catalog_oscal"), {"rulebook": rulebook})
    assert response["Content-Disposition"].endswith(f'oscal-catalog-{rulebook}.json"')
    data = json.loads(response.content)
    parsed = OscalCatalog.model_validate(data["catalog"])
    assert parsed.metadata.title == catalogs.effective_catalog(rulebook).title


def test_the_catalog_download_is_the_effective_catalog(client, login, ciso):
    pending = services_catalog.upload_catalog(ciso, "toitsu", "full.yaml", IMPORT.encode())
    services_catalog.apply_import(ciso, pending)
    login(ciso)
    data = json.loads(client.get(reverse("compliance:catalog_oscal")).content)
    OscalCatalog.model_validate(data["catalog"])
    clause = next(n for n in walk(data["catalog"]) if n["id"] == "t-2.2.4.2.b")
    assert clause["parts"][0]["prose"] == "職員等は、指示に従うこと。"


def test_the_policy_profile_validates_and_selects_the_mapped_controls(client, login, ciso):
    document = services_policy.create_document(ciso, title="対策基準", version="第1版")
    services_policy.save_item(
        ciso,
        document,
        number="2.1",
        title="体制",
        strength="equivalent",
        text="最高情報セキュリティ責任者は、体制の責任者を定めること。",
        requirements="2.1.1(6)(b), 2.1.1(6)(a)",
    )
    services_policy.save_item(
        ciso,
        document,
        number="2.2",
        title="",
        strength="stricter",
        text="最高情報セキュリティ責任者は、毎年度、体制を見直すこと。",
        requirements="2.1.1(6)(b)",
    )
    login(ciso)
    url = reverse("compliance:policy_oscal", args=[document.pk])
    data = json.loads(client.get(url, {"rulebook": "toitsu"}).content)
    profile = OscalProfile.model_validate(data["profile"])
    assert profile.metadata.title == "対策基準（第1版）"
    (imported,) = data["profile"]["imports"]
    assert imported["href"].endswith(reverse("compliance:catalog_oscal") + "?rulebook=toitsu")
    assert imported["include-controls"] == [{"with-ids": ["t-2.1.1.6.b", "t-2.1.1.6.a"]}]
    alters = {a["control-id"]: a for a in data["profile"]["modify"]["alters"]}
    prose = alters["t-2.1.1.6.b"]["adds"][0]["parts"][0]["prose"]
    assert "2.1 体制: 最高情報セキュリティ責任者は、体制の責任者" in prose
    assert "2.2: 最高情報セキュリティ責任者は、毎年度" in prose
    # a rulebook the policy maps nothing to has no profile
    assert client.get(url, {"rulebook": "mod"}).status_code == 404


def test_staff_may_not_download_the_profile(client, login, ciso, staff):
    document = services_policy.create_document(ciso, title="対策基準", version="第1版")
    login(staff)
    assert client.get(reverse("compliance:policy_oscal", args=[document.pk])).status_code == 403
    assert client.get(reverse("compliance:catalog_oscal")).status_code == 403
