"""Filling and reading the TAXII object store (taxii_models.StixObject).

`sync()` turns what is new since the last call into STIX rows: every report version not
yet stored (incident, report and version note), every note added on the way, every
issued alert; plus the identities they refer to and the TLP 2.0 marking definitions.
It runs at the start of each TAXII request that reads objects (a few EXISTS queries when
nothing is new), so the store never needs a signal or a hook in the sharing services,
and a version is served from the moment it is committed.

`visible(collection, organization)` is the one filter of what a party may read, built on
mamori.sharing.access: the page query stays one query with subqueries, whatever the
number of reports.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from mamori.sharing import access, stix, stix_facts
from mamori.sharing.models import Alert, AlertStatus, PartyRole, Report, ReportNote, ReportVersion
from mamori.sharing.taxii_models import StixObject

REPORTS = "reports"
ALERTS = "alerts"
COLLECTIONS = (REPORTS, ALERTS)

# Identities of these parties are public on the hub (government bodies); an operator's,
# a CEPTOAR's or a vendor's is readable only with one of its readable reports.
PUBLIC_IDENTITY_ROLES = frozenset(
    {
        PartyRole.NISC,
        PartyRole.CI_MINISTRY,
        PartyRole.SECURITY_MINISTRY,
        PartyRole.INCIDENT_MINISTRY,
        PartyRole.DISASTER_MINISTRY,
        PartyRole.CABINET_CRISIS,
    }
)


def _dump(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _version_of(obj: dict) -> str:
    return obj.get("modified") or obj["created"]


def _at(moment: datetime, step: int) -> datetime:
    """`date_added` of the step-th object of one source: the source's time plus `step`
    microseconds, so that objects added together still have distinct times and a client
    paging by added_after with X-TAXII-Date-Added-Last never skips one of a group."""
    return moment + timedelta(microseconds=step)


def _row(collection: str, obj: dict, date_added: datetime, **source) -> StixObject:
    return StixObject(
        collection=collection,
        stix_id=obj["id"],
        stix_type=obj["type"],
        version=_version_of(obj),
        spec_version=obj.get("spec_version", "2.1"),
        date_added=date_added,
        payload=_dump(obj),
        **source,
    )


def _markings(collection: str) -> list[StixObject]:
    added = datetime.fromisoformat(stix.TLP_MARKINGS_ADDED)
    return [
        _row(collection, m, _at(added, step), public=True)
        for step, m in enumerate(stix.tlp_marking_objects())
    ]


def _identity_row(collection: str, organization, date_added: datetime) -> StixObject:
    facts = stix_facts.party_facts(organization)
    public = facts.role in PUBLIC_IDENTITY_ROLES
    return _row(
        collection,
        stix.party_identity(facts),
        date_added,
        public=public,
        organization=None if public else organization,
    )


def _pending_versions() -> QuerySet[ReportVersion]:
    stored = StixObject.objects.filter(report_version=OuterRef("pk"))
    return ReportVersion.objects.filter(~Exists(stored))


def _pending_notes() -> QuerySet[ReportNote]:
    stored = StixObject.objects.filter(report_note=OuterRef("pk"))
    return ReportNote.objects.filter(~Exists(stored))


def _pending_alerts() -> QuerySet[Alert]:
    stored = StixObject.objects.filter(alert=OuterRef("pk"))
    return Alert.objects.filter(status=AlertStatus.ISSUED).filter(~Exists(stored))


def sync() -> int:
    """Store what is new; returns the number of rows offered to the store (one already
    there, such as a marking or an identity, is skipped by the unique constraint)."""
    versions = list(_pending_versions().values_list("report_id", flat=True))
    note_ids = list(_pending_notes().values_list("pk", flat=True))
    alert_ids = list(_pending_alerts().values_list("pk", flat=True))
    if not (versions or note_ids or alert_ids):
        return 0
    rows: list[StixObject] = []
    with transaction.atomic():
        if versions or note_ids:
            rows += _report_rows(set(versions), note_ids)
        if alert_ids:
            rows += _alert_rows(alert_ids)
        # Markings and identities are built once per source: keep the first of each.
        unique = {(row.collection, row.stix_id, row.version): row for row in reversed(rows)}
        rows = list(reversed(unique.values()))
        StixObject.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        _mark_latest({row.stix_id for row in rows if row.stix_type in ("incident", "report")})
    return len(rows)


def _report_rows(report_ids: set[int], note_ids: list[int]) -> list[StixObject]:
    notes = list(
        ReportNote.objects.filter(pk__in=note_ids).select_related(
            "report", "organization__sharing_party"
        )
    )
    report_ids |= {note.report_id for note in notes}
    reports = {
        r.pk: r
        for r in Report.objects.filter(pk__in=report_ids).select_related(
            "organization__sharing_party"
        )
    }
    all_versions: dict[int, list[ReportVersion]] = defaultdict(list)
    for version in ReportVersion.objects.filter(report_id__in=report_ids).order_by("number"):
        all_versions[version.report_id].append(version)
    pending = set(_pending_versions().filter(report_id__in=report_ids).values_list("pk", flat=True))
    rows: list[StixObject] = []
    for report_id, report in reports.items():
        versions = all_versions[report_id]
        if not versions:
            continue
        # status="" keeps a stored version immutable: later state changes are not versions.
        facts = stix_facts.report_facts(report, versions=versions, notes=[], status="")
        rows += _markings(REPORTS)
        rows.append(_identity_row(REPORTS, report.organization, versions[0].created))
        for model, version in zip(versions, facts.versions, strict=True):
            if model.pk not in pending:
                continue
            for step, obj in enumerate(stix.report_version_objects(facts, version), start=1):
                added = _at(model.created, step)
                row = _row(REPORTS, obj, added, report=report, report_version=model)
                row.is_first = model.number == 1 or obj["type"] == "note"
                rows.append(row)
    for note in notes:
        report = reports[note.report_id]
        versions = all_versions[note.report_id]
        if not versions:
            continue
        facts = stix_facts.report_facts(report, versions=versions[:1], notes=[note], status="")
        rows.append(_identity_row(REPORTS, note.organization, note.created))
        rows.append(
            _row(
                REPORTS,
                stix.report_note(facts, facts.notes[0]),
                _at(note.created, 1),
                report=report,
                report_note=note,
            )
        )
    return rows


def _alert_rows(alert_ids: list[int]) -> list[StixObject]:
    alerts = Alert.objects.filter(pk__in=alert_ids).select_related("organization__sharing_party")
    sources: dict[int, list[ReportVersion]] = defaultdict(list)
    through = Alert.source_reports.through.objects.filter(alert_id__in=alert_ids)
    current = {
        r.pk: r.current
        for r in Report.objects.filter(
            pk__in=through.values("report_id"), current__isnull=False
        ).select_related("current")
    }
    for alert_id, report_id in through.values_list("alert_id", "report_id"):
        if report_id in current:
            sources[alert_id].append(current[report_id])
    rows: list[StixObject] = []
    for alert in alerts:
        facts = stix_facts.alert_facts(alert, source_versions=sources[alert.pk])
        added = alert.issued_at or alert.created
        rows += _markings(ALERTS)
        shared = stix.alert_shared_objects(facts)
        for step, obj in enumerate(shared):
            rows.append(_row(ALERTS, obj, _at(added, step), public=True))
        for step, obj in enumerate(stix.alert_objects(facts), start=len(shared)):
            rows.append(_row(ALERTS, obj, _at(added, step), alert=alert))
    return rows


def _mark_latest(stix_ids: set[str]) -> None:
    """Flag the newest version of each of these objects (match[version]=last)."""
    newest = (
        StixObject.objects.filter(collection=OuterRef("collection"), stix_id=OuterRef("stix_id"))
        .order_by("-version")
        .values("version")[:1]
    )
    ids = sorted(stix_ids)
    for start in range(0, len(ids), 500):
        chunk = StixObject.objects.filter(stix_id__in=ids[start : start + 500])
        chunk.update(is_latest=False)
        chunk.filter(version=Subquery(newest)).update(is_latest=True)


def visible(collection: str, organization) -> QuerySet[StixObject]:
    """The rows of `collection` that `organization` may read."""
    rows = StixObject.objects.filter(collection=collection)
    if collection == REPORTS:
        reports = access.reports_visible_to(organization)
        return rows.filter(
            Q(public=True)
            | Q(report__in=reports.values("pk"))
            | Q(organization__in=reports.values("organization_id"))
        )
    alerts = access.alerts_visible_to(organization).filter(status=AlertStatus.ISSUED)
    return rows.filter(Q(public=True) | Q(alert__in=alerts.values("pk")))
