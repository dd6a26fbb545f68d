"""Reports to outside bodies (NISC, the supervising ministry, the police, 個人情報保護委員会,
its 事務局, the Minister): the content of one chain item as a structured document, and
that document printed as an A4 PDF.

Those bodies take reports through their own channels, so mamori hands the CSIRT a
printable report and the same content as JSON. The content is what was sent (the chain
item's snapshot) once the item is sent, otherwise the case as it stands now. The
contact named is the CSIRT, never the member of staff who reported the case.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from mamori.incidents import labels
from mamori.incidents.models import Importance
from mamori.web.pdf import render_pdf

# The keys of a case's content: what a report says about the case. A chain item's
# snapshot taken when it is sent should hold these under "case" (see case_content()).
CASE_KEYS = (
    "number",
    "kind",
    "title",
    "summary",
    "reported_at",
    "occurred_at",
    "discovered_at",
    "importance",
    "status",
    "damage_types",
    "impacts",
    "affected_systems",
    "people_count",
    "containment",
    "cause_analysis",
    "recurrence_prevention",
)


# --- labels (the catalogue's, in the reader's language) ---------------------------------


def kind_label(code: str, language: str | None = None) -> str:
    return labels.kind_label(code, language)


def party_label(code: str, language: str | None = None) -> str:
    return labels.party_or_role_label(code, language)


def recipient_label(item, language: str | None = None) -> str:
    """An outside party's name, or for an internal step the role's name."""
    return labels.party_or_role_label(item.recipient, language)


def damage_label(code: str, language: str | None = None) -> str:
    return labels.term_label("damage", code, language)


def importance_label(code: str) -> str:
    try:
        return str(Importance(code).label)
    except ValueError:
        return code


# --- content ------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def case_content(incident) -> dict:
    """What a report says about the case, as JSON-ready values (times in ISO 8601, codes
    not labels, so a snapshot stays meaningful in any language). No person's name, and
    e-mail addresses, phone and 12-digit numbers typed into free text are masked, as in
    the STIX export."""
    from mamori.incidents.stix import mask_personal

    return {
        "number": incident.number,
        "kind": incident.kind,
        "title": mask_personal(incident.title),
        "summary": mask_personal(incident.description),
        "reported_at": _iso(incident.reported_at),
        "occurred_at": _iso(incident.occurred_at),
        "discovered_at": _iso(incident.discovered_at),
        "importance": incident.importance,
        "status": incident.status,
        "damage_types": list(incident.damage_types or []),
        "impacts": {
            "confidentiality": incident.impact_c,
            "integrity": incident.impact_i,
            "availability": incident.impact_a,
        },
        "affected_systems": [str(system) for system in incident.affected_systems.all()],
        "people_count": incident.people_count,
        "containment": mask_personal(incident.containment),
        "cause_analysis": mask_personal(incident.cause_analysis),
        "recurrence_prevention": mask_personal(incident.recurrence_prevention),
    }


def _snapshot_case(item) -> dict | None:
    """The case as sent, from the item's snapshot: under "case", or at the top level."""
    snapshot = item.snapshot or {}
    if not item.sent_at or not snapshot:
        return None
    source = snapshot.get("case") if isinstance(snapshot.get("case"), dict) else snapshot
    found = {key: source[key] for key in CASE_KEYS if key in source}
    if "summary" not in found and "description" in source:
        found["summary"] = source["description"]
    short = source.get("impact")
    if "impacts" not in found and isinstance(short, dict):
        found["impacts"] = {
            "confidentiality": bool(short.get("c")),
            "integrity": bool(short.get("i")),
            "availability": bool(short.get("a")),
        }
    return found or None


def contact() -> dict:
    """The CSIRT's contact point. MAMORI_INCIDENT_CONTACT (settings INCIDENT_CONTACT)
    gives the desk's telephone / mailbox; without it the report names the CSIRT only."""
    return {
        "name": _("CSIRT"),
        "details": getattr(settings, "INCIDENT_CONTACT", "") or "",
    }


def report_content(item) -> dict:
    """The structured report for one outside chain item (JSON export and PDF alike)."""
    incident = item.incident
    organization = incident.organization
    current = case_content(incident)
    sent = _snapshot_case(item)
    case = {**current, **sent} if sent else current
    # A snapshot taken by an older sending may lack some items: those come from the
    # case as it stands, and the report says which.
    from_current = [key for key in CASE_KEYS if key not in sent] if sent else []
    as_of = item.sent_at or timezone.now()
    return {
        "document": "mamori.incident-report/1",
        "source": "snapshot" if sent else "current",
        "fields_from_current": from_current,
        "as_of": _iso(as_of),
        "date": timezone.localtime(as_of).date().isoformat(),
        "recipient": {"code": item.recipient, "name": party_label(item.recipient)},
        "organization": {"code": organization.code, "name": organization.display_name()},
        "title": item.title,
        "citation": item.citation,
        "condition": item.condition,
        "due_at": _iso(item.due_at),
        "sent_at": _iso(item.sent_at),
        "contact": {**contact(), "organization": organization.display_name()},
        "case": {
            **case,
            "kind_label": kind_label(case.get("kind", "")),
            "importance_label": importance_label(case.get("importance", "")),
            "damage_labels": [damage_label(code) for code in case.get("damage_types") or []],
        },
    }


# --- PDF ----------------------------------------------------------------------------

FIELD_LABELS = {
    "number": _lazy("事案番号"),
    "kind": _lazy("事案の種類"),
    "title": _lazy("件名"),
    "summary": _lazy("概要"),
    "reported_at": _lazy("報告受付日時"),
    "occurred_at": _lazy("発生日時"),
    "discovered_at": _lazy("発見日時"),
    "importance": _lazy("重要度"),
    "status": _lazy("状態"),
    "damage_types": _lazy("被害の種類"),
    "impacts": _lazy("影響"),
    "affected_systems": _lazy("影響を受けた情報システム"),
    "people_count": _lazy("影響を受ける人数"),
    "containment": _lazy("封じ込め措置"),
    "cause_analysis": _lazy("原因（判明している範囲）"),
    "recurrence_prevention": _lazy("再発防止策"),
}


def _when(value: str | None) -> datetime | None:
    parsed = parse_datetime(value) if value else None
    return timezone.localtime(parsed) if parsed else None


def render_report_pdf(item, *, language: str = "ja") -> bytes:
    """The A4 report. Japanese by default: the bodies it goes to read Japanese."""
    with translation.override(language):
        content = report_content(item)
        case = content["case"]
        context = {
            "content": content,
            "case": case,
            "occurred_at": _when(case.get("occurred_at")),
            "discovered_at": _when(case.get("discovered_at")),
            "reported_at": _when(case.get("reported_at")),
            "as_of": _when(content["as_of"]),
            "impacts": [
                label
                for key, label in (
                    ("confidentiality", _("機密性")),
                    ("integrity", _("完全性")),
                    ("availability", _("可用性")),
                )
                if (case.get("impacts") or {}).get(key)
            ],
            "from_current": [FIELD_LABELS[key] for key in content["fields_from_current"]],
            "language": language,
        }
        return render_pdf("incidents/export_report_pdf.html", context)


def report_filename(item) -> str:
    """e.g. 報告書_2026-0001_内閣サイバーセキュリティセンター.pdf"""
    name = f"{_('報告書')}_{item.incident.number}_{party_label(item.recipient)}"
    return "".join("_" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in name) + ".pdf"
