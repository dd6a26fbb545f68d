"""Interop: the OASIS TAXII 2.1 client (taxii2-client) against the running server.

It discovers the server, lists the collections, pages through the objects with a small
page size (as_pages), reads a manifest and an object's versions, authenticating with
HTTP Basic (username + API token) as TAXII clients do. Every object it gets passes
stix2-validator."""

from __future__ import annotations

import json

import pytest
import requests
from stix2validator import ValidationOptions, validate_instance
from taxii2client.v21 import Server, as_pages
from tests.sharing.test_taxii_hub import build_hub, content, submit, token_for

from mamori.sharing import stix


@pytest.fixture
def published(transactional_db):
    from mamori.sharing import services, services_alerts

    hub = build_hub()
    reports = [submit(hub, tlp="amber", share_same_sector=True) for _ in range(4)]
    services.add_version(hub.people["elec-a"], reports[0], content(summary="復旧作業中。"))
    services.forward_report(hub.people["meti"], reports[0], note="所管省庁で確認")
    services.add_note(hub.people["meti"], reports[1], "関連事案を確認中")
    services_alerts.issue_alert(
        hub.people["nisc"],
        services_alerts.AlertDraft(
            title="DoS攻撃への注意",
            body="制御システムを狙ったDoS攻撃が報告されている。",
            importance="high",
            category="failure",
            tlp="amber",
            sectors=["electricity"],
        ),
    )
    return hub, reports


def test_taxii2_client_discovers_lists_pages_and_reads_the_manifest(live_server, published):
    hub, reports = published
    token = token_for(hub.people["elec-b"], "cip_operator")
    server = Server(f"{live_server.url}/taxii2/", user="elec-b", password=token)
    assert server.title.startswith("mamori")
    [root] = server.api_roots
    assert root.url == f"{live_server.url}/taxii2/sharing/"
    assert root.versions == ["application/taxii+json;version=2.1"]
    collections = {c.alias: c for c in root.collections}
    assert set(collections) == {"reports", "alerts"}
    reports_collection = collections["reports"]
    assert reports_collection.can_read and not reports_collection.can_write

    pages = list(as_pages(reports_collection.get_objects, per_request=3))
    assert len(pages) >= 3
    assert all(len(page["objects"]) <= 3 for page in pages)
    assert [page["more"] for page in pages] == [True] * (len(pages) - 1) + [False]
    paged = [o for page in pages for o in page["objects"]]
    whole = reports_collection.get_objects(limit=1000)["objects"]
    assert paged == whole
    incidents = [o for o in paged if o["type"] == "incident"]
    assert len(incidents) == len(reports)  # the latest version of each report
    bundle = {"type": "bundle", "id": "bundle--6f3e8d5a-2b1c-4d7e-9f0a-1b2c3d4e5f60", "objects": paged}  # fmt: skip
    result = validate_instance(bundle, ValidationOptions(version="2.1"))
    assert not result.errors, [str(e) for e in result.errors]

    manifest_pages = list(as_pages(reports_collection.get_manifest, per_request=4))
    records = [r for page in manifest_pages for r in page["objects"]]
    assert [(r["id"], r["version"]) for r in records] == [
        (o["id"], o.get("modified", o["created"])) for o in whole
    ]
    first = stix.report_incident_id(stix.ReportFacts(reports[0].number, None, "", "", "", ()))
    versions = reports_collection.object_versions(first)["versions"]
    assert len(versions) == 2
    [latest] = reports_collection.get_object(first)["objects"]
    assert latest["modified"] == versions[-1]

    alerts = collections["alerts"].get_objects()["objects"]
    assert [o["type"] for o in alerts if o["type"] == "report"] == ["report"]
    assert "A電力" not in json.dumps(alerts, ensure_ascii=False)


def test_taxii2_client_with_a_wrong_token_gets_401(live_server, published):
    hub, _reports = published
    server = Server(f"{live_server.url}/taxii2/", user="elec-b", password="mamori_bad_token")
    with pytest.raises(requests.exceptions.HTTPError) as raised:
        server.refresh()
    assert raised.value.response.status_code == 401
    assert raised.value.response.json()["http_status"] == "401"


def test_a_party_outside_the_range_gets_no_report_through_the_client(live_server, published):
    hub, reports = published
    token = token_for(hub.people["comm-c"], "cip_operator")
    server = Server(f"{live_server.url}/taxii2/", user="comm-c", password=token)
    collections = {c.alias: c for c in server.api_roots[0].collections}
    found = collections["reports"].get_objects(limit=1000).get("objects", [])
    assert [o for o in found if o["type"] in ("incident", "report", "note")] == []
    alerts = collections["alerts"].get_objects().get("objects", [])
    assert [o for o in alerts if o["type"] == "report"] == []  # not among the recipients
