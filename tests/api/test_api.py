import json

import pytest

from mamori.api import services as tokens
from mamori.approvals.models import Request

BODY = {
    "kind": "general.permission",
    "title": "API からの申請",
    "period_start": "2026-12-01",
    "period_end": "2026-12-03",
}


def bearer(person, roles=None):
    _token, text = tokens.create_token(person, name="test", roles=roles)
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


def post(client, url, body, **headers):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json", **headers)


def test_openapi_document_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/approvals/requests" in response.json()["paths"]


def test_no_credentials_is_401_in_the_error_shape(client, db):
    response = client.get("/api/approvals/requests")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "details"}


def test_token_creates_and_submits_a_request(client, staff, section_officer):
    response = post(client, "/api/approvals/requests", {**BODY, "submit": True}, **bearer(staff))
    assert response.status_code == 201, response.content
    created = Request.objects.get(pk=response.json()["id"])
    assert created.state == "submitted" and created.approver == section_officer


@pytest.mark.parametrize(
    "body,code",
    [
        ("{not json", "malformed_body"),
        ({"kind": "general.permission"}, "invalid_input"),  # title missing
        ({**BODY, "period_start": "someday"}, "invalid_input"),
        ({**BODY, "kind": "no.such.kind"}, "invalid_input"),
        ({**BODY, "period_end": "2026-11-01"}, "invalid_input"),
    ],
)
def test_bad_input_is_a_clear_400_never_a_500(client, staff, body, code):
    response = post(client, "/api/approvals/requests", body, **bearer(staff))
    assert response.status_code == 400, response.content
    payload = response.json()
    assert payload["code"] == code and payload["message"]
    assert not Request.objects.exists()


def test_error_message_follows_accept_language(client, staff):
    response = post(
        client, "/api/approvals/requests", "{bad", HTTP_ACCEPT_LANGUAGE="en", **bearer(staff)
    )
    assert response.json()["message"] == "The request body could not be parsed as JSON."
    response = post(
        client, "/api/approvals/requests", "{bad", HTTP_ACCEPT_LANGUAGE="ja", **bearer(staff)
    )
    assert response.json()["message"] == "リクエスト本文をJSONとして解釈できません。"


def test_token_is_limited_to_the_roles_chosen(client, staff, section_officer, isec_officer):
    created = post(
        client, "/api/approvals/requests", {**BODY, "submit": True}, **bearer(staff)
    ).json()
    url = f"/api/approvals/requests/{created['id']}"
    # The bureau officer sees the request through the isec_officer role ...
    assert client.get(url, **bearer(isec_officer, roles=["isec_officer"])).status_code == 200
    # ... but a token made without that role does not carry it.
    assert client.get(url, **bearer(isec_officer, roles=[])).status_code == 404


def test_a_token_cannot_claim_a_role_its_owner_lacks(staff):
    from mamori.errors import Forbidden

    with pytest.raises(Forbidden):
        tokens.create_token(staff, name="x", roles=["ciso"])


def test_separation_of_duties_over_the_api(client, section_officer, person_with):
    other = person_with("section_isec_officer", unit="d1", scope="d1")
    headers = bearer(other, roles=["section_isec_officer"])
    created = post(client, "/api/approvals/requests", {**BODY, "submit": True}, **headers).json()
    response = post(
        client,
        f"/api/approvals/requests/{created['id']}/decision",
        {"action": "approve"},
        **headers,
    )
    assert response.status_code == 403
    assert response.json()["code"] == "separation_of_duties"
    assert "2.1.1(8)" in response.json()["details"]["citation"]


def test_invalid_transition_is_409(client, staff, section_officer):
    created = post(client, "/api/approvals/requests", BODY, **bearer(staff)).json()
    response = post(
        client,
        f"/api/approvals/requests/{created['id']}/decision",
        {"action": "approve"},
        **bearer(section_officer, ["section_isec_officer"]),
    )
    assert response.status_code in (403, 409)


def test_revoked_and_wrong_tokens_are_refused(client, staff):
    token, text = tokens.create_token(staff, name="x")
    tokens.revoke_token(staff, token)
    assert client.get("/api/org/me", HTTP_AUTHORIZATION=f"Bearer {text}").status_code == 401
    assert (
        client.get("/api/org/me", HTTP_AUTHORIZATION="Bearer mamori_abcd_wrong").status_code == 401
    )


def test_session_callers_need_csrf(staff, login):
    from django.test import Client

    browser = login(staff, Client(enforce_csrf_checks=True))
    assert browser.get("/api/org/me").status_code == 200
    response = browser.post(
        "/api/approvals/requests", data=json.dumps(BODY), content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"


def test_role_catalogue_is_published(client, staff):
    roles = client.get("/api/org/roles", **bearer(staff)).json()
    ciso = next(r for r in roles if r["code"] == "ciso")
    assert ciso["ja"] == "最高情報セキュリティ責任者" and ciso["clause"]
