"""The demo's sample incidents go through the services and fit the demo's people."""

from __future__ import annotations

import pytest

from mamori.incidents.demo import build_incidents
from mamori.incidents.models import Incident
from mamori.org.demo_data import INCIDENTS, MINISTRY

pytestmark = pytest.mark.django_db


def test_sample_incidents_are_filed_and_triaged(person_with):

    people = {
        "staff01": person_with(unit="d1"),
        "staff03": person_with(unit="d1"),
        "staff05": person_with(unit="d2"),
        "csirt1": person_with("csirt", unit="b2"),
        "csirt2": person_with("csirt", unit="b2"),
    }
    assert build_incidents(people, INCIDENTS[MINISTRY.code]) == 3
    statuses = sorted(Incident.objects.values_list("status", flat=True))
    assert statuses == ["reported", "responding", "triaged"]
    laptop = Incident.objects.get(kind="lost_device")
    assert laptop.chain_items.filter(step_key="mic.ppc_preliminary").exists()
