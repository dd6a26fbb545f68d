"""Every state change of a case: one function each, one transaction, one trail event.

Views, the API, the demo and the bench call these; nothing else writes incidents."""

from __future__ import annotations

from django.db import transaction
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mamori import uploads
from mamori.errors import InvalidInput
from mamori.incidents import chain, permissions, workflow
from mamori.incidents.models import (
    Evidence,
    Importance,
    Incident,
    IncidentTask,
    TimelineEntry,
)
from mamori.notices.services import notify
from mamori.org.models import Organization
from mamori.rules import incident_kinds
from mamori.trail.services import record

SUMMARY_MAX = 20000


# Files one report may carry; more are refused with a message, the report is kept.
MAX_ATTACHMENTS = 10


def _user(person):
    return person.user if person is not None else None


def _trail(action: str, person, incident: Incident, data: dict | None = None) -> None:
    record(
        action,
        actor=_user(person),
        obj=incident,
        data={"number": incident.number, **(data or {})},
        organization_id=incident.organization_id,
    )


def add_entry(incident: Incident, person, kind: str, text: str = "", data=None) -> TimelineEntry:
    """A line of the case timeline (inside the caller's transaction)."""
    return TimelineEntry.objects.create(
        incident=incident, actor=_user(person), kind=kind, text=text, data=data or {}
    )


def case_url(incident: Incident) -> str:
    return reverse("incidents:detail", args=[incident.pk])


def _next_number(organization: Organization, year: int) -> str:
    # The organisation row is locked so two reports filed at once cannot take one number.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    prefix = f"{year}-"
    last = (
        Incident.objects.filter(organization=organization, number__startswith=prefix)
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.split("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def _clean_kind(code: str) -> incident_kinds.Kind:
    try:
        return incident_kinds.kind(code)
    except KeyError:
        raise InvalidInput(_("事案の種類を選んでください。"), details={"kind": code}) from None


def _first_line(text: str) -> str:
    line = " ".join(text.strip().split("\n", 1)[0].split())
    return line[:120] or "—"


def check_upload(upload) -> str | None:
    """Why an upload is refused (size or type), or None when it may be kept."""
    name = uploads.base_name(upload)
    problem = uploads.refusal(upload)
    if problem == "too_large":
        return _("「%(name)s」は大きすぎるため受け付けられませんでした（上限 %(mb)d MB）。") % {
            "name": name,
            "mb": uploads.limit_mb(),
        }
    if problem == "type_not_allowed":
        return _("「%(name)s」の種類は受け付けられません（受け付ける種類: %(types)s）。") % {
            "name": name,
            "types": uploads.allowed_types(),
        }
    return None


def _store_evidence(incident: Incident, person, upload) -> Evidence:
    evidence = Evidence(
        incident=incident,
        name=uploads.base_name(upload),
        size=upload.size,
        sha256=uploads.sha256_of(upload),
        content_type=(getattr(upload, "content_type", "") or "application/octet-stream")[:100],
        uploaded_by=person,
    )
    evidence.file.save(evidence.sha256, upload, save=False)
    evidence.save()
    add_entry(
        incident,
        person,
        "evidence",
        evidence.name,
        {"sha256": evidence.sha256, "size": evidence.size},
    )
    return evidence


def file_report(
    person,
    *,
    kind: str,
    summary: str,
    title: str = "",
    occurred_at=None,
    discovered_at=None,
    location: str = "",
    device: str = "",
    personal_info: bool = False,
    my_number: bool = False,
    people_count: int | None = None,
    attachments=(),
) -> Incident:
    """File a report at the 報告窓口. Only the kind and one sentence are required: a
    partial report now beats a complete one too late (統一基準(R7) 2.2.4(2)(a): report
    to the 窓口 and follow its instructions).

    An attachment that is too large or of a refused type is not stored, but the report
    is: the reasons are on `incident.refused_attachments` for the reporter to see."""
    kind_info = _clean_kind(kind)
    summary = (summary or "").strip()
    if not summary:
        raise InvalidInput(_("何が起きたかを一文で書いてください。"), details={"summary": summary})
    if len(summary) > SUMMARY_MAX:
        raise InvalidInput(
            _("内容は%(max)d文字以内で書いてください。") % {"max": SUMMARY_MAX},
            details={"summary": len(summary)},
        )
    if people_count is not None and people_count < 0:
        raise InvalidInput(
            _("人数は0以上で入力してください。"), details={"people_count": people_count}
        )
    refused = []
    accepted = []
    for index, upload in enumerate(attachments):
        reason = check_upload(upload)
        if not reason and index >= MAX_ATTACHMENTS:
            # The report is kept; only files past the limit are left out, and said so.
            reason = _("%(name)s: 添付できるファイルは%(max)d件までです。") % {
                "name": getattr(upload, "name", ""),
                "max": MAX_ATTACHMENTS,
            }
        (refused if reason else accepted).append(reason or upload)
    now = timezone.now()
    facts = chain.initial_facts(
        kind_info, personal_info=personal_info, my_number=my_number, people_count=people_count
    )
    with transaction.atomic():
        incident = Incident.objects.create(
            organization=person.organization,
            number=_next_number(person.organization, timezone.localtime(now).year),
            kind=kind_info.code,
            title=(title or "").strip()[:200] or _first_line(summary),
            description=summary,
            reporter=person,
            reporter_unit=person.unit,
            reported_at=now,
            occurred_at=occurred_at,
            discovered_at=discovered_at,
            location=location[:200],
            device=device[:200],
            people_count=people_count,
            facts=facts,
            involves_personal_info=chain.involves_personal_info(facts),
        )
        add_entry(incident, person, "reported", summary, {"kind": kind_info.code})
        for upload in accepted:
            _store_evidence(incident, person, upload)
        for reason in refused:
            add_entry(incident, person, "attachment_refused", reason)
        chain.sync(incident, person, start=now, first=True)
        _trail(
            "incidents.incident.reported",
            person,
            incident,
            {"kind": kind_info.code, "refused_attachments": len(refused)},
        )
    incident.refused_attachments = refused
    return incident


def add_evidence(incident: Incident, person, upload) -> Evidence:
    if not (permissions.can_handle(person, incident) or incident.reporter_id == person.pk):
        permissions.require_handler(person, incident)
    reason = check_upload(upload)
    if reason:
        raise InvalidInput(reason, details={"file": upload.name})
    with transaction.atomic():
        evidence = _store_evidence(incident, person, upload)
        _trail(
            "incidents.evidence.added",
            person,
            incident,
            {"name": evidence.name, "sha256": evidence.sha256, "size": evidence.size},
        )
    return evidence


def triage(
    incident: Incident,
    person,
    *,
    event_type: str = "",
    cause: str = "",
    damage_types=(),
    importance: str = "",
    impact_c: bool = False,
    impact_i: bool = False,
    impact_a: bool = False,
    facts: dict | None = None,
) -> Incident:
    """Classify the case and settle its facts. The chain is recomputed: items already
    sent stay, new ones are added, unsent ones no longer required are cancelled."""
    permissions.require_handler(person, incident)
    errors = chain.validate_triage(event_type, cause, list(damage_types), facts or {})
    if importance and importance not in Importance.values:
        errors["importance"] = _("重要度が不正です。")
    if errors:
        raise InvalidInput(next(iter(errors.values())), details=errors)
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        before = {
            "event_type": incident.event_type,
            "cause": incident.cause,
            "damage_types": incident.damage_types,
            "importance": incident.importance,
            "facts": incident.facts,
        }
        incident.event_type = event_type
        incident.cause = cause
        incident.damage_types = sorted(set(damage_types))
        incident.importance = importance
        incident.impact_c, incident.impact_i, incident.impact_a = impact_c, impact_i, impact_a
        incident.facts = {**incident.facts, **(facts or {})}
        incident.involves_personal_info = chain.involves_personal_info(incident.facts)
        if incident.handler_id is None:
            incident.handler = person
        now = timezone.now()
        if incident.first_response_at is None:
            incident.first_response_at = now
        moved = incident.status == workflow.Status.REPORTED
        if moved:
            incident.status = workflow.Status.TRIAGED
        incident.save()
        add_entry(
            incident,
            person,
            "triaged",
            "",
            {
                "event_type": event_type,
                "cause": cause,
                "damage_types": incident.damage_types,
                "importance": importance,
            },
        )
        changes = chain.sync(incident, person, start=now)
        _trail(
            "incidents.incident.triaged",
            person,
            incident,
            {"before": before, "after": {"facts": incident.facts}, "chain": changes},
        )
    return incident


def transition(incident: Incident, person, target: str, note: str = "") -> Incident:
    permissions.require_handler(person, incident)
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        source = incident.status
        workflow.check(source, target)
        incident.status = target
        now = timezone.now()
        if target == workflow.Status.CLOSED:
            incident.closed_at = now
        elif source == workflow.Status.CLOSED:
            incident.closed_at = None
        if incident.first_response_at is None and target != workflow.Status.CANCELLED:
            incident.first_response_at = now
        incident.save()
        add_entry(incident, person, "status", note, {"from": source, "to": target})
        if target in workflow.FINAL_STATES:
            # A false alarm or a duplicate: its unsent reports are no longer owed.
            chain.cancel_open(incident, person)
        _trail("incidents.incident.status", person, incident, {"from": source, "to": target})
    return incident


def assign_handler(incident: Incident, person, handler) -> Incident:
    permissions.require_handler(person, incident)
    if handler.organization_id != incident.organization_id:
        raise InvalidInput(
            _("担当者は同じ組織の職員等から選んでください。"), details={"handler": handler.pk}
        )
    with transaction.atomic():
        incident.handler = handler
        incident.save(update_fields=["handler", "updated"])
        add_entry(incident, person, "handler", str(handler), {"handler": handler.pk})
        _trail("incidents.incident.handler", person, incident, {"handler": handler.pk})
        notify(
            handler,
            gettext_noop("事案 %(number)s の担当者になりました。"),
            {"number": incident.number},
            url=case_url(incident),
        )
    return incident


def add_task(incident: Incident, person, *, title: str, owner, due_at=None) -> IncidentTask:
    permissions.require_handler(person, incident)
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("作業の内容を入力してください。"), details={"title": title})
    if owner.organization_id != incident.organization_id:
        raise InvalidInput(
            _("担当者は同じ組織の職員等から選んでください。"), details={"owner": owner.pk}
        )
    with transaction.atomic():
        task = IncidentTask.objects.create(
            incident=incident, title=title[:200], owner=owner, due_at=due_at, created_by=person
        )
        add_entry(incident, person, "task", task.title, {"task": task.pk, "owner": owner.pk})
        _trail("incidents.task.added", person, incident, {"task": task.pk, "owner": owner.pk})
        notify(
            owner,
            gettext_noop("事案 %(number)s の作業「%(title)s」が割り当てられました。"),
            {"number": incident.number, "title": task.title},
            url=case_url(incident),
        )
    return task


def complete_task(task: IncidentTask, person) -> IncidentTask:
    incident = task.incident
    if task.owner_id != person.pk:
        permissions.require_handler(person, incident)
    if task.done_at is not None:
        raise InvalidInput(_("この作業は既に完了しています。"), details={"task": task.pk})
    with transaction.atomic():
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
        add_entry(incident, person, "task_done", task.title, {"task": task.pk})
        _trail("incidents.task.done", person, incident, {"task": task.pk})
    return task


def add_note(incident: Incident, person, text: str, *, containment: bool = False) -> TimelineEntry:
    """A timeline entry; a containment action (e.g. network isolation) is also appended
    to the case's containment record."""
    permissions.require_handler(person, incident)
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("内容を入力してください。"), details={"text": text})
    with transaction.atomic():
        kind = "containment" if containment else "note"
        entry = add_entry(incident, person, kind, text)
        if containment:
            incident.containment = "\n".join(filter(None, [incident.containment, text]))
            incident.save(update_fields=["containment", "updated"])
        _trail(f"incidents.incident.{kind}", person, incident, {"text": text[:500]})
    return entry


def update_analysis(
    incident: Incident,
    person,
    *,
    cause_analysis: str,
    recurrence_prevention: str,
    affected_people: str,
    systems=None,
    assets=None,
) -> Incident:
    permissions.require_handler(person, incident)
    with transaction.atomic():
        incident.cause_analysis = cause_analysis.strip()
        incident.recurrence_prevention = recurrence_prevention.strip()
        incident.affected_people = affected_people.strip()
        incident.save(
            update_fields=["cause_analysis", "recurrence_prevention", "affected_people", "updated"]
        )
        if systems is not None:
            incident.affected_systems.set(
                [s for s in systems if s.organization_id == incident.organization_id]
            )
        if assets is not None:
            incident.affected_assets.set(
                [a for a in assets if a.organization_id == incident.organization_id]
            )
        chain.resolve_missing(incident)
        add_entry(incident, person, "analysis")
        _trail("incidents.incident.analysis", person, incident)
    return incident


# Who hears of recurrence-prevention measures in a unit the case is shared with
# (総務省訓令 第39条5: 同種の業務を実施している部局等と情報共有).
SHARE_ROLES = ("isec_officer", "section_isec_officer", "pii_manager")


def share_prevention(incident: Incident, person, units) -> int:
    """Share the recurrence-prevention measures with similar units and tell their
    情報セキュリティ責任者 / 保護管理者. Returns how many people were told."""
    permissions.require_handler(person, incident)
    if not incident.recurrence_prevention.strip():
        raise InvalidInput(
            _("先に再発防止策を記入してください。"), details={"recurrence_prevention": ""}
        )
    units = [u for u in units if u.organization_id == incident.organization_id]
    if not units:
        raise InvalidInput(_("共有先の組織単位を選んでください。"), details={"units": []})
    from mamori.org.models import RoleAssignment

    with transaction.atomic():
        incident.shared_with_units.add(*units)
        holders = (
            RoleAssignment.objects.active()
            .filter(role__in=SHARE_ROLES, unit__in=units, person__active=True)
            .select_related("person")
        )
        told = {a.person_id: a.person for a in holders}
        for officer in told.values():
            notify(
                officer,
                gettext_noop("事案 %(number)s の再発防止策が共有されました: %(text)s"),
                {"number": incident.number, "text": incident.recurrence_prevention[:150]},
            )  # no link: the shared units learn the measures, not the case itself
        names = [str(u) for u in units]
        add_entry(incident, person, "shared", "、".join(names), {"units": [u.pk for u in units]})
        _trail(
            "incidents.incident.shared",
            person,
            incident,
            {"units": [u.pk for u in units], "told": sorted(told)},
        )
    return len(told)


send_item = chain.send_item
acknowledge_item = chain.acknowledge_item
