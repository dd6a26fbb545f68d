import json

import pytest

from mamori.api import services as tokens
from mamori.assets import services
from mamori.assets.models import InformationAsset
from mamori.org import scope
from mamori.trail.models import Event

URL = "/api/assets"


def bearer(person, roles=None):
    """A token with every role the person holds (a token without roles acts with none)."""
    roles = sorted(scope.role_codes(person)) if roles is None else roles
    _token, text = tokens.create_token(person, name="test", roles=roles)
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


def send(client, method, url, body, person):
    data = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(
        url, data=data, content_type="application/json", **bearer(person)
    )


def send_with(client, url, body, headers):
    return client.patch(url, data=json.dumps(body), content_type="application/json", **headers)


def test_create_applies_inheritance_and_writes_the_trail(client, staff):
    source = services.create(staff, title="元", confidentiality=3)
    response = send(
        client,
        "post",
        URL,
        {
            "title": "API 登録",
            "confidentiality": 1,
            "restrictions": [{"code": "viewers_limited", "detail": "人事課"}],
            "sources": [source.pk],
        },
        staff,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["confidentiality"] == 3 and body["marking"] == "機密性３情報・人事課限り"
    assert body["decider_id"] == staff.pk and body["unit_id"] == staff.unit_id
    assert body["inherited"]["citation"] == "統一基準(R7) 3.1.1(3)(b)"
    assert Event.objects.filter(action="assets.asset.created", object_id=str(body["id"])).exists()


def test_patch_updates_through_the_service(client, staff):
    asset = services.create(staff, title="旧", confidentiality=2)
    response = send(client, "patch", f"{URL}/{asset.pk}", {"title": "新", "integrity": 2}, staff)
    assert response.status_code == 200, response.content
    assert response.json()["categories"] == ["confidential", "integrity_critical", "protected"]
    changes = Event.objects.get(action="assets.asset.updated").data["changes"]
    assert set(changes) == {"title", "integrity"}


@pytest.mark.parametrize(
    "body",
    [
        {"title": "x", "confidentiality": 4},
        {"title": "x", "medium": "paper", "integrity": 2},
        {"title": "x", "restrictions": [{"code": "nope"}]},
        {"title": ""},
        {"confidentiality": 2},
        "{broken",
    ],
)
def test_bad_input_is_400_in_the_error_shape(client, staff, body):
    response = send(client, "post", URL, body, staff)
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"code", "message", "details"}
    assert not InformationAsset.objects.exists()


def test_paper_integrity_error_names_the_field(client, staff):
    response = send(client, "post", URL, {"title": "x", "medium": "paper", "integrity": 2}, staff)
    assert "integrity" in response.json()["details"]


def test_who_may_patch(client, staff, other_staff, isec_officer, person_with):
    asset = services.create(other_staff, title="会計")
    assert (
        send(client, "patch", f"{URL}/{asset.pk}", {"title": "x"}, isec_officer).status_code == 200
    )
    assert send(client, "patch", f"{URL}/{asset.pk}", {"title": "y"}, staff).status_code == 404
    colleague = person_with(unit="d2")  # sees the unit's information, did not decide it
    response = send(client, "patch", f"{URL}/{asset.pk}", {"title": "z"}, colleague)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_a_token_without_the_officer_role_cannot_patch(client, other_staff, isec_officer):
    asset = services.create(other_staff, title="会計")
    response = send_with(client, f"{URL}/{asset.pk}", {"title": "x"}, bearer(isec_officer, []))
    assert response.status_code == 404  # narrowed to no role: the unit is out of sight


def test_outsider_gets_404(client, staff, outsider):
    asset = services.create(staff, title="総務")
    response = client.get(f"{URL}/{asset.pk}", **bearer(outsider))
    assert response.status_code == 404


def test_list_filters_and_bounds(client, staff):
    services.create(staff, title="高", confidentiality=3)
    services.create(staff, title="低", confidentiality=1)
    listed = client.get(URL, {"confidentiality": 3}, **bearer(staff)).json()
    assert listed["count"] == 1 and listed["items"][0]["title"] == "高"
    assert client.get(URL, {"limit": 501}, **bearer(staff)).status_code == 400
    assert client.get(URL, {"offset": -1}, **bearer(staff)).status_code == 400
    assert client.get(URL, {"category": "secret"}, **bearer(staff)).status_code == 400
    page = client.get(URL, {"limit": 1, "offset": 1, "sort": "title"}, **bearer(staff)).json()
    assert page["count"] == 2 and [i["title"] for i in page["items"]] == ["高"]


def test_publish_refused_over_the_api(client, staff):
    asset = services.create(staff, title="x", confidentiality=2)
    response = client.post(f"{URL}/{asset.pk}/publish", **bearer(staff))
    assert response.status_code == 400
    assert response.json()["details"]["citation"] == "統一基準(R7) 3.1.1(5)(a)"
