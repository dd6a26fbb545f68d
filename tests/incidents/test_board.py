"""The CSIRT board: filters, overdue, CSV, and a query count that does not grow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mamori.incidents.models import Incident

pytestmark = pytest.mark.django_db


def _bulk(org, reporter, count, start=0, **fields):
    now = timezone.now()
    Incident.objects.bulk_create(
        Incident(
            organization=org,
            number=f"2020-{start + n:05d}",
            kind=fields.get("kind", "malware"),
            title=f"事案{start + n}",
            description="x",
            reporter=reporter,
            reporter_unit=reporter.unit,
            reported_at=now - timedelta(minutes=start + n),
            status=fields.get("status", "reported"),
            importance=fields.get("importance", ""),
            chain_next_due_at=fields.get("due"),
        )
        for n in range(count)
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_the_cases(client, login, org, staff, csirt):
    login(csirt)
    url = reverse("incidents:board")
    _bulk(org, staff, 3, due=timezone.now() - timedelta(hours=1))
    client.get(url)  # the first request after sign-in also touches the session
    few = _queries(client, url)
    filtered_few = _queries(client, url + "?status=reported&overdue=on")
    _bulk(org, staff, 120, start=10, due=timezone.now() - timedelta(hours=1))
    assert _queries(client, url) == few
    assert _queries(client, url + "?status=reported&overdue=on") == filtered_few


def test_filters_and_sort(client, login, org, staff, csirt, units):
    _bulk(org, staff, 2, kind="malware", status="reported")
    _bulk(org, staff, 1, start=5, kind="lost_device", status="closed", importance="alert")
    login(csirt)
    page = client.get(reverse("incidents:board") + "?kind=lost_device").content.decode()
    assert "事案5" in page and "事案0" not in page
    page = client.get(reverse("incidents:board") + "?status=reported").content.decode()
    assert "事案0" in page and "事案5" not in page
    page = client.get(reverse("incidents:board") + "?importance=alert").content.decode()
    assert "事案5" in page and "事案1" not in page
    page = client.get(reverse("incidents:board") + f"?unit={units['d2'].pk}").content.decode()
    assert "事案0" not in page
    page = client.get(
        reverse("incidents:board") + f"?unit={units['b1'].pk}&sort=number"
    ).content.decode()
    assert page.index("事案0") < page.index("事案1")


def test_overdue_cases_are_marked_and_filtered(client, login, org, staff, csirt):
    _bulk(org, staff, 1, due=timezone.now() - timedelta(hours=2))
    _bulk(org, staff, 1, start=1, due=timezone.now() + timedelta(hours=2))
    login(csirt)
    page = client.get(reverse("incidents:board") + "?overdue=on").content.decode()
    assert "事案0" in page and "事案1" not in page
    assert "inc-overdue" in page and "期限超過" in page


def test_csv_export_follows_the_filters(client, login, org, staff, csirt):
    _bulk(org, staff, 1, kind="malware")
    _bulk(org, staff, 1, start=3, kind="dos")
    login(csirt)
    body = b"".join(
        client.get(reverse("incidents:board_export") + "?kind=dos").streaming_content
    ).decode()
    assert "事案3" in body and "事案0" not in body
    assert body.startswith("\ufeff事案番号")


def test_pagination(client, login, org, staff, csirt):
    _bulk(org, staff, 30)
    login(csirt)
    first = client.get(reverse("incidents:board")).content.decode()
    second = client.get(reverse("incidents:board") + "?page=2").content.decode()
    assert "事案0<" in first and "事案29<" not in first
    assert "事案29<" in second
