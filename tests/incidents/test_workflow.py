"""Status moves along the map only; handling actions land on the timeline."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mamori.errors import Forbidden, InvalidTransition
from mamori.incidents import services, workflow
from mamori.incidents.models import IncidentTask, TimelineEntry
from mamori.notices.models import Notification, Outbox

pytestmark = pytest.mark.django_db


def test_the_map_allows_its_moves(staff, csirt, file_report):
    incident = file_report(staff)
    for target in ("triaged", "responding", "recovering", "closed"):
        incident = services.transition(incident, csirt, target)
    assert incident.status == "closed"
    assert incident.closed_at is not None
    assert incident.first_response_at is not None
    moves = list(
        TimelineEntry.objects.filter(incident=incident, kind="status").values_list(
            "data__to", flat=True
        )
    )
    assert moves == ["triaged", "responding", "recovering", "closed"]


@pytest.mark.parametrize(
    ("path", "target"),
    [((), "closed"), ((), "recovering"), (("cancelled",), "triaged"), (("triaged",), "reported")],
)
def test_moves_outside_the_map_are_refused(staff, csirt, file_report, path, target):
    incident = file_report(staff)
    for step in path:
        incident = services.transition(incident, csirt, step)
    with pytest.raises(InvalidTransition) as refused:
        services.transition(incident, csirt, target)
    assert "へは移れません" in str(refused.value.message)
    incident.refresh_from_db()
    assert incident.status == (path[-1] if path else "reported")


def test_every_state_is_in_the_map():
    assert set(workflow.TRANSITIONS) == set(workflow.Status.values)
    for targets in workflow.TRANSITIONS.values():
        assert targets <= set(workflow.Status.values)


def test_the_page_shows_a_refused_move(client, login, staff, csirt, file_report):
    incident = file_report(staff)
    login(csirt)
    response = client.post(
        reverse("incidents:transition", args=[incident.pk]), {"target": "closed"}, follow=True
    )
    assert "へは移れません" in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == "reported"


def test_staff_cannot_move_their_own_case(staff, file_report):
    incident = file_report(staff)
    with pytest.raises(Forbidden):
        services.transition(incident, staff, "triaged")


def test_tasks_containment_and_sharing_appear_on_the_timeline(
    client, login, staff, csirt, section_officer, units, file_report, person_with
):
    incident = file_report(staff)
    login(csirt)
    detail = reverse("incidents:detail", args=[incident.pk])
    client.post(
        reverse("incidents:add_task", args=[incident.pk]),
        {"title": "端末を回収する", "owner": staff.pk, "due_at": "2026-12-01T10:00"},
    )
    client.post(
        reverse("incidents:add_note", args=[incident.pk]),
        {"text": "LANケーブルを抜きネットワークから切り離した", "containment": "on"},
    )
    client.post(
        reverse("incidents:analysis", args=[incident.pk]),
        {"cause_analysis": "添付ファイルを開いた", "recurrence_prevention": "訓練を行う"},
    )
    officer_d2 = person_with("section_isec_officer", unit="d2", scope="d2")
    client.post(reverse("incidents:share", args=[incident.pk]), {"units": [units["d2"].pk]})
    page = client.get(detail).content.decode()
    assert "端末を回収する" in page
    assert "LANケーブルを抜きネットワークから切り離した" in page
    assert "訓練を行う" in page
    incident.refresh_from_db()
    assert "切り離した" in incident.containment
    assert list(incident.shared_with_units.all()) == [units["d2"]]
    kinds = set(TimelineEntry.objects.filter(incident=incident).values_list("kind", flat=True))
    assert {"task", "containment", "analysis", "shared"} <= kinds
    assert Notification.objects.filter(recipient=officer_d2).exists()
    assert Outbox.objects.filter(to=officer_d2.email).exists()
    task = IncidentTask.objects.get()
    assert task.owner == staff
    login(staff)
    client.post(reverse("incidents:complete_task", args=[incident.pk, task.pk]))
    task.refresh_from_db()
    assert task.done_at is not None


def test_a_cancelled_case_owes_no_more_reports(staff, csirt, file_report):
    incident = file_report(staff)
    assert incident.chain_items.filter(sent_at__isnull=True).exists()
    services.transition(incident, csirt, "cancelled", "誤報でした")
    incident.refresh_from_db()
    assert incident.chain_next_due_at is None
    assert not incident.chain_items.filter(sent_at__isnull=True, cancelled_at__isnull=True).exists()
    assert incident.chain_items.filter(sent_at__isnull=False).exists()  # the report itself stays
