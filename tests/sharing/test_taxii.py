"""The TAXII 2.1 server through Django's test client: media types, authentication by API
token (Bearer and Basic), the access matrix, filters, paging and versions."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.sharing.test_taxii_hub import content, hub, submit, token_for  # noqa: F401

from mamori.sharing import stix, taxii

TAXII = "application/taxii+json;version=2.1"
REPORTS = next(cid for cid, meta in taxii.COLLECTIONS.items() if meta["key"] == "reports")
ALERTS = next(cid for cid, meta in taxii.COLLECTIONS.items() if meta["key"] == "alerts")


def collection_url(cid: str, tail: str = "") -> str:
    return f"/taxii2/sharing/collections/{cid}/{tail}"


def get(client, url, token, accept=TAXII, **params):
    return client.get(url, params, HTTP_ACCEPT=accept, HTTP_AUTHORIZATION=f"Bearer {token}")


def objects(client, token, cid=REPORTS, **params) -> list[dict]:
    response = get(client, collection_url(cid, "objects/"), token, **params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == TAXII
    return json.loads(response.content).get("objects", [])


def ids_of(found: list[dict], kind: str) -> set[str]:
    return {o["id"] for o in found if o["type"] == kind}


@pytest.fixture
def tokens(hub):  # noqa: F811
    people = hub.people
    return {
        "nisc": token_for(people["nisc"], "cip_nisc"),
        "meti": token_for(people["meti"], "cip_liaison"),
        "mic": token_for(people["mic"], "cip_liaison"),
        "ceptoar-elec": token_for(people["ceptoar-elec"], "cip_ceptoar_poc"),
        "ceptoar-comm": token_for(people["ceptoar-comm"], "cip_ceptoar_poc"),
        "elec-a": token_for(people["elec-a"], "cip_operator"),
        "elec-b": token_for(people["elec-b"], "cip_operator"),
        "comm-c": token_for(people["comm-c"], "cip_operator"),
        "vendor": token_for(people["vendor"], "cip_party"),
        "jpcert": token_for(people["jpcert"], "cip_party"),
        "npa": token_for(people["npa"], "cip_party"),
    }


def incident_id(report) -> str:
    return stix.report_incident_id(stix.ReportFacts(report.number, None, "", "", "", ()))


# --- discovery and the protocol --------------------------------------------------------------


def test_discovery_api_root_and_collections(client, hub, tokens):  # noqa: F811
    response = get(client, "/taxii2/", tokens["elec-a"])
    assert response.status_code == 200
    assert response["Content-Type"] == TAXII
    discovery = json.loads(response.content)
    assert discovery["api_roots"] == ["http://testserver/taxii2/sharing/"]
    root = json.loads(get(client, "/taxii2/sharing/", tokens["elec-a"]).content)
    assert root["versions"] == [TAXII]
    found = json.loads(get(client, "/taxii2/sharing/collections/", tokens["elec-a"]).content)
    assert {c["alias"] for c in found["collections"]} == {"reports", "alerts"}
    assert all(c["can_read"] and not c["can_write"] for c in found["collections"])
    one = json.loads(get(client, collection_url(ALERTS), tokens["elec-a"]).content)
    assert one["id"] == ALERTS


def test_missing_or_wrong_credentials_get_401_in_a_taxii_envelope(client, hub, tokens):  # noqa: F811
    anonymous = client.get("/taxii2/", HTTP_ACCEPT=TAXII)
    assert anonymous.status_code == 401
    assert anonymous["Content-Type"] == TAXII
    assert "Basic" in anonymous["WWW-Authenticate"]
    assert json.loads(anonymous.content)["http_status"] == "401"
    wrong = get(client, "/taxii2/", tokens["elec-a"][:-3] + "xyz")
    assert wrong.status_code == 401
    # HTTP Basic: the token is the password, the username must be its owner's
    good = base64.b64encode(f"elec-a:{tokens['elec-a']}".encode()).decode()
    assert client.get("/taxii2/", HTTP_ACCEPT=TAXII, HTTP_AUTHORIZATION=f"Basic {good}").status_code == 200  # fmt: skip
    other = base64.b64encode(f"elec-b:{tokens['elec-a']}".encode()).decode()
    assert client.get("/taxii2/", HTTP_ACCEPT=TAXII, HTTP_AUTHORIZATION=f"Basic {other}").status_code == 401  # fmt: skip
    assert (
        client.get("/taxii2/", HTTP_ACCEPT=TAXII, HTTP_AUTHORIZATION="Basic !!!").status_code == 401
    )


def test_a_revoked_token_gets_401(client, hub, tokens):  # noqa: F811
    from mamori.api import services
    from mamori.api.models import ApiToken

    person = hub.people["elec-b"]
    services.revoke_token(person, ApiToken.objects.get(person=person))
    assert get(client, "/taxii2/", tokens["elec-b"]).status_code == 401


def test_a_token_without_a_sharing_role_is_refused(client, hub):  # noqa: F811
    token = token_for(hub.people["elec-a"])  # made without roles: acts with none
    response = get(client, "/taxii2/", token)
    assert response.status_code == 403
    assert json.loads(response.content)["http_status"] == "403"


def test_wrong_accept_is_406_and_writes_are_refused(client, hub, tokens):  # noqa: F811
    for accept in ("application/json", "application/taxii+json;version=2.0", ""):
        response = get(client, "/taxii2/", tokens["elec-a"], accept=accept)
        assert response.status_code == 406, accept
        assert response["Content-Type"] == TAXII
    assert get(client, "/taxii2/", tokens["elec-a"], accept="application/taxii+json").status_code == 200  # fmt: skip
    post = client.post(
        collection_url(REPORTS, "objects/"),
        data=json.dumps({"objects": []}),
        content_type=TAXII,
        HTTP_ACCEPT=TAXII,
        HTTP_AUTHORIZATION=f"Bearer {tokens['nisc']}",
    )
    assert post.status_code == 403
    status = get(client, "/taxii2/sharing/status/abc/", tokens["nisc"])
    assert status.status_code == 404
    assert get(client, collection_url("00000000-0000-0000-0000-000000000000"), tokens["nisc"]).status_code == 404  # fmt: skip
    assert get(client, "/taxii2/other/", tokens["nisc"]).status_code == 404


# --- the access matrix -----------------------------------------------------------------------


def test_report_range_same_sector_amber(client, hub, tokens):  # noqa: F811
    report = submit(hub, tlp="amber", share_same_sector=True)
    target = incident_id(report)
    seen = {key: target in ids_of(objects(client, token), "incident") for key, token in tokens.items()}  # fmt: skip
    assert seen == {
        "nisc": False,  # not forwarded yet: only the route so far sees it
        "meti": True,  # the sector liaison's ministry (route)
        "mic": False,
        "ceptoar-elec": False,
        "ceptoar-comm": False,
        "elec-a": True,  # the reporter
        "elec-b": True,  # same sector
        "comm-c": False,
        "vendor": False,
        "jpcert": False,
        "npa": False,
    }
    # the reporter's identity travels with the report only to those who see it
    reporter_identity = stix.party_identity_id(stix.PartyFacts("elec-a", ""))
    assert reporter_identity in ids_of(objects(client, tokens["elec-b"]), "identity")
    assert reporter_identity not in ids_of(objects(client, tokens["comm-c"]), "identity")


def test_forwarded_red_report_reaches_nisc_and_nobody_else(client, hub, tokens):  # noqa: F811
    from mamori.sharing import services

    report = submit(hub, tlp="red")
    services.forward_report(hub.people["meti"], report, note="確認済み")
    target = incident_id(report)
    seen = {key for key, token in tokens.items() if target in ids_of(objects(client, token), "incident")}  # fmt: skip
    assert seen == {"nisc", "meti", "elec-a"}


def test_clear_report_is_seen_by_every_party_and_ceptoars_by_their_flag(client, hub, tokens):  # noqa: F811
    clear = submit(hub, tlp="clear")
    ceptoars = submit(hub, tlp="green", share_ceptoars=True, share_vendors=True)
    for key, token in tokens.items():
        found = ids_of(objects(client, token), "incident")
        assert incident_id(clear) in found, key
        expected = key in ("meti", "elec-a", "ceptoar-elec", "ceptoar-comm", "vendor")
        assert (incident_id(ceptoars) in found) == expected, key


@pytest.mark.parametrize(
    "flags",
    [
        {"tlp": "amber", "share_same_sector": True},
        {"tlp": "amber", "share_same_ceptoar": True},
        {"tlp": "green", "share_all_operators": True},
        {"tlp": "amber", "share_ceptoars": True},
        {"tlp": "amber_strict", "share_ministries": True},
        {"tlp": "amber", "share_government": True},
        {"tlp": "green", "share_relevant_orgs": True, "share_vendors": True},
        {"tlp": "red"},
        {"tlp": "clear"},
    ],
    ids=lambda flags: "+".join(k for k in flags if k != "tlp") + f"@{flags['tlp']}",
)
def test_taxii_shows_a_report_to_exactly_the_parties_its_range_allows(client, hub, tokens, flags):  # noqa: F811
    """For every party kind on the hub, TAXII agrees with the hub's one access rule."""
    from mamori.sharing import access

    report = submit(hub, **flags)
    allowed = set(access.orgs_allowed_for_report(report).values_list("code", flat=True))
    seen = {
        key
        for key, token in tokens.items()
        if incident_id(report) in ids_of(objects(client, token), "incident")
    }
    assert seen == allowed & set(tokens)
    assert "elec-a" in seen and "meti" in seen  # the reporter and the route, always


def test_an_alert_reaches_its_recipients_without_the_reporter(client, hub, tokens):  # noqa: F811
    from mamori.sharing import services, services_alerts

    report = submit(
        hub, tlp="amber", share_all_operators=True, share_ceptoars=True, share_ministries=True
    )
    services.forward_report(hub.people["meti"], report)
    alert = services_alerts.issue_alert(
        hub.people["nisc"],
        services_alerts.AlertDraft(
            title="制御システムへのDoS攻撃に注意",
            body="制御システムがDoS攻撃で停止した事例が報告された。",
            importance="high",
            category="failure",
            tlp="amber",
            sectors=["info_comm"],
            report_ids=[report.pk],
        ),
    )
    target = stix.alert_report_id(stix.AlertFacts(alert.number, None, "", "", "", "", "", "", None))  # fmt: skip
    seen = {key for key, token in tokens.items() if target in ids_of(objects(client, token, ALERTS), "report")}  # fmt: skip
    assert seen == {"nisc", "mic", "ceptoar-comm", "comm-c"}
    response = get(client, collection_url(ALERTS, "objects/"), tokens["comm-c"])
    text = response.content.decode()
    for secret in ("A電力", "elec-a", report.number, "連絡 太郎", "03-1111-2222", "renraku@"):
        assert secret not in text
    assert incident_id(report) not in text
    assert stix.party_identity_id(stix.PartyFacts("elec-a", "")) not in text


# --- filters, paging, versions ---------------------------------------------------------------


@pytest.fixture
def reports(hub):  # noqa: F811
    from mamori.sharing import services

    made = [submit(hub, tlp="clear") for _ in range(3)]
    services.add_version(
        hub.people["elec-a"],
        made[0],
        content(title="制御システムの停止（続報）"),
        change_note="復旧",
    )
    return made


def test_paging_is_keyset_with_headers_and_covers_every_object_once(client, hub, tokens, reports):  # noqa: F811
    everything = objects(client, tokens["elec-b"], limit=1000)
    seen, token, pages = [], None, 0
    while True:
        params = {"limit": 2} | ({"next": token} if token else {})
        response = get(client, collection_url(REPORTS, "objects/"), tokens["elec-b"], **params)
        body = json.loads(response.content)
        seen += [(o["id"], o.get("modified", o["created"])) for o in body.get("objects", [])]
        pages += 1
        assert response["X-TAXII-Date-Added-First"] <= response["X-TAXII-Date-Added-Last"]
        if not body["more"]:
            assert "next" not in body
            break
        token = body["next"]
    assert pages == (len(everything) + 1) // 2
    assert seen == [(o["id"], o.get("modified", o["created"])) for o in everything]
    assert len(set(seen)) == len(seen)
    bad = get(client, collection_url(REPORTS, "objects/"), tokens["elec-b"], next="nonsense")
    assert bad.status_code == 400


def test_match_filters_and_added_after(client, hub, tokens, reports):  # noqa: F811
    token = tokens["elec-b"]
    incidents = objects(client, token, **{"match[type]": "incident"})
    assert len(incidents) == 3  # the latest version of each
    assert {o["type"] for o in incidents} == {"incident"}
    first = incident_id(reports[0])
    everyone = objects(client, token, **{"match[id]": first, "match[version]": "all"})
    assert len(everyone) == 2
    [oldest] = objects(client, token, **{"match[id]": first, "match[version]": "first"})
    [newest] = objects(client, token, **{"match[id]": first})
    assert oldest["modified"] < newest["modified"]
    assert "（続報）" in newest["name"]
    [exact] = objects(client, token, **{"match[id]": first, "match[version]": oldest["modified"]})
    assert exact == oldest
    assert objects(client, token, **{"match[spec_version]": "2.0"}) == []
    response = get(client, collection_url(REPORTS, "objects/"), token, limit=3)
    last = response["X-TAXII-Date-Added-Last"]
    later = objects(client, token, added_after=last, limit=1000)
    assert later and all(o["id"] for o in later)
    whole = objects(client, token, limit=1000)
    assert len(later) == len(whole) - 3
    assert get(client, collection_url(REPORTS, "objects/"), token, added_after="yesterday").status_code == 400  # fmt: skip
    assert get(client, collection_url(REPORTS, "objects/"), token, limit="0").status_code == 400


def test_object_versions_and_manifest(client, hub, tokens, reports):  # noqa: F811
    token = tokens["elec-b"]
    first = incident_id(reports[0])
    response = get(client, collection_url(REPORTS, f"objects/{first}/versions/"), token)
    assert response.status_code == 200
    versions = json.loads(response.content)["versions"]
    assert len(versions) == 2 and versions == sorted(versions)
    detail = json.loads(get(client, collection_url(REPORTS, f"objects/{first}/"), token).content)
    assert [o["modified"] for o in detail["objects"]] == [versions[-1]]
    manifest = json.loads(get(client, collection_url(REPORTS, "manifest/"), token).content)
    records = {r["id"]: r for r in manifest["objects"]}
    assert records[first]["version"] == versions[-1]
    assert records[first]["media_type"] == "application/stix+json;version=2.1"
    # an object the party may not read is simply not there
    red = submit(hub, tlp="red")
    missing = get(client, collection_url(REPORTS, f"objects/{incident_id(red)}/"), token)
    assert missing.status_code == 404
    assert get(client, collection_url(REPORTS, f"objects/{incident_id(red)}/versions/"), token).status_code == 404  # fmt: skip


def test_date_added_is_the_version_time_and_stable(client, hub, tokens, reports):  # noqa: F811
    token = tokens["elec-b"]
    first = incident_id(reports[0])
    manifest = json.loads(
        get(
            client,
            collection_url(REPORTS, "manifest/"),
            token,
            **{"match[id]": first, "match[version]": "all"},
        ).content  # fmt: skip
    )["objects"]
    versions = list(reports[0].versions.order_by("number"))
    # the version's creation time (plus one microsecond per object of the version)
    assert [r["date_added"] for r in manifest] == [
        taxii.timestamp(v.created + timedelta(microseconds=1)) for v in versions
    ]
    again = json.loads(
        get(
            client,
            collection_url(REPORTS, "manifest/"),
            token,
            **{"match[id]": first, "match[version]": "all"},
        ).content  # fmt: skip
    )["objects"]
    assert again == manifest


def test_objects_page_queries_do_not_grow_with_the_number_of_reports(client, hub, tokens):  # noqa: F811
    submit(hub, tlp="clear")
    objects(client, tokens["elec-b"])  # stores the first report's rows

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            objects(client, tokens["elec-b"], limit=1000)
        return len(captured)

    few = count()
    for _ in range(5):
        submit(hub, tlp="clear")
    objects(client, tokens["elec-b"])  # store them
    assert count() == few
