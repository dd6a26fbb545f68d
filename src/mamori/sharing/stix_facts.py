"""Reading the sharing models into the plain values of mamori.sharing.stix.

The only place the STIX mapping touches the database. An alert's facts summarise its
source reports into Incident Core values (did something happen, which incident types)
and take nothing else from them: no number, no text, no organisation (別添2.2).
"""

from __future__ import annotations

from mamori.rules import cip
from mamori.sharing import stix


def _label(kind: str, code: str) -> str:
    """The Japanese label of a catalogue code (STIX text here is Japanese, lang "ja"), or
    the code itself when the catalogue does not know it."""
    if not code:
        return ""
    catalogue = {
        "event": cip.events,
        "cause": cip.causes,
        "service": cip.services,
        "sector": cip.sectors,
    }[kind]()
    entry = catalogue.get(code)
    if entry is None and kind == "cause":
        found = cip.cause_examples().get(code)
        entry = found[1] if found else None
    return entry.ja if entry is not None else code


def _reason(reason) -> str:
    """One threshold comparison of the level verdict as text (stored as a dict:
    figure, threshold, value, met)."""
    if not isinstance(reason, dict):
        return str(reason)
    figure = cip.figures().get(reason.get("figure", ""))
    label = figure.ja if figure is not None else reason.get("figure", "")
    unit = getattr(figure, "unit_ja", "") if figure is not None else ""
    value = "未入力" if reason.get("value") is None else f"{reason['value']}{unit}"
    mark = {True: "該当", False: "非該当"}.get(reason.get("met"), "")
    return f"{label}: {value}（基準 {reason.get('threshold')}{unit}以上）{mark}"


def party_facts(organization) -> stix.PartyFacts:
    party = getattr(organization, "sharing_party", None)
    return stix.PartyFacts(
        code=organization.code,
        name=organization.name,
        name_en=organization.name_en,
        role=party.role if party is not None else "",
        sector=party.sector if party is not None else "",
    )


def version_facts(version) -> stix.VersionFacts:
    return stix.VersionFacts(
        number=version.number,
        created=version.created,
        title=version.title,
        summary=version.summary,
        event_type=version.event_type,
        event_label=_label("event", version.event_type),
        cause_type=version.cause_type,
        cause_detail=version.cause_detail,
        cause_label=" / ".join(
            label
            for label in (
                _label("cause", version.cause_type),
                _label("cause", version.cause_detail),
            )
            if label
        ),
        impact_c=version.impact_c,
        impact_i=version.impact_i,
        impact_a=version.impact_a,
        service_label=_label("service", version.service),
        exceeds_level=version.exceeds_level,
        level_reasons=tuple(_reason(reason) for reason in version.level_reasons or ()),
        level_citation=version.level_citation,
        occurred_at=version.occurred_at,
        legally_required=version.legally_required,
        uncertain=version.uncertain,
        change_note=version.change_note,
    )


def report_facts(report, *, versions=None, notes=None, status: str | None = None):
    """`versions` / `notes` may be passed pre-fetched; `status=""` leaves the report's
    current status out (the TAXII store keeps versions immutable)."""
    versions = list(versions if versions is not None else report.versions.order_by("number"))
    notes = list(
        notes
        if notes is not None
        else report.notes.select_related("organization__sharing_party").order_by("created", "id")
    )
    return stix.ReportFacts(
        number=report.number,
        reporter=party_facts(report.organization),
        sector=report.sector,
        tlp=report.tlp,
        status=report.status if status is None else status,
        versions=tuple(version_facts(v) for v in versions),
        notes=tuple(
            stix.NoteFacts(
                key=str(note.pk),
                author=party_facts(note.organization),
                created=note.created,
                text=note.text,
            )
            for note in notes
        ),
    )


def alert_facts(alert, *, source_versions=None) -> stix.AlertFacts:
    """`source_versions`: the current versions of the alert's source reports."""
    if source_versions is None:
        source_versions = [
            report.current
            for report in alert.source_reports.select_related("current")
            if report.current is not None
        ]
    types: list[str] = []
    for version in source_versions:
        types.extend(stix.EVENT_INCIDENT_TYPES.get(version.event_type, ()))
        if version.event_type == "unavailability" and version.cause_detail in stix.DOS_CAUSES:
            types.append("denial-of-service")
        if version.exceeds_level:
            types.append("major")
    occurred = any(v.event_type not in stix.NOT_OCCURRED_EVENTS for v in source_versions)
    return stix.AlertFacts(
        number=alert.number,
        issuer=party_facts(alert.organization),
        title=alert.title,
        body=alert.body,
        importance=alert.importance,
        category=alert.category,
        category_label=alert.get_category_display(),
        tlp=alert.tlp,
        issued=alert.issued_at or alert.created,
        sectors=tuple(alert.sectors or ()),
        sector_labels={code: _label("sector", code) for code in alert.sectors or ()},
        early_warning=alert.early_warning,
        from_reports=bool(source_versions),
        occurred=occurred if source_versions else True,
        incident_types=tuple(dict.fromkeys(types)),
    )
