"""Every state change of an audit, its checklist and its findings: one function each, one
transaction, one trail event. Improvement instructions and plans: services_plans.py.

Views, the API, the demo and the reminder command call these; nothing else writes audits."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mamori import uploads
from mamori.compliance.audits import rules, workflow
from mamori.compliance.audits.models import (
    Audit,
    ChecklistItem,
    CheckResult,
    Finding,
    FindingEvidence,
    FindingState,
    Kind,
    Severity,
)
from mamori.compliance.audits.workflow import AuditState, PlanState
from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.incidents.services import check_upload  # the one wording of an upload refusal
from mamori.notices.services import notify
from mamori.org import scope, sod
from mamori.org.models import Organization, Person, RoleAssignment
from mamori.rules.deadlines import add_working_days, fiscal_year
from mamori.trail.services import record

MAX_ATTACHMENTS = rules.MAX_ATTACHMENTS
# The report is due this many working days after the audit period ends, unless the
# planner sets another date.
REPORT_DAYS = 10


def _catalog(rulebook: str):
    """The catalog in force for a rulebook: the organisation's imported one when the
    catalogs module offers it, else the committed one."""
    try:
        from mamori.compliance.catalogs import effective_catalog
    except ImportError:
        from mamori.rules.requirements import load_all

        return load_all()[rulebook]
    return effective_catalog(rulebook)


def audit_url(audit: Audit) -> str:
    return reverse("audits:detail", args=[audit.pk])


def _trail(action: str, person, audit: Audit, data: dict | None = None, obj=None) -> None:
    record(
        action,
        actor=person.user if person is not None else None,
        obj=obj or audit,
        data={"audit": audit.number, **(data or {})},
        organization_id=audit.organization_id,
    )


def holders(organization_id: int, *roles: str) -> list[Person]:
    """The people holding one of these roles for the whole organisation today."""
    return list(
        Person.objects.filter(
            pk__in=RoleAssignment.objects.active()
            .filter(organization_id=organization_id, role__in=roles, unit__isnull=True)
            .values("person_id"),
            active=True,
        ).order_by("pk")
    )


def _org_rulebooks(audit: Audit) -> list[str]:
    return audit.organization.rulebooks


def is_team_member(person, audit: Audit) -> bool:
    return person.pk == audit.lead_id or audit.auditors.filter(pk=person.pk).exists()


# --- separation of duties ----------------------------------------------------------------


def require_independent(audit_kind: str, auditor, planner, units, rulebooks=()) -> None:
    """Refuse an auditor who belongs to an audited unit or to a unit containing or
    contained by it (統一基準(H30) 2.1.1(8)(a)(イ); 防衛省通達 第12の2(2), 第12の4(2)).

    The planner leading their own audit is not a self-approval: only the audited-unit
    verdict of the separation check applies here."""
    for unit in units:
        verdict = sod.check(auditor, applicant=planner, audited_unit=unit)
        if verdict.code == "own_unit_audit":
            raise Forbidden(
                _(
                    "%(person)s は被監査部門「%(unit)s」又はその上位・下位の組織に属するため、"
                    "監査を担当できません（%(clauses)s）。"
                )
                % {
                    "person": auditor,
                    "unit": unit,
                    "clauses": rules.independence_clauses(audit_kind, verdict.citation, rulebooks),
                },
                code="own_unit_audit",
                details={"auditor": auditor.pk, "unit": unit.pk},
            )


# --- planning ------------------------------------------------------------------------------


def _next_number(organization: Organization, year: int) -> str:
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    prefix = f"{year}-A"
    last = (
        Audit.objects.filter(organization=organization, number__startswith=prefix)
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{sequence:03d}"


def parse_sections(text: str) -> list[str]:
    parts = (text or "").replace("、", ",").replace(" ", ",").split(",")
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def _clean_plan(person, *, kind, rulebooks, sections, units, start_date, end_date, lead):
    organization = person.organization
    if kind not in rules.kinds_for(organization.rulebooks):
        raise InvalidInput(_("この組織では選べない監査の区分です。"), details={"kind": kind})
    if not scope.has_role(person, *rules.planner_roles(kind)):
        raise Forbidden(
            _("この区分の監査実施計画を定める役割がありません（%(clause)s）。")
            % {"clause": rules.kind_clause(kind) if kind == Kind.SPECIAL else rules.PLAN_CLAUSE},
            details={"kind": kind},
        )
    if not units:
        raise InvalidInput(_("被監査部門を選んでください。"), details={"units": []})
    if any(unit.organization_id != organization.pk for unit in units):
        raise InvalidInput(_("被監査部門は同じ組織から選んでください。"), details={"units": []})
    if end_date < start_date:
        raise InvalidInput(
            _("監査期間の終了日は開始日以降にしてください。"), details={"end_date": str(end_date)}
        )
    rulebooks = [r for r in dict.fromkeys(rulebooks) if r]
    usable = [r for r in organization.rulebooks if r in ("toitsu", "mod", "mic_pii")]
    if not rulebooks or any(r not in usable for r in rulebooks):
        raise InvalidInput(
            _("対象の規程は、この組織に適用される規程から選んでください。"),
            details={"rulebooks": rulebooks},
        )
    unknown = [s for s in sections if all(s not in _catalog(r) for r in rulebooks)]
    if unknown:
        raise InvalidInput(
            _("対象の規程にない節・款が指定されています: %(ids)s") % {"ids": "、".join(unknown)},
            details={"sections": unknown},
        )
    if lead.organization_id != organization.pk:
        raise InvalidInput(_("監査責任者は同じ組織の職員等から選んでください。"), details={})
    return rulebooks


def plan_audit(
    person,
    *,
    title: str,
    kind: str,
    units,
    start_date: date,
    end_date: date,
    rulebooks,
    sections=(),
    lead=None,
    auditors=(),
    report_due: date | None = None,
    fiscal_year_: int | None = None,
    additional: bool = False,
    reason: str = "",
) -> Audit:
    """A 監査実施計画 (統一基準 2.3.2(1); 追加の計画 (1)(b); 特別監査 防衛省通達 第12の4(1)).
    The checklist is drawn from the catalog at once; every auditor is checked for
    independence from the audited units."""
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("件名を入力してください。"), details={"title": ""})
    units = list(units)
    lead = lead or person
    sections = [s for s in sections if s]
    rulebooks = _clean_plan(
        person,
        kind=kind,
        rulebooks=rulebooks,
        sections=sections,
        units=units,
        start_date=start_date,
        end_date=end_date,
        lead=lead,
    )
    if (additional or kind == Kind.AD_HOC) and not (reason or "").strip():
        raise InvalidInput(
            _("追加・臨時の監査は実施の理由を書いてください（%(clause)s）。")
            % {"clause": rules.ADDITIONAL_CLAUSE},
            details={"reason": ""},
        )
    team = list(dict.fromkeys([lead, *auditors]))
    for member in team:
        if member.organization_id != person.organization_id:
            raise InvalidInput(_("監査人は同じ組織の職員等から選んでください。"), details={})
        require_independent(kind, member, person, units, person.organization.rulebooks)
    due = report_due or add_working_days(end_date, REPORT_DAYS)
    if due < end_date:
        raise InvalidInput(
            _("報告期限は監査期間の終了日以降にしてください。"), details={"report_due": str(due)}
        )
    year = fiscal_year_ or fiscal_year(start_date)
    with transaction.atomic():
        audit = Audit.objects.create(
            organization=person.organization,
            number=_next_number(person.organization, year),
            title=title[:200],
            fiscal_year=year,
            kind=kind,
            additional=additional,
            reason=(reason or "").strip(),
            start_date=start_date,
            end_date=end_date,
            report_due=due,
            rulebooks=rulebooks,
            sections=sections,
            planner=person,
            lead=lead,
        )
        audit.units.set(units)
        audit.auditors.set(team)
        count = _build_checklist(audit, units)
        _trail(
            "audits.audit.planned",
            person,
            audit,
            {
                "kind": kind,
                "additional": additional,
                "units": [u.pk for u in units],
                "auditors": [m.pk for m in team],
                "checklist": count,
            },
        )
        for member in team:
            if member.pk != person.pk:
                notify(
                    member,
                    gettext_noop("監査 %(number)s「%(title)s」の監査人に指名されました。"),
                    {"number": audit.number, "title": audit.title},
                    url=audit_url(audit),
                )
    return audit


def _unit_roles(units) -> set[str]:
    """The roles held for the audited units, for units below them, or for units above
    them (a bureau's 情報セキュリティ責任者 answers for its divisions): the addressees the
    checklist asks about, besides all staff and the organisation."""
    from django.db.models import Q

    query = Q(pk__in=[])
    for unit in units:
        query |= Q(unit__path__startswith=unit.path) | Q(unit_id__in=unit.ancestor_ids)
    return set(RoleAssignment.objects.active().filter(query).values_list("role", flat=True))


def checklist_requirements(audit: Audit, units=None):
    """(rulebook, Requirement) pairs the audit checks, in catalog order."""
    roles = _unit_roles(units if units is not None else audit.units.all())
    found = []
    for rulebook in audit.rulebooks:
        catalog = _catalog(rulebook)
        sections = [s for s in audit.sections if s in catalog]
        if audit.sections and not sections:
            continue
        for entry in rules.checklist_entries(
            catalog, sections=sections, roles=roles, org_kind=audit.organization.kind
        ):
            found.append((rulebook, entry))
    return found


def _build_checklist(audit: Audit, units) -> int:
    rows = [
        ChecklistItem(
            audit=audit,
            order=index,
            rulebook=rulebook,
            requirement_id=entry.id,
            citation=entry.citation,
            text=entry.text or "",
        )
        for index, (rulebook, entry) in enumerate(checklist_requirements(audit, units))
    ]
    ChecklistItem.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def assign_auditor(audit: Audit, person, auditor) -> Audit:
    """Add an auditor to the team: the planner or lead only, never someone of the
    audited units (統一基準(H30) 2.1.1(8)(a)(イ))."""
    if person.pk not in (audit.planner_id, audit.lead_id):
        raise Forbidden(_("監査人を指名できるのは計画者又は監査責任者です。"))
    if audit.state == AuditState.CLOSED:
        raise InvalidInput(_("完了した監査の監査人は変更できません。"))
    if auditor.organization_id != audit.organization_id:
        raise InvalidInput(_("監査人は同じ組織の職員等から選んでください。"), details={})
    require_independent(
        audit.kind, auditor, audit.planner, list(audit.units.all()), _org_rulebooks(audit)
    )
    with transaction.atomic():
        audit.auditors.add(auditor)
        _trail("audits.audit.auditor_added", person, audit, {"auditor": auditor.pk})
        notify(
            auditor,
            gettext_noop("監査 %(number)s「%(title)s」の監査人に指名されました。"),
            {"number": audit.number, "title": audit.title},
            url=audit_url(audit),
        )
    return audit


def _require_lead(audit: Audit, person) -> None:
    if person.pk not in (audit.lead_id, audit.planner_id):
        raise Forbidden(_("この操作は監査責任者（又は計画者）が行います。"))


def start_audit(audit: Audit, person) -> Audit:
    _require_lead(audit, person)
    with transaction.atomic():
        audit = Audit.objects.select_for_update().get(pk=audit.pk)
        workflow.check_audit(audit.state, AuditState.IN_PROGRESS)
        audit.state = AuditState.IN_PROGRESS
        audit.save(update_fields=["state", "updated"])
        _trail("audits.audit.started", person, audit)
    return audit


def _require_auditing(audit: Audit, person, unit=None) -> None:
    """The person is on the team, still independent of the audited units (and of the
    finding's unit), and the audit is being carried out."""
    if not is_team_member(person, audit):
        raise Forbidden(_("この監査の監査人ではありません。"))
    units = list(audit.units.all())
    require_independent(
        audit.kind, person, audit.planner, units + ([unit] if unit else []), _org_rulebooks(audit)
    )
    if audit.state != AuditState.IN_PROGRESS:
        raise InvalidInput(_("監査が実施中のときに記録できます。"), details={"state": audit.state})


def record_check(
    item: ChecklistItem, person, *, result: str, note: str = "", evidence: str = ""
) -> ChecklistItem:
    audit = item.audit
    _require_auditing(audit, person)
    if result not in CheckResult.values:
        raise InvalidInput(_("結果を選んでください。"), details={"result": result})
    with transaction.atomic():
        item.result = result
        item.note = (note or "").strip()
        item.evidence = (evidence or "").strip()
        item.checked_by = person
        item.checked_at = timezone.now()
        item.save()
        _trail(
            "audits.checklist.recorded",
            person,
            audit,
            {"requirement": item.requirement_id, "result": result},
        )
    return item


def _store_evidence(finding: Finding, person, upload) -> FindingEvidence:
    evidence = FindingEvidence(
        finding=finding,
        name=uploads.base_name(upload),
        size=upload.size,
        sha256=uploads.sha256_of(upload),
        content_type=(getattr(upload, "content_type", "") or "application/octet-stream")[:100],
        uploaded_by=person,
    )
    evidence.file.save(evidence.sha256, upload, save=False)
    evidence.save()
    return evidence


def record_finding(
    audit: Audit,
    person,
    *,
    severity: str,
    description: str,
    clause: str = "",
    requirement_id: str = "",
    unit=None,
    cross_cutting: bool = False,
    attachments=(),
) -> Finding:
    """A 指摘事項: unit-specific (its unit one of the audited units or below) or
    cross-cutting across the organisation (統一基準(H30) 2.3.2(3)(b)(c)). Files are
    checked against the upload policy before anything is written."""
    if severity not in Severity.values:
        raise InvalidInput(_("重要度を選んでください。"), details={"severity": severity})
    description = (description or "").strip()
    if not description:
        raise InvalidInput(_("指摘内容を書いてください。"), details={"description": ""})
    if not cross_cutting and unit is None:
        raise InvalidInput(
            _("部門に特有の指摘は、対象の部門を選んでください。"), details={"unit": None}
        )
    audited = list(audit.units.all())
    if unit is not None and not any(unit.path.startswith(u.path) for u in audited):
        raise InvalidInput(
            _("指摘の対象は被監査部門（又はその下位の組織）から選んでください。"),
            details={"unit": unit.pk},
        )
    _require_auditing(audit, person, unit)
    clause = (clause or "").strip()
    if requirement_id and not clause:
        item = audit.checklist.filter(requirement_id=requirement_id).first()
        clause = item.citation if item else requirement_id
    if not clause:
        raise InvalidInput(_("根拠となる条項を入力してください。"), details={"clause": ""})
    attachments = list(attachments)
    if len(attachments) > MAX_ATTACHMENTS:
        raise InvalidInput(
            _("添付できるファイルは%(max)d件までです。") % {"max": MAX_ATTACHMENTS},
            details={"attachments": len(attachments)},
        )
    for upload in attachments:
        reason = check_upload(upload)
        if reason:
            raise InvalidInput(reason, details={"attachments": upload.name})
    with transaction.atomic():
        Audit.objects.select_for_update().filter(pk=audit.pk).first()
        number = (
            audit.findings.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        finding = Finding.objects.create(
            audit=audit,
            number=number,
            severity=severity,
            requirement_id=(requirement_id or "")[:60],
            clause=clause[:120],
            description=description,
            cross_cutting=cross_cutting,
            unit=unit,
            recorded_by=person,
        )
        stored = [_store_evidence(finding, person, upload) for upload in attachments]
        if requirement_id:
            audit.checklist.filter(requirement_id=requirement_id).update(
                result=CheckResult.FINDING, checked_by=person, checked_at=timezone.now()
            )
        _trail(
            "audits.finding.recorded",
            person,
            audit,
            {
                "finding": finding.number,
                "severity": severity,
                "clause": clause,
                "unit": unit.pk if unit else None,
                "cross_cutting": cross_cutting,
                "evidence": [e.sha256 for e in stored],
            },
        )
    return finding


def add_finding_evidence(finding: Finding, person, upload) -> FindingEvidence:
    audit = finding.audit
    _require_auditing(audit, person, finding.unit)
    reason = check_upload(upload)
    if reason:
        raise InvalidInput(reason, details={"file": upload.name})
    with transaction.atomic():
        evidence = _store_evidence(finding, person, upload)
        _trail(
            "audits.finding.evidence_added",
            person,
            audit,
            {"finding": finding.number, "sha256": evidence.sha256, "size": evidence.size},
        )
    return evidence


def issue_report(audit: Audit, person, *, summary: str, conclusion: str = "") -> Audit:
    """The 監査報告書, issued by the audit lead to the CISO (統一基準(H30) 2.3.2(3)(a) acts on
    it). A 特別監査's result also goes to the 情報保証統括責任者 (防衛省通達 第12の4(4)); an
    audit of personal-information management to the 総括保護管理者 (総務省訓令 第41条)."""
    if person.pk != audit.lead_id:
        raise Forbidden(_("監査報告書は監査責任者が提出します。"))
    summary = (summary or "").strip()
    if not summary:
        raise InvalidInput(_("監査の概要を書いてください。"), details={"summary": ""})
    with transaction.atomic():
        audit = Audit.objects.select_for_update().get(pk=audit.pk)
        workflow.check_audit(audit.state, AuditState.REPORTED)
        audit.state = AuditState.REPORTED
        audit.summary = summary
        audit.conclusion = (conclusion or "").strip()
        audit.reported_at = timezone.now()
        audit.save()
        count = audit.findings.count()
        _trail("audits.audit.reported", person, audit, {"findings": count})
        recipients = holders(audit.organization_id, "ciso")
        if audit.kind == Kind.SPECIAL:
            recipients += holders(audit.organization_id, "ia_chief")
        if "mic_pii" in audit.rulebooks:
            recipients += holders(audit.organization_id, "pii_chief")
        for recipient in dict.fromkeys(recipients):
            notify(
                recipient,
                gettext_noop(
                    "監査 %(number)s「%(title)s」の監査報告書が提出されました（指摘事項 %(count)s件）。"
                ),
                {"number": audit.number, "title": audit.title, "count": count},
                url=reverse("audits:report", args=[audit.pk]),
            )
    return audit


def close_audit(audit: Audit, person) -> Audit:
    """Close an audit once every finding has been instructed and every improvement plan
    it led to is closed."""
    if not (scope.has_role(person, "ciso") or person.pk in (audit.planner_id, audit.lead_id)):
        raise Forbidden(_("監査を完了にできるのはCISO又は監査責任者です。"))
    with transaction.atomic():
        audit = Audit.objects.select_for_update().get(pk=audit.pk)
        workflow.check_audit(audit.state, AuditState.CLOSED)
        # Every finding is followed to closure (2.3.2(3)): those still waiting for the
        # CISO's instruction keep the audit open; a mere observation does not.
        waiting = (
            audit.findings.filter(state=FindingState.OPEN)
            .exclude(severity=Severity.OBSERVATION)
            .count()
        )
        if waiting:
            raise InvalidTransition(
                _("改善が指示されていない指摘事項が%(count)d件あるため、監査を完了にできません。")
                % {"count": waiting},
                details={"open_findings": waiting},
            )
        open_plans = audit.plans.exclude(state=PlanState.CLOSED).count()
        if open_plans:
            raise InvalidTransition(
                _("完了していない改善計画が%(count)d件あるため、監査を完了にできません。")
                % {"count": open_plans},
                details={"open_plans": open_plans},
            )
        audit.state = AuditState.CLOSED
        audit.closed_at = timezone.now()
        audit.save(update_fields=["state", "closed_at", "updated"])
        _trail("audits.audit.closed", person, audit)
    return audit
