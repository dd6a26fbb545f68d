"""STIX 2.1 bundles of one report or one alert, as downloaded from their pages.

Whoever may see the report or alert (mamori.sharing.access) may download it; the caller
passes an item already fetched through those querysets. Each download is a trail event.
The alert bundle is built from the alert alone (mamori.sharing.stix): it never carries the
reporter's identity (別添2.2)."""

from __future__ import annotations

from mamori.org.models import Person
from mamori.sharing import stix
from mamori.sharing.models import Alert, Report
from mamori.sharing.stix_facts import alert_facts, report_facts
from mamori.trail.services import record

STIX_CONTENT_TYPE = "application/stix+json;version=2.1"


def _exported(action: str, person: Person, obj: Report | Alert, bundle: dict) -> str:
    record(
        action,
        actor=person.user,
        obj=obj,
        data={"number": obj.number, "format": "stix"},
        organization_id=person.organization_id,
    )
    return stix.serialize(bundle)


def report_bundle(person: Person, report: Report) -> str:
    bundle = stix.build_report_bundle(report_facts(report))
    return _exported("sharing.report.exported", person, report, bundle)


def alert_bundle(person: Person, alert: Alert) -> str:
    bundle = stix.build_alert_bundle(alert_facts(alert))
    return _exported("sharing.alert.exported", person, alert, bundle)
