"""STIX 2.1 export of a case: an `incident` carrying the OASIS Incident Core Extension,
the reporting organisation as an `identity`, `note`s for the response so far, all
marked with a TLP 2.0 marking.

The bundle is built from plain values (`CaseFacts`) so that the mapping can be read and
tested without a database; `facts_from_incident()` is the one place that reads the model.
Ids are UUIDv5 of the organisation code and case number, so re-exporting a case updates
the same objects in the recipient's platform instead of duplicating them.

What goes out (this leaves the organisation): the case number, title, description,
kind, importance, status, times and response texts; never the reporter, the handler
or any person's name or contact. E-mail addresses, telephone numbers and 12-digit
numbers (個人番号) typed into free text are masked before export.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

# Our namespace for UUIDv5 ids: fixed forever, changing it would orphan every exported id.
NAMESPACE = uuid.UUID("d43c331f-100b-4ba7-8622-9cdc92464b05")

# OASIS Incident Core Extension 2.0 (cti-stix-common-objects, incident-core).
INCIDENT_CORE_EXTENSION = "extension-definition--ef765651-680c-498d-9894-99799f2fa126"

# OASIS TLP 2.0 marking definitions: published objects, reproduced exactly (STIX 2.1
# predefines only TLP 1.0, so these travel inside the bundle).
TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"
TLP2_IDS = {
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
# A case report defaults to AMBER: the recipient may act on it inside their own
# organisation, it is not for publication.
DEFAULT_TLP = "amber"

# Incident Core Extension vocabularies (incident-investigation-ov, determination enum).
INVESTIGATION_STATUS = {
    "reported": "new",
    "triaged": "open",
    "responding": "open",
    "recovering": "open",
    "closed": "closed",
    "cancelled": "closed",
    "merged": "closed",
}

# 防衛省通達 第11-2(6) importance → criticality, on the extension's five-step
# qualitative scale (Appendix A: Low 15, Moderate 40, High 70).
CRITICALITY = {"info": 15, "caution": 40, "alert": 70}

# Our kinds → incident-type-ov. Kinds with no fitting value contribute none.
INCIDENT_TYPES: dict[str, tuple[str, ...]] = {
    "suspicious_email": (),
    "malware": ("compromised-system",),
    "lost_device": ("equipment-loss",),
    "mis_sent": ("unauthorized-release",),
    "internet_leak": ("unauthorized-release",),
    "unauthorized_access": ("unauthorized-access",),
    "defacement": ("compromised-system",),
    "dos": ("denial-of-service",),
    "rule_violation": ("unauthorized-use",),
    "pii_leak": ("unauthorized-release",),
    "my_number": ("unauthorized-use",),
}

# Organisation kinds → industry-sector-ov.
SECTORS = {
    "national": "government-national",
    "nisc": "government-national",
    "ci_ministry": "government-national",
    "independent": "government-public-services",
    "designated_listed": "government-public-services",
    "designated_other": "government-public-services",
}


@dataclass(frozen=True)
class CaseFacts:
    """What the export may say about a case, as plain values."""

    org_code: str
    org_name: str
    org_kind: str
    number: str
    title: str
    description: str
    kind: str
    kind_label: str
    status: str
    created: datetime
    modified: datetime
    importance: str = ""
    damage: bool = False  # any damage type or C/I/A impact recorded
    people_count: int | None = None
    system_count: int = 0
    occurred_at: datetime | None = None
    discovered_at: datetime | None = None
    reported_at: datetime | None = None
    first_response_at: datetime | None = None
    closed_at: datetime | None = None
    containment: str = ""
    cause_analysis: str = ""
    recurrence_prevention: str = ""


# --- masking ------------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(?:\+81[-\s]?|0)\d{1,4}[-‐－\s]?\d{1,4}[-‐－\s]?\d{3,4}(?!\d)")
_TWELVE_DIGITS = re.compile(r"(?<!\d)\d{4}[-\s]?\d{4}[-\s]?\d{4}(?!\d)")


def mask_personal(text: str) -> str:
    """Replace e-mail addresses, telephone numbers and 12-digit numbers (the shape of a
    個人番号) with placeholders: free text typed by staff may hold them."""
    text = _EMAIL.sub("[email]", text)
    text = _TWELVE_DIGITS.sub("[number]", text)
    return _PHONE.sub("[phone]", text)


# --- ids and times ------------------------------------------------------------------


def stix_id(kind: str, *parts: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, '/'.join((kind, *parts)))}"


def timestamp(value: datetime) -> str:
    """STIX timestamps: UTC, millisecond precision, Z suffix."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


# --- builders -----------------------------------------------------------------------


def tlp_marking(level: str) -> dict:
    if level not in TLP2_IDS:
        raise ValueError(f"unknown TLP 2.0 level: {level}")
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP2_IDS[level],
        "created": TLP2_CREATED,
        "name": f"TLP:{level.upper()}",
        "extensions": {TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": level}},
    }


# The organisation's identity is one object shared by every case it exports: its
# timestamps must not vary with the case (STIX: one id, one `created`), and the
# organisation record keeps none, so they are fixed.
IDENTITY_TIMESTAMP = "2025-04-01T00:00:00.000Z"


def organization_identity(facts: CaseFacts, marking_id: str) -> dict:
    identity = {
        "type": "identity",
        "spec_version": "2.1",
        "id": stix_id("identity", facts.org_code),
        "created": IDENTITY_TIMESTAMP,
        "modified": IDENTITY_TIMESTAMP,
        "name": facts.org_name,
        "identity_class": "organization",
        "object_marking_refs": [marking_id],
    }
    if facts.org_kind in SECTORS:
        identity["sectors"] = [SECTORS[facts.org_kind]]
    return identity


def determination(facts: CaseFacts) -> str:
    if facts.status == "cancelled":
        return "false-positive"
    if facts.damage:
        return "successful-attempt"
    return "suspected"


def incident_extension(facts: CaseFacts) -> dict:
    extension: dict = {
        "extension_type": "property-extension",
        "determination": determination(facts),
        "investigation_status": INVESTIGATION_STATUS.get(facts.status, "open"),
        # Cases reach the CSIRT through the 報告窓口: a member of staff reported it.
        "detection_methods": ["user-reporting"],
    }
    if facts.importance in CRITICALITY:
        extension["criticality"] = CRITICALITY[facts.importance]
    types = INCIDENT_TYPES.get(facts.kind, ())
    if facts.importance == "alert":
        # 警報 is our "major" (incident-type-ov: major by internal criteria).
        types = (*types, "major")
    if types:
        extension["incident_types"] = list(types)
    counts = {}
    if facts.people_count:
        counts["individual"] = facts.people_count
    if facts.system_count:
        counts["system"] = facts.system_count
    if counts:
        extension["impacted_entity_counts"] = counts
    return extension


def incident_object(facts: CaseFacts, identity_id: str, marking_id: str) -> dict:
    created = timestamp(facts.created)
    modified = timestamp(max(facts.modified, facts.created))
    incident = {
        "type": "incident",
        "spec_version": "2.1",
        "id": stix_id("incident", facts.org_code, facts.number),
        "created": created,
        "modified": modified,
        "created_by_ref": identity_id,
        "name": mask_personal(f"{facts.number} {facts.title}".strip()),
        "lang": "ja",
        "labels": [facts.kind] if facts.kind else [],
        "external_references": [
            {
                "source_name": facts.org_code,
                "external_id": facts.number,
                "description": facts.kind_label,
            }
        ],
        "object_marking_refs": [marking_id],
        "extensions": {INCIDENT_CORE_EXTENSION: incident_extension(facts)},
    }
    if not incident["labels"]:
        del incident["labels"]
    if facts.description:
        incident["description"] = mask_personal(facts.description)
    return incident


def _times_text(facts: CaseFacts) -> str:
    rows = [
        ("発生日時", facts.occurred_at),
        ("発見日時", facts.discovered_at),
        ("報告日時", facts.reported_at),
        ("初動対応日時", facts.first_response_at),
        ("終結日時", facts.closed_at),
    ]
    return "\n".join(f"{label}: {timestamp(value)}" for label, value in rows if value)


def notes(facts: CaseFacts, incident_id: str, identity_id: str, marking_id: str) -> list[dict]:
    sections = [
        ("times", "経過", _times_text(facts)),
        ("containment", "封じ込め措置", mask_personal(facts.containment)),
        ("cause", "原因の分析", mask_personal(facts.cause_analysis)),
        ("prevention", "再発防止策", mask_personal(facts.recurrence_prevention)),
    ]
    created = timestamp(facts.created)
    modified = timestamp(max(facts.modified, facts.created))
    return [
        {
            "type": "note",
            "spec_version": "2.1",
            "id": stix_id("note", facts.org_code, facts.number, key),
            "created": created,
            "modified": modified,
            "created_by_ref": identity_id,
            "abstract": title,
            "content": text,
            "lang": "ja",
            "object_refs": [incident_id],
            "object_marking_refs": [marking_id],
        }
        for key, title, text in sections
        if text.strip()
    ]


def build_bundle(facts: CaseFacts, tlp: str = DEFAULT_TLP) -> dict:
    marking = tlp_marking(tlp)
    identity = organization_identity(facts, marking["id"])
    incident = incident_object(facts, identity["id"], marking["id"])
    objects = [
        marking,
        identity,
        incident,
        *notes(facts, incident["id"], identity["id"], marking["id"]),
    ]
    return {
        "type": "bundle",
        # One bundle id per version of the case: the same export twice is the same bundle.
        "id": stix_id("bundle", facts.org_code, facts.number, incident["modified"], tlp),
        "objects": objects,
    }


def serialize(bundle: dict) -> str:
    return json.dumps(bundle, ensure_ascii=False, indent=2)


# --- from the model -----------------------------------------------------------------


def facts_from_incident(incident) -> CaseFacts:
    """Read a case (with its organisation) into the plain values the export may use."""
    from mamori.incidents.labels import kind_label

    organization = incident.organization
    impacted = incident.impact_c or incident.impact_i or incident.impact_a
    return CaseFacts(
        org_code=organization.code,
        org_name=organization.name,
        org_kind=organization.kind,
        number=incident.number,
        title=incident.title,
        description=incident.description,
        kind=incident.kind,
        kind_label=kind_label(incident.kind, "ja"),
        status=incident.status,
        created=incident.created,
        modified=incident.updated,
        importance=incident.importance,
        damage=bool(incident.damage_types) or impacted,
        people_count=incident.people_count,
        system_count=incident.affected_systems.count(),
        occurred_at=incident.occurred_at,
        discovered_at=incident.discovered_at,
        reported_at=incident.reported_at,
        first_response_at=incident.first_response_at,
        closed_at=incident.closed_at,
        containment=incident.containment,
        cause_analysis=incident.cause_analysis,
        recurrence_prevention=incident.recurrence_prevention,
    )
