"""POST /api/handling/decide: one request or a list; the engine's own errors, with the
position of the bad request; the same answers as `mamori decide`."""

import io
import json

import pytest
from django.core.management import call_command

from mamori.api import services as tokens
from mamori.rules import handling

URL = "/api/handling/decide"
C3_OUTSIDE = {
    "org_kind": "national",
    "info": {"confidentiality": 3},
    "action": "process_outside_area",
}
C2_PUBLISH = {"org_kind": "national", "info": {"confidentiality": 2}, "action": "publish"}
MIXED = [
    C3_OUTSIDE,
    C2_PUBLISH,
    {"org_kind": "independent", "info": {"confidentiality": 3}, "action": "carry_outside"},
    {
        "org_kind": "national",
        "rulebooks": ["toitsu", "mod"],
        "info": {"confidentiality": 2, "types": ["mod_caution"]},
        "action": "use_external_media",
        "context": {"media": "unregistered"},
    },
    {
        "org_kind": "designated_listed",
        "info": {"confidentiality": 2, "integrity": 2, "restrictions": ["forward_prohibited"]},
        "action": "forward",
        "context": {"channel": "agency_mail", "recipient": "within_viewers"},
    },
    {
        "org_kind": "national",
        "info": {"confidentiality": 1, "medium": "paper"},
        "action": "dispose",
    },
]


def bearer(person):
    _token, text = tokens.create_token(person, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


@pytest.fixture
def api(client, staff):
    headers = bearer(staff)

    def post(body):
        data = body if isinstance(body, str) else json.dumps(body)
        return client.post(URL, data=data, content_type="application/json", **headers)

    return post


def test_one_request(api):
    response = api(C3_OUTSIDE)
    assert response.status_code == 200, response.content
    assert response.json() == handling.decide(C3_OUTSIDE)
    assert response.json()["permission_from"] == ["section_isec_officer"]


def test_a_list(api):
    response = api(MIXED)
    assert response.status_code == 200, response.content
    assert response.json() == [handling.decide(r) for r in MIXED]


def test_an_empty_list(api):
    response = api([])
    assert response.status_code == 200 and response.json() == []


def test_cli_and_api_agree(api):
    out = io.StringIO()
    text = "".join(json.dumps(r) + "\n" for r in MIXED)
    call_command("decide", stdin=io.StringIO(text), stdout=out)
    from_cli = [json.loads(line) for line in out.getvalue().splitlines()]
    assert from_cli == api(MIXED).json()
    assert len({d["verdict"] for d in from_cli}) >= 3  # the sample is not all one answer


def test_a_bad_item_is_a_400_naming_its_index_and_field(api):
    bad = {**C2_PUBLISH, "context": {"recipient": "everyone"}}
    response = api([C3_OUTSIDE, C2_PUBLISH, bad])
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_request"
    assert body["details"]["index"] == 2
    (error,) = body["details"]["errors"]
    assert error["field"] == "context.recipient"
    assert error["allowed"] == ["within_viewers", "outside_viewers", "public"]
    assert "2" in body["message"]


def test_a_bad_single_request_has_no_index(api):
    response = api({"org_kind": "national", "action": "teleport"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_request" and body["details"]["index"] is None
    assert {"action", "info"} <= {e["field"] for e in body["details"]["errors"]}


def test_a_list_item_that_is_not_an_object(api):
    response = api([C3_OUTSIDE, "publish"])
    assert response.status_code == 400
    assert response.json()["details"]["index"] == 1


def test_ten_thousand_is_the_limit(api):
    small = {"org_kind": "national", "info": {"confidentiality": 1}, "action": "print"}
    response = api([small] * 10_000)
    assert response.status_code == 200 and len(response.json()) == 10_000
    response = api([small] * 10_001)
    assert response.status_code == 400
    assert response.json()["code"] == "batch_too_large"
    assert response.json()["details"] == {"limit": 10_000, "count": 10_001}


@pytest.mark.parametrize("body", ["{not json", "42", '"publish"'])
def test_a_body_that_is_neither_object_nor_list_is_a_400(api, body):
    response = api(body)
    assert response.status_code == 400
    assert set(response.json()) == {"code", "message", "details"}


def test_english_messages(client, staff):
    response = client.post(
        URL,
        data=json.dumps({"org_kind": "nowhere", "info": {"confidentiality": 1}, "action": "print"}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(staff),
    )
    assert response.status_code == 400
    assert "org_kind must be one of" in response.json()["message"]


def test_credentials_are_required(client, db):
    response = client.post(URL, data=json.dumps(C3_OUTSIDE), content_type="application/json")
    assert response.status_code == 401


def test_a_signed_in_session_works(client, staff, login):
    login(staff)
    response = client.post(URL, data=json.dumps(C2_PUBLISH), content_type="application/json")
    assert response.status_code == 200 and response.json()["verdict"] == "deny"
