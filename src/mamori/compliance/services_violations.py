"""Reports of serious violations of the information-security rules and their chain:
staff → 情報セキュリティ責任者 (統一基準(R7) 2.2.1(2)(a)) → 統括情報セキュリティ責任者
(統一基準(H30) 2.2.1(1)(d)) → CISO (2.2.1(1)(e)). One function per state change, each
with its trail event and a notice to the new recipient."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from mamori.compliance import workflow
from mamori.compliance.models import StepKind, ViolationReport, ViolationStatus, ViolationStep
from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.notices.services import notify
from mamori.org import scope
from mamori.org.models import RoleAssignment
from mamori.rules import roles as role_catalogue
from mamori.trail.services import record

STEP_ROLES = {StepKind.TO_CHIEF: "chief_isec_officer", StepKind.TO_CISO: "ciso"}


def report_url(report: ViolationReport) -> str:
    return reverse("compliance:violation_detail", args=[report.pk])


def _trail(action: str, person, report: ViolationReport, data: dict | None = None) -> None:
    record(
        action,
        actor=person.user,
        obj=report,
        data={"status": report.status, **(data or {})},
        organization_id=report.organization_id,
    )


def _holders(organization_id: int, role: str):
    """Active assignments of `role` in the organisation, not for a system."""
    return (
        RoleAssignment.objects.active()
        .filter(
            organization_id=organization_id,
            role=role,
            system__isnull=True,
            person__active=True,
        )
        .select_related("person")
    )


def _org_wide_holder(organization_id: int, role: str, exclude=None):
    query = _holders(organization_id, role).filter(unit__isnull=True).order_by("valid_from", "id")
    if exclude is not None:
        query = query.exclude(person=exclude)
    assignment = query.first()
    return assignment.person if assignment else None


def officer_for(person):
    """The 情報セキュリティ責任者 whose scope covers the person's unit, nearest first
    (walking up the unit tree, then one assigned for the whole organisation); None if
    there is none (the report then goes to the 統括)."""
    unit_ids = person.unit.ancestor_ids if person.unit_id else []
    candidates = list(
        _holders(person.organization_id, "isec_officer")
        .filter(Q(unit_id__in=unit_ids) | Q(unit__isnull=True))
        .exclude(person=person)
        .order_by("id")
    )
    rank = {unit_id: depth for depth, unit_id in enumerate(unit_ids)}
    candidates.sort(key=lambda a: rank.get(a.unit_id, len(unit_ids)))
    return candidates[0].person if candidates else None


def _add_step(report, kind: str, sender, recipient, citation: str, note: str = "") -> ViolationStep:
    step = ViolationStep.objects.create(
        report=report,
        order=report.steps.count() + 1,
        kind=kind,
        sender=sender,
        recipient=recipient,
        citation=citation,
        sent_at=timezone.now(),
        note=note,
    )
    notify(
        recipient,
        gettext_noop("違反の報告「%(title)s」が届きました。受領を確認してください。"),
        {"title": report.title},
        report_url(report),
    )
    return step


def report_violation(
    person,
    *,
    title: str,
    description: str,
    occurred_on: date | None = None,
    rules_concerned: str = "",
) -> ViolationReport:
    """A member of staff reports a serious violation to their 情報セキュリティ責任者
    (or to the 統括 when no officer covers their unit)."""
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        raise InvalidInput(_("件名を入力してください。"), details={"title": title})
    if not description:
        raise InvalidInput(_("違反の内容を入力してください。"), details={"description": ""})
    if occurred_on and occurred_on > timezone.localdate():
        raise InvalidInput(_("発生日に未来の日付は指定できません。"), details={"occurred_on": ""})
    officer = officer_for(person)
    kind = StepKind.TO_OFFICER
    if officer is None:
        officer = _org_wide_holder(person.organization_id, "chief_isec_officer", exclude=person)
        kind = StepKind.TO_CHIEF
    if officer is None:
        raise InvalidInput(
            _("報告先の情報セキュリティ責任者も統括情報セキュリティ責任者も登録されていません。")
        )
    with transaction.atomic():
        report = ViolationReport.objects.create(
            organization_id=person.organization_id,
            reporter=person,
            reporter_unit_id=person.unit_id,
            title=title[:200],
            description=description,
            occurred_on=occurred_on,
            rules_concerned=(rules_concerned or "").strip()[:300],
        )
        _add_step(report, kind, person, officer, workflow.CITATIONS[StepKind.TO_OFFICER])
        _trail("compliance.violation.reported", person, report, {"recipient": officer.pk})
    return report


def current_step(report: ViolationReport) -> ViolationStep | None:
    steps = list(report.steps.all())
    return steps[-1] if steps else None


def may_act(person, step: ViolationStep | None) -> bool:
    """The step's recipient, or (for the 統括 and CISO steps) anyone holding that role
    for the organisation; never the reporter (統一基準 2.1.1 兼務禁止: nobody handles a
    report about what they reported themselves, even when they hold the role)."""
    if step is None or person is None or step.report.reporter_id == person.pk:
        return False
    if step.recipient_id == person.pk:
        return True
    role = STEP_ROLES.get(step.kind)
    return bool(role) and scope.has_org_wide_role(person, (role,))


def in_chain(person, report: ViolationReport) -> bool:
    """The reporter and the chain's recipients see who reported."""
    return person.pk == report.reporter_id or any(
        step.recipient_id == person.pk for step in report.steps.all()
    )


def _locked(person, report: ViolationReport) -> ViolationReport:
    """The report, locked for the change; another organisation's report is refused."""
    if report.organization_id != person.organization_id:
        raise Forbidden(_("他の組織の報告は扱えません。"))
    return ViolationReport.objects.select_for_update().get(pk=report.pk)


def acknowledge(person, report: ViolationReport) -> ViolationStep:
    with transaction.atomic():
        report = _locked(person, report)
        step = current_step(report)
        if not may_act(person, step):
            raise Forbidden(_("この報告の受領を確認する立場にありません。"))
        assert step is not None
        if step.acknowledged_at:
            raise InvalidTransition(_("受領は確認済みです。"))
        step.acknowledged_at = timezone.now()
        step.save(update_fields=["acknowledged_at"])
        _trail("compliance.violation.acknowledged", person, report, {"step": step.order})
    return step


def escalate(person, report: ViolationReport, note: str = "") -> ViolationReport:
    """Report up one step: the officer to the 統括, the 統括 to the CISO."""
    with transaction.atomic():
        report = _locked(person, report)
        step = current_step(report)
        if not may_act(person, step):
            raise Forbidden(_("この報告を上げる立場にありません。"))
        assert step is not None
        if step.kind == StepKind.TO_OFFICER:
            target, kind, role = (
                ViolationStatus.FORWARDED_TO_CHIEF,
                StepKind.TO_CHIEF,
                "chief_isec_officer",
            )
        elif step.kind == StepKind.TO_CHIEF:
            target, kind, role = ViolationStatus.REPORTED_TO_CISO, StepKind.TO_CISO, "ciso"
        else:
            target, kind, role = ViolationStatus.CLOSED, "", ""
        workflow.check(report.status, target)
        if target == ViolationStatus.CLOSED:
            raise InvalidTransition(_("最高情報セキュリティ責任者より先には報告できません。"))
        recipient = _org_wide_holder(report.organization_id, role, exclude=report.reporter_id)
        if recipient is None:
            raise InvalidInput(
                _("報告先（%(role)s）が登録されていません。")
                % {"role": role_catalogue.get(role).label(get_language() or "ja")}
            )
        now = timezone.now()
        step.acknowledged_at = step.acknowledged_at or now
        step.note = (note or "").strip()
        step.save(update_fields=["acknowledged_at", "note"])
        report.status = target
        report.save(update_fields=["status"])
        _add_step(report, kind, person, recipient, workflow.CITATIONS[kind])
        _trail(
            "compliance.violation.escalated",
            person,
            report,
            {"step": step.order + 1, "recipient": recipient.pk},
        )
    return report


def close(person, report: ViolationReport, note: str = "") -> ViolationReport:
    """The CISO closes a report that reached them, with their findings."""
    with transaction.atomic():
        report = _locked(person, report)
        step = current_step(report)
        workflow.check(report.status, ViolationStatus.CLOSED)
        if not may_act(person, step):
            raise Forbidden(_("この報告を完了にする立場にありません。"))
        assert step is not None
        now = timezone.now()
        step.acknowledged_at = step.acknowledged_at or now
        step.save(update_fields=["acknowledged_at"])
        report.status = ViolationStatus.CLOSED
        report.closed_at = now
        report.closing_note = (note or "").strip()
        report.save(update_fields=["status", "closed_at", "closing_note"])
        notify(
            report.reporter,
            gettext_noop("あなたが報告した違反「%(title)s」の対応が完了しました。"),
            {"title": report.title},
            report_url(report),
        )
        _trail("compliance.violation.closed", person, report)
    return report
