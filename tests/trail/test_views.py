"""The auditor's trail viewer and CSV export."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mamori.trail.models import Event
from mamori.trail.services import record

pytestmark = pytest.mark.django_db

LIST = reverse("trail:list")
EXPORT = reverse("trail:export")


def shown_actions(response) -> list[str]:
    return [event.action for event in response.context["page"]]


@pytest.fixture
def trail(org, other_org, staff, clock):
    """Events of the test ministry on two days, and one of another organisation."""
    clock.set(2026, 4, 1, 10, 0)
    record("approvals.request.submitted", actor=staff.user, obj=staff, organization_id=org.pk)
    record(
        "approvals.request.approved",
        actor=None,
        actor_label="承認 花子",
        organization_id=org.pk,
        data={"reason": "=HYPERLINK(1)"},
    )
    clock.set(2026, 4, 2, 23, 30)  # 2 April in Tokyo, still 2 April 14:30 UTC
    record("assets.classified", actor=staff.user, organization_id=org.pk)
    record("approvals.request.submitted", actor_label="他省 職員", organization_id=other_org.pk)
    clock.release()
    return org


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_a_user_without_a_person_is_refused(client, db):
    user = get_user_model().objects.create_user(username="nobody", password="correct horse 1")
    client.force_login(user)
    assert client.get(LIST).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_staff_without_an_auditor_role_are_refused(client, login, staff, isec_officer):
    for person in (staff, isec_officer):
        login(person)
        assert client.get(LIST).status_code == 403
        assert client.get(EXPORT).status_code == 403


def test_an_auditor_sees_their_organisations_events_newest_first(client, login, auditor, trail):
    login(auditor)
    response = client.get(LIST)
    assert response.status_code == 200
    actions = shown_actions(response)
    assert actions[:3] == ["auth.login", "assets.classified", "approvals.request.approved"]
    assert "他省 職員" not in response.content.decode()
    assert all(e.organization_id == auditor.organization_id for e in response.context["page"])
    html = response.content.decode()
    assert '<table class="table">' in html and "<caption>" in html
    assert 'method="get"' in html and "<style" not in html and "<script>" not in html


def test_the_ciso_may_read_the_trail_too(client, login, ciso, trail):
    login(ciso)
    assert client.get(LIST).status_code == 200


def test_another_organisations_auditor_sees_only_their_own(client, login, foreign_auditor, trail):
    login(foreign_auditor)
    response = client.get(LIST)
    assert response.status_code == 200
    labels = [event.actor_label for event in response.context["page"]]
    assert "他省 職員" in labels and str(trail) not in labels
    assert "承認 花子" not in response.content.decode()


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"action": "approvals."}, ["approvals.request.approved", "approvals.request.submitted"]),
        ({"action": "assets"}, ["assets.classified"]),
        ({"actor": "花子"}, ["approvals.request.approved"]),
        ({"object_type": "org.person"}, ["approvals.request.submitted"]),
        (
            {"date_from": "2026-04-02", "date_to": "2026-04-02", "action": "a"},
            ["assets.classified"],
        ),
        (
            {"date_to": "2026-04-01", "action": "a"},
            ["approvals.request.approved", "approvals.request.submitted"],
        ),
    ],
)
def test_filters_narrow_the_list(client, login, auditor, trail, query, expected):
    login(auditor)
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert shown_actions(response) == expected


def test_the_object_id_filter(client, login, auditor, trail, staff):
    login(auditor)
    response = client.get(LIST, {"object_type": "org.person", "object_id": str(staff.pk)})
    assert shown_actions(response) == ["approvals.request.submitted"]
    response = client.get(LIST, {"object_type": "org.person", "object_id": "0"})
    assert shown_actions(response) == []


@pytest.mark.parametrize(
    "query, field",
    [
        ({"date_from": "2026-04-05", "date_to": "2026-04-01"}, "date_to"),
        ({"date_from": "2026-02-30"}, "date_from"),
        ({"action": "x" * 101}, "action"),
    ],
)
def test_invalid_filters_are_explained_and_nothing_is_listed(
    client, login, auditor, trail, query, field
):
    login(auditor)
    response = client.get(LIST, query)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert shown_actions(response) == []
    assert str(form.errors[field][0]) in response.content.decode()


def test_pages_hold_50_and_link_on_with_the_filters(client, login, auditor, org):
    for i in range(60):
        record("bulk.item", organization_id=org.pk, data={"i": i})
    login(auditor)
    first = client.get(LIST, {"action": "bulk."})
    assert len(first.context["page"]) == 50
    assert "action=bulk." in first.content.decode() and "page=2" in first.content.decode()
    second = client.get(LIST, {"action": "bulk.", "page": 2})
    assert len(second.context["page"]) == 10
    assert [json.loads(e.data_json)["i"] for e in second.context["page"]] == list(range(9, -1, -1))


def test_the_number_of_queries_does_not_grow_with_the_events_shown(
    client, login, auditor, org, staff
):
    login(auditor)
    client.get(LIST)  # the first request of a session may set things up

    def queries_with(count: int) -> int:
        Event.objects.filter(action="bulk.item").delete()
        for i in range(count):
            record("bulk.item", actor=staff.user, obj=staff, organization_id=org.pk, data={"i": i})
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST, {"action": "bulk."})
        assert len(response.context["page"]) == count
        return len(captured)

    assert queries_with(5) == queries_with(40)


def test_csv_export_has_a_bom_a_header_and_tokyo_times(client, login, auditor, trail):
    login(auditor)
    response = client.get(EXPORT, {"action": "approvals."})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows[0]) == 9 and rows[0][0] == "連番"
    assert [row[3] for row in rows[1:]] == [
        "approvals.request.approved",
        "approvals.request.submitted",
    ]
    approved = rows[1]
    assert approved[1] == "2026-04-01T10:00:00+09:00"
    assert approved[2] == "承認 花子"
    assert json.loads(approved[7]) == {"reason": "=HYPERLINK(1)"}
    assert approved[8] == Event.objects.get(action="approvals.request.approved").hash
    assert all("他省" not in row[2] for row in rows)


def test_csv_export_defuses_cells_excel_would_run_as_formulas(client, login, auditor, org):
    # A failed sign-in records the name typed, which anyone can choose.
    record("auth.login_failed", actor_label='=HYPERLINK("http://x")', organization_id=org.pk)
    login(auditor)
    body = b"".join(client.get(EXPORT, {"action": "auth.login_failed"}).streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1][2] == '\'=HYPERLINK("http://x")'


def test_csv_export_is_itself_recorded(client, login, auditor, trail):
    login(auditor)
    response = client.get(EXPORT, {"action": "approvals.", "date_from": "2026-04-01"})
    b"".join(response.streaming_content)
    exported = Event.objects.get(action="trail.exported")
    assert exported.actor_id == auditor.user.pk
    assert exported.organization_id == auditor.organization_id
    assert json.loads(exported.data_json) == {
        "filters": {"action": "approvals.", "date_from": "2026-04-01"}
    }


def test_csv_export_with_a_bad_filter_goes_back_to_the_list(client, login, auditor, trail):
    login(auditor)
    response = client.get(EXPORT, {"date_from": "nonsense"})
    assert response.status_code == 302
    assert response["Location"].startswith(LIST) and "date_from=nonsense" in response["Location"]
    assert not Event.objects.filter(action="trail.exported").exists()
