"""STIX 2.1 for the sharing hub: 情報連絡 (reports) and 情報提供 (alerts) as bundles.

A report (別添3) becomes, per version:
- an `incident` carrying the OASIS Incident Core Extension (the same extension and
  vocabularies the CSIRT export uses, mamori.incidents.stix), `modified` = the version's
  creation time, so every update is a new STIX version of the same object;
- a `report` wrapping it (the 情報連絡 as a document: number, version, title);
- a `note` per version (what changed, the service affected and whether the
  service-maintenance level of 別紙2 was exceeded) and one per note added on the way
  (a liaison's remark, 別添3.3②);
- the reporting operator as an `identity` with its industry sector (別紙1 → STIX
  industry-sector-ov).
The contact person and means (別添3.2) stay in the hub: they are for the liaison, not
for machines downstream.

An alert (別添2) becomes NISC's `identity`, one `identity` of class "class" per targeted
sector ("電力分野の重要インフラ事業者等"), an anonymised `incident` when it is built from
reports, and the `report` that carries the text. It never names, refers to or derives
an id from a source report or its reporter (別添2.2): an id derived from a report
number could be matched against the reporter's own export.

Every object carries the TLP 2.0 marking of its report or alert, by the official
marking-definition ids of the OASIS TLP 2.0 extension (mamori.incidents.stix.TLP2_IDS;
the stix2 library ships TLP 1.0 only).

Builders take plain values (`ReportFacts`, `AlertFacts`, …) and are tested without a
database; `report_facts()` / `alert_facts()` at the end are the only readers of models.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from mamori.incidents.stix import (
    INCIDENT_CORE_EXTENSION,
    TLP2_CREATED,
    TLP2_IDS,
    mask_personal,
    stix_id,
    tlp_marking,
)

# Our TLP codes (sharing.models.Tlp) → the TLP 2.0 extension's `tlp_2_0` values.
TLP_LEVELS = {
    "clear": "clear",
    "green": "green",
    "amber": "amber",
    "amber_strict": "amber+strict",
    "red": "red",
}

# 別紙1 sectors (codes of mamori.rules.cip) → STIX 2.1 industry-sector-ov. A sector
# missing here contributes no `sectors` value rather than a wrong one.
SECTOR_VOCABULARY: dict[str, tuple[str, ...]] = {
    "info_comm": ("telecommunications", "communications"),
    "bank": ("financial-services",),
    "life_insurance": ("insurance", "financial-services"),
    "nonlife_insurance": ("insurance", "financial-services"),
    "securities": ("financial-services",),
    "aviation": ("transportation", "aerospace"),
    "railway": ("transportation",),
    "electricity": ("energy", "utilities"),
    "gas": ("energy", "utilities"),
    "government": ("government-national", "government-local"),
    "medical": ("healthcare",),
    "water": ("water", "utilities"),
    "logistics": ("transportation",),
}

# Party roles (sharing.models.PartyRole) without a sector of their own.
ROLE_SECTORS: dict[str, tuple[str, ...]] = {
    "nisc": ("government-national",),
    "ci_ministry": ("government-national",),
    "security_ministry": ("government-national",),
    "incident_ministry": ("government-national",),
    "disaster_ministry": ("government-national",),
    "cabinet_crisis": ("government-national",),
    "relevant_org": ("government-public-services",),
    "cyber_vendor": ("technology",),
}

# 別紙3 event types (mamori.rules.cip.events) → Incident Core incident-type-ov, only
# where one fits; "unavailability" is a denial of service only when the cause says so.
EVENT_INCIDENT_TYPES: dict[str, tuple[str, ...]] = {
    "leak": ("unauthorized-release",),
    "destruction": ("compromised-system",),
    "malware_infection": ("compromised-system",),
    "malicious_code": ("compromised-system",),
    "intrusion": ("unauthorized-access",),
}
# 別紙3 "未発生の事象" (予兆、ヒヤリハット): nothing has happened (yet).
NOT_OCCURRED_EVENTS = frozenset({"near_miss"})
# 別紙3 cause example "DoS攻撃等の大量アクセス".
DOS_CAUSES = frozenset({"dos"})

REPORT_INVESTIGATION_STATUS = {"submitted": "new", "forwarded": "open", "closed": "closed"}

# 別添2.3① importance → the extension's qualitative criticality (Low 15, Moderate 40,
# High 70), as the CSIRT export does for 情報/注意喚起/警報.
IMPORTANCE_CRITICALITY = {"low": 15, "medium": 40, "high": 70}


@dataclass(frozen=True)
class PartyFacts:
    """An organisation as the hub knows it: stable code, name, role and sector."""

    code: str
    name: str
    role: str = ""
    sector: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class VersionFacts:
    number: int
    created: datetime
    title: str
    summary: str
    event_type: str = ""
    event_label: str = ""
    cause_type: str = ""
    cause_detail: str = ""
    cause_label: str = ""
    impact_c: bool = False
    impact_i: bool = False
    impact_a: bool = False
    service_label: str = ""
    exceeds_level: bool | None = None
    level_reasons: tuple[str, ...] = ()
    level_citation: str = ""
    occurred_at: datetime | None = None
    legally_required: bool = False
    uncertain: bool = False
    change_note: str = ""


@dataclass(frozen=True)
class NoteFacts:
    key: str  # stable per note (its primary key)
    author: PartyFacts
    created: datetime
    text: str


@dataclass(frozen=True)
class ReportFacts:
    number: str
    reporter: PartyFacts
    sector: str
    tlp: str
    status: str
    versions: tuple[VersionFacts, ...]
    notes: tuple[NoteFacts, ...] = ()


@dataclass(frozen=True)
class AlertFacts:
    number: str
    issuer: PartyFacts
    title: str
    body: str
    importance: str
    category: str
    category_label: str
    tlp: str
    issued: datetime
    sectors: tuple[str, ...] = ()
    sector_labels: dict[str, str] = field(default_factory=dict)
    early_warning: bool = False
    # Incident Core values summarised from the source reports (never their ids or text).
    from_reports: bool = False
    occurred: bool = True
    incident_types: tuple[str, ...] = ()


# --- small pieces -------------------------------------------------------------------------


def precise_timestamp(value: datetime) -> str:
    """STIX timestamp with microseconds: two versions saved in the same millisecond must
    still be two versions (STIX allows any sub-second precision)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def tlp_level(code: str) -> str:
    if code not in TLP_LEVELS:
        raise ValueError(f"unknown TLP code: {code}")
    return TLP_LEVELS[code]


def marking_for(code: str) -> dict:
    return tlp_marking(tlp_level(code))


def marking_id(code: str) -> str:
    return TLP2_IDS[tlp_level(code)]


def sector_vocabulary(sector: str) -> tuple[str, ...]:
    return SECTOR_VOCABULARY.get(sector, ())


# One identity per organisation for every report and alert it appears in: its
# timestamps must not vary (one id, one `created`), so they are fixed (as the CSIRT
# export does for the organisation). Identities carry no TLP marking: the same object
# appears under reports of every TLP level, and an organisation's name is not the
# report's content.
IDENTITY_TIMESTAMP = "2025-04-01T00:00:00.000Z"


def party_identity_id(party: PartyFacts) -> str:
    return stix_id("identity", "sharing", party.code)


def party_identity(party: PartyFacts) -> dict:
    identity = {
        "type": "identity",
        "spec_version": "2.1",
        "id": party_identity_id(party),
        "created": IDENTITY_TIMESTAMP,
        "modified": IDENTITY_TIMESTAMP,
        "name": party.name,
        "identity_class": "organization",
    }
    sectors = sector_vocabulary(party.sector) or ROLE_SECTORS.get(party.role, ())
    if sectors:
        identity["sectors"] = list(sectors)
    if party.role:
        identity["roles"] = [party.role]
    return identity


def sector_class_identity(sector: str, label: str) -> dict:
    """The operators of a sector as a class: who an alert is for, naming nobody."""
    identity = {
        "type": "identity",
        "spec_version": "2.1",
        "id": stix_id("identity", "sharing", "sector", sector),
        "created": IDENTITY_TIMESTAMP,
        "modified": IDENTITY_TIMESTAMP,
        "name": f"{label}分野の重要インフラ事業者等" if label else sector,
        "identity_class": "class",
    }
    if sector_vocabulary(sector):
        identity["sectors"] = list(sector_vocabulary(sector))
    return identity


# --- reports (情報連絡) ---------------------------------------------------------------------


def report_incident_id(report: ReportFacts) -> str:
    return stix_id("incident", "sharing", report.number)


def report_object_id(report: ReportFacts) -> str:
    return stix_id("report", "sharing", report.number)


def version_note_id(report: ReportFacts, version: VersionFacts) -> str:
    return stix_id("note", "sharing", report.number, "version", str(version.number))


def report_note_id(report: ReportFacts, note: NoteFacts) -> str:
    return stix_id("note", "sharing", report.number, "note", note.key)


def report_extension(report: ReportFacts, version: VersionFacts) -> dict:
    occurred = version.event_type not in NOT_OCCURRED_EVENTS
    extension: dict = {
        "extension_type": "property-extension",
        "determination": "successful-attempt" if occurred else "suspected",
        "investigation_status": REPORT_INVESTIGATION_STATUS.get(
            report.status, "new" if version.number == 1 else "open"
        ),
    }
    types = list(EVENT_INCIDENT_TYPES.get(version.event_type, ()))
    if version.event_type == "unavailability" and version.cause_detail in DOS_CAUSES:
        types.append("denial-of-service")
    if version.exceeds_level:
        # Beyond the service-maintenance level (別紙2): "major" by the plan's criteria.
        types.append("major")
        extension["criticality"] = IMPORTANCE_CRITICALITY["high"]
    if types:
        extension["incident_types"] = list(dict.fromkeys(types))
    return extension


def report_incident(report: ReportFacts, version: VersionFacts) -> dict:
    first = report.versions[0]
    incident = {
        "type": "incident",
        "spec_version": "2.1",
        "id": report_incident_id(report),
        "created": precise_timestamp(first.created),
        "modified": precise_timestamp(version.created),
        "created_by_ref": party_identity_id(report.reporter),
        "name": mask_personal(f"{report.number} {version.title}"),
        "lang": "ja",
        "labels": [label for label in (version.event_type, version.cause_type) if label],
        "external_references": [
            {
                "source_name": "mamori-sharing",
                "external_id": report.number,
                "description": " / ".join(
                    text for text in (version.event_label, version.cause_label) if text
                )
                or report.number,
            }
        ],
        "object_marking_refs": [marking_id(report.tlp)],
        "extensions": {INCIDENT_CORE_EXTENSION: report_extension(report, version)},
    }
    if not incident["labels"]:
        del incident["labels"]
    if version.summary:
        incident["description"] = mask_personal(version.summary)
    return incident


def report_sdo(report: ReportFacts, version: VersionFacts) -> dict:
    first = report.versions[0]
    return {
        "type": "report",
        "spec_version": "2.1",
        "id": report_object_id(report),
        "created": precise_timestamp(first.created),
        "modified": precise_timestamp(version.created),
        "created_by_ref": party_identity_id(report.reporter),
        "name": mask_personal(f"{report.number} 第{version.number}版 {version.title}"),
        "lang": "ja",
        "report_types": ["threat-report"],
        "published": precise_timestamp(version.created),
        "object_refs": [report_incident_id(report), party_identity_id(report.reporter)],
        "object_marking_refs": [marking_id(report.tlp)],
    }


def _version_text(version: VersionFacts) -> str:
    lines = []
    if version.change_note:
        lines.append(f"更新内容: {mask_personal(version.change_note)}")
    if version.event_label:
        lines.append(f"事象の類型: {version.event_label}")
    if version.cause_label:
        lines.append(f"原因の類型: {version.cause_label}")
    impacts = [name for name, hit in (("機密性", version.impact_c), ("完全性", version.impact_i), ("可用性", version.impact_a)) if hit]  # fmt: skip
    if impacts:
        lines.append(f"影響: {'・'.join(impacts)}")
    if version.service_label:
        lines.append(f"影響を受けたサービス: {version.service_label}")
    if version.exceeds_level is not None:
        verdict = "逸脱している" if version.exceeds_level else "逸脱していない"
        lines.append(f"サービス維持レベル: {verdict}")
        lines.extend(f"  {reason}" for reason in version.level_reasons)
        if version.level_citation:
            lines.append(f"  根拠: {version.level_citation}")
    if version.occurred_at:
        lines.append(f"発生日時: {precise_timestamp(version.occurred_at)}")
    if version.legally_required:
        lines.append("法令等で報告が義務付けられている")
    if version.uncertain:
        lines.append("断片的又は不確定な情報を含む（別添3.2）")
    return "\n".join(lines) or version.title


def version_note(report: ReportFacts, version: VersionFacts) -> dict:
    created = precise_timestamp(version.created)
    return {
        "type": "note",
        "spec_version": "2.1",
        "id": version_note_id(report, version),
        "created": created,
        "modified": created,
        "created_by_ref": party_identity_id(report.reporter),
        "abstract": f"第{version.number}版" + ("（初報）" if version.number == 1 else "（続報）"),
        "content": _version_text(version),
        "lang": "ja",
        "object_refs": [report_incident_id(report)],
        "object_marking_refs": [marking_id(report.tlp)],
    }


def report_note(report: ReportFacts, note: NoteFacts) -> dict:
    created = precise_timestamp(note.created)
    return {
        "type": "note",
        "spec_version": "2.1",
        "id": report_note_id(report, note),
        "created": created,
        "modified": created,
        "created_by_ref": party_identity_id(note.author),
        "abstract": "付記",
        "content": mask_personal(note.text),
        "lang": "ja",
        "object_refs": [report_incident_id(report)],
        "object_marking_refs": [marking_id(report.tlp)],
    }


def report_version_objects(report: ReportFacts, version: VersionFacts) -> list[dict]:
    """What one version adds: the new STIX versions of the incident and the report, and
    the version's note."""
    return [
        report_incident(report, version),
        report_sdo(report, version),
        version_note(report, version),
    ]


def build_report_bundle(report: ReportFacts) -> dict:
    """The report as it stands: the latest version of each object, every version note
    and every note added on the way."""
    if not report.versions:
        raise ValueError("a report without versions has nothing to export")
    latest = report.versions[-1]
    identities = {party_identity_id(report.reporter): party_identity(report.reporter)}
    for note in report.notes:
        identities.setdefault(party_identity_id(note.author), party_identity(note.author))
    marking = marking_for(report.tlp)
    objects = [
        marking,
        *identities.values(),
        report_incident(report, latest),
        report_sdo(report, latest),
        *(version_note(report, version) for version in report.versions),
        *(report_note(report, note) for note in report.notes),
    ]
    return {
        "type": "bundle",
        "id": stix_id("bundle", "sharing", report.number, precise_timestamp(latest.created)),
        "objects": objects,
    }


# --- alerts (情報提供) ----------------------------------------------------------------------


def alert_incident_id(alert: AlertFacts) -> str:
    return stix_id("incident", "sharing", "alert", alert.number)


def alert_report_id(alert: AlertFacts) -> str:
    return stix_id("report", "sharing", "alert", alert.number)


def alert_incident(alert: AlertFacts) -> dict:
    issued = precise_timestamp(alert.issued)
    extension: dict = {
        "extension_type": "property-extension",
        "determination": "successful-attempt" if alert.occurred else "suspected",
        "investigation_status": "open",
    }
    if alert.importance in IMPORTANCE_CRITICALITY:
        extension["criticality"] = IMPORTANCE_CRITICALITY[alert.importance]
    if alert.incident_types:
        extension["incident_types"] = list(dict.fromkeys(alert.incident_types))
    return {
        "type": "incident",
        "spec_version": "2.1",
        "id": alert_incident_id(alert),
        "created": issued,
        "modified": issued,
        "created_by_ref": party_identity_id(alert.issuer),
        "name": mask_personal(alert.title),
        "lang": "ja",
        "object_marking_refs": [marking_id(alert.tlp)],
        "extensions": {INCIDENT_CORE_EXTENSION: extension},
    }


def alert_labels(alert: AlertFacts) -> list[str]:
    """別添2.3①: importance and kind at a glance, also for machines."""
    labels = [f"importance:{alert.importance}", f"category:{alert.category}"]
    if alert.early_warning:
        labels.append("early-warning")
    return labels


def alert_objects(alert: AlertFacts) -> list[dict]:
    """The alert's own objects (without the marking and the shared identities)."""
    issued = precise_timestamp(alert.issued)
    refs = []
    objects = []
    if alert.from_reports:
        incident = alert_incident(alert)
        objects.append(incident)
        refs.append(incident["id"])
    refs.extend(
        sector_class_identity(code, alert.sector_labels.get(code, ""))["id"]
        for code in alert.sectors
    )
    if not refs:
        refs.append(party_identity_id(alert.issuer))
    report = {
        "type": "report",
        "spec_version": "2.1",
        "id": alert_report_id(alert),
        "created": issued,
        "modified": issued,
        "created_by_ref": party_identity_id(alert.issuer),
        "name": mask_personal(f"{alert.number} {alert.title}"),
        "description": mask_personal(alert.body),
        "lang": "ja",
        "report_types": ["threat-report"],
        "published": issued,
        "labels": alert_labels(alert),
        "external_references": [
            {
                "source_name": "mamori-sharing",
                "external_id": alert.number,
                "description": alert.category_label or alert.category,
            }
        ],
        "object_refs": refs,
        "object_marking_refs": [marking_id(alert.tlp)],
    }
    objects.append(report)
    return objects


def alert_shared_objects(alert: AlertFacts) -> list[dict]:
    """Identities an alert refers to that are not its own: the issuer and the sectors."""
    return [
        party_identity(alert.issuer),
        *(sector_class_identity(code, alert.sector_labels.get(code, "")) for code in alert.sectors),
    ]


def build_alert_bundle(alert: AlertFacts) -> dict:
    marking = marking_for(alert.tlp)
    shared = alert_shared_objects(alert)
    return {
        "type": "bundle",
        "id": stix_id("bundle", "sharing", "alert", alert.number),
        "objects": [marking, *shared, *alert_objects(alert)],
    }


def serialize(bundle: dict) -> str:
    return json.dumps(bundle, ensure_ascii=False, indent=2)


def tlp_marking_objects() -> list[dict]:
    """The five TLP 2.0 marking definitions (public, shared by every collection)."""
    return [tlp_marking(level) for level in TLP2_IDS]


TLP_MARKINGS_ADDED = TLP2_CREATED
