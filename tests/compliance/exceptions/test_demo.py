"""The demo's 例外措置: built through the services, once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mamori.compliance.exceptions.demo import build_exceptions
from mamori.compliance.exceptions.models import ExceptionProcedure, ExceptionRecord, RecordState
from mamori.org.models import RoleAssignment
from mamori.web.deadlines import deadlines_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(person_with, ciso, permit_authority):
    return {
        "ciso": ciso,
        "permit": permit_authority,
        "staff01": person_with(unit="d1", username="staff01"),
        "staff02": person_with(unit="d2", username="staff02"),
    }


def test_the_demo_files_two_requests_and_approves_one(org, people):
    assert build_exceptions(org, people) == 2
    assert ExceptionProcedure.objects.filter(organization=org).count() == 1
    record = ExceptionRecord.objects.get()
    assert record.state == RecordState.ACTIVE
    assert record.permitted_by == people["permit"]
    assert record.period_end == date.today() + timedelta(days=10)
    waiting = people["permit"].requests_to_decide.filter(state="submitted")
    assert waiting.count() == 1
    found = deadlines_for(
        people["permit"], date.today(), date.today() + timedelta(days=30), ["exceptions"]
    )
    assert [d.uid for d in found] == [f"exceptions.record.{record.pk}"]
    assert build_exceptions(org, people) == 0  # idempotent
    assert ExceptionRecord.objects.count() == 1


def test_the_ciso_designates_a_permit_authority_when_there_is_none(org, person_with, ciso):
    chief = person_with("chief_isec_officer", unit="b1", username="chief")
    people = {
        "ciso": ciso,
        "chief": chief,
        "staff01": person_with(unit="d1", username="staff01"),
    }
    assert build_exceptions(org, people) == 1
    assert RoleAssignment.objects.filter(person=chief, role="permit_authority").exists()
    assert ExceptionRecord.objects.get().permitted_by == chief


def test_nothing_without_anyone_to_decide(org, person_with):
    people = {"staff01": person_with(unit="d1", username="staff01")}
    assert build_exceptions(org, people) == 0
    assert not ExceptionRecord.objects.exists()
