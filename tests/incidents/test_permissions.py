"""Who sees and does what: one line per view and API route."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mamori.incidents.models import Incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(staff, file_report):
    return file_report(staff, kind="malware", summary="警告が出た。")


def test_scoping_in_the_manager(case, staff, other_staff, outsider, csirt, section_officer):
    assert list(Incident.objects.visible_to(staff)) == [case]
    assert list(Incident.objects.visible_to(csirt)) == [case]
    assert list(Incident.objects.visible_to(section_officer)) == [case]  # d1 is theirs
    assert not Incident.objects.visible_to(other_staff).exists()
    assert not Incident.objects.visible_to(outsider).exists()
    assert not Incident.objects.visible_to(None).exists()


def test_pii_managers_see_personal_information_cases_of_their_units_only(
    staff, pii_manager, file_report, person_with
):
    plain = file_report(staff, kind="malware")
    pii = file_report(staff, kind="mis_sent", personal_info=True)
    assert list(Incident.objects.visible_to(pii_manager)) == [pii]
    elsewhere = person_with("pii_manager", unit="b2", scope="b2")
    assert not Incident.objects.visible_to(elsewhere).exists()
    assert plain not in Incident.objects.visible_to(pii_manager)


def test_another_organisation_sees_nothing(case, make_org):
    _org, _unit, person = make_org("other-ministry", "national", ["toitsu"])
    stranger_csirt = person("csirt")
    assert not Incident.objects.visible_to(stranger_csirt).exists()


GET_VIEWS = ["incidents:detail", "incidents:reported"]
POST_VIEWS = [
    "incidents:triage",
    "incidents:transition",
    "incidents:assign",
    "incidents:add_task",
    "incidents:add_note",
    "incidents:analysis",
    "incidents:share",
    "incidents:add_evidence",
]


@pytest.mark.parametrize("name", GET_VIEWS + POST_VIEWS)
def test_others_get_404_on_a_case(client, login, case, other_staff, name):
    login(other_staff)
    method = client.get if name in GET_VIEWS else client.post
    assert method(reverse(name, args=[case.pk])).status_code == 404


@pytest.mark.parametrize("name", GET_VIEWS)
def test_reporter_and_csirt_read_the_case(client, login, case, staff, csirt, name):
    login(staff)
    assert client.get(reverse(name, args=[case.pk])).status_code == 200
    login(csirt)
    assert client.get(reverse(name, args=[case.pk])).status_code == 200


def test_reporter_cannot_triage_their_own_case(client, login, case, staff):
    login(staff)
    response = client.post(reverse("incidents:triage", args=[case.pk]), {"importance": "alert"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.importance == ""


def test_handling_forms_only_for_handlers(client, login, case, staff, csirt):
    login(staff)
    assert (
        "triage-submit"
        not in client.get(reverse("incidents:detail", args=[case.pk])).content.decode()
    )
    login(csirt)
    assert (
        "triage-submit" in client.get(reverse("incidents:detail", args=[case.pk])).content.decode()
    )


def test_anonymous_is_sent_to_login(client, case):
    for name in ("incidents:board", "incidents:report", "incidents:board_export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response.url
    assert client.get(reverse("incidents:detail", args=[case.pk])).status_code == 302


def test_board_lists_only_visible_cases(client, login, case, other_staff, csirt):
    login(other_staff)
    assert case.number not in client.get(reverse("incidents:board")).content.decode()
    assert (
        case.number
        not in b"".join(client.get(reverse("incidents:board_export")).streaming_content).decode()
    )
    login(csirt)
    assert case.number in client.get(reverse("incidents:board")).content.decode()


def test_api_is_scoped(client, login, case, staff, other_staff, outsider, csirt):
    url = f"/api/incidents/{case.pk}"
    login(other_staff)
    assert client.get(url).status_code == 404
    assert client.get("/api/incidents").json()["count"] == 0
    assert (
        client.post(
            f"{url}/transition", {"status": "triaged"}, content_type="application/json"
        ).status_code
        == 404
    )
    login(outsider)
    assert client.get(url).status_code == 404
    login(staff)
    assert client.get(url).status_code == 200
    assert (
        client.post(
            f"{url}/transition", {"status": "triaged"}, content_type="application/json"
        ).status_code
        == 403
    )
    login(csirt)
    assert client.get("/api/incidents").json()["count"] == 1
    assert (
        client.post(
            f"{url}/transition", {"status": "triaged"}, content_type="application/json"
        ).json()["status"]
        == "triaged"
    )


def test_api_needs_authentication(client, case):
    assert client.get("/api/incidents").status_code == 401
    assert (
        client.post(
            "/api/incidents", {"kind": "malware", "summary": "x"}, content_type="application/json"
        ).status_code
        == 401
    )


@pytest.fixture
def case_parts(case, staff, csirt):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mamori.incidents import services

    task = services.add_task(case, csirt, title="回収", owner=staff)
    evidence = services.add_evidence(case, csirt, SimpleUploadedFile("a.txt", b"a"))
    item = case.chain_items.get(step_key="toitsu.csirt_to_nisc")
    return {"task_pk": task.pk, "evidence_pk": evidence.pk, "item_pk": item.pk}


@pytest.mark.parametrize(
    ("name", "part", "method"),
    [
        ("incidents:complete_task", "task_pk", "post"),
        ("incidents:evidence_download", "evidence_pk", "get"),
        ("incidents:send_item", "item_pk", "post"),
        ("incidents:acknowledge", "item_pk", "post"),
    ],
)
def test_others_get_404_on_case_parts(
    client, login, case, case_parts, outsider, name, part, method
):
    login(outsider)
    url = reverse(name, args=[case.pk, case_parts[part]])
    assert getattr(client, method)(url).status_code == 404


def test_reporter_cannot_record_an_outside_report(client, login, case, case_parts, staff, csirt):
    url = reverse("incidents:send_item", args=[case.pk, case_parts["item_pk"]])
    login(staff)
    response = client.post(url, follow=True)
    assert "権限がありません" in response.content.decode()
    login(csirt)
    client.post(url)
    assert case.chain_items.get(pk=case_parts["item_pk"]).sent_by == csirt


@pytest.mark.parametrize("action", ["send", "acknowledge"])
def test_api_chain_routes_are_scoped(client, login, case, case_parts, other_staff, action):
    login(other_staff)
    url = f"/api/incidents/{case.pk}/chain/{case_parts['item_pk']}/{action}"
    assert client.post(url).status_code == 404


def test_api_triage_and_send(client, login, case, case_parts, staff, csirt):
    url = f"/api/incidents/{case.pk}/triage"
    body = {"importance": "alert", "facts": {"cyber_attack_suspected": True}}
    login(staff)
    assert client.post(url, body, content_type="application/json").status_code == 403
    login(csirt)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200
    assert any(i["step_key"] == "toitsu.csirt_to_police" for i in response.json()["chain"])
    bad = client.post(url, {"facts": {"no_such_fact": True}}, content_type="application/json")
    assert bad.status_code == 400
    sent = client.post(f"/api/incidents/{case.pk}/chain/{case_parts['item_pk']}/send")
    assert sent.status_code == 200 and sent.json()["sent_at"]
    again = client.post(f"/api/incidents/{case.pk}/chain/{case_parts['item_pk']}/send")
    assert again.status_code == 409
