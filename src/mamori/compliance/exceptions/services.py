"""Every change of this app: one function per state change, each validating, changing
state in one transaction and writing its trail event in that same transaction.

The request itself is an approvals.Request of kind compliance.exception: creation,
submission and the decision go through mamori.approvals.services (separation of duties
included); approval calls record_from_request() and the exception enters the ledger.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from mamori.approvals import services as approvals
from mamori.approvals.models import Request
from mamori.approvals.workflow import Action, State
from mamori.compliance.exceptions import catalog, workflow
from mamori.compliance.exceptions.kinds import KIND_CODE, MAX_PERIOD_DAYS
from mamori.compliance.exceptions.models import (
    ExceptionProcedure,
    ExceptionRecord,
    ExceptionReminder,
    RecordState,
)
from mamori.compliance.exceptions.workflow import Move
from mamori.errors import Forbidden, InvalidInput
from mamori.notices.services import notify
from mamori.org import scope
from mamori.org.models import OrgUnit, Person, RoleAssignment
from mamori.rules.deadlines import reminder_dates
from mamori.rules.refs import TOITSU_H30, cite
from mamori.trail.services import record as trail

PERMIT_ROLE = "permit_authority"
# Who designates 許可権限者 and sets the 審査手続 (統一基準(H30) 2.2.2(1)(a)).
DESIGNATING_ROLES = ("ciso",)
# Working days before the end on which the owner is reminded.
REMINDER_WORKING_DAYS = (5, 1)
CITATION_PROCEDURE = cite(TOITSU_H30, "2.2.2(1)(a)")


def _event(action: str, actor, obj, data: dict | None = None) -> None:
    trail(
        action,
        actor=getattr(actor, "user", None),
        obj=obj,
        data=data or {},
        organization_id=obj.organization_id,
    )


def _require_ciso(actor) -> None:
    if not scope.has_role(actor, *DESIGNATING_ROLES):
        raise Forbidden(
            _("許可権限者と審査手続は最高情報セキュリティ責任者が定めます。"),
            details={"citation": CITATION_PROCEDURE},
        )


def record_url(record: ExceptionRecord) -> str:
    return reverse("exceptions:detail", args=[record.pk])


# --- 許可権限者 and 審査手続 (2.2.2(1)(a)) ----------------------------------------------------


def designate_permit_authority(
    actor: Person,
    person: Person,
    *,
    unit: OrgUnit | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> RoleAssignment:
    """The CISO makes `person` 許可権限者 for `unit` (None: the whole organisation)."""
    _require_ciso(actor)
    if person.organization_id != actor.organization_id:
        raise Forbidden(_("他の組織の職員等を指定することはできません。"))
    if not person.active:
        raise InvalidInput(
            _("在籍していない職員等は指定できません。"), details={"person": "inactive"}
        )
    assignment = RoleAssignment(
        person=person,
        role=PERMIT_ROLE,
        organization_id=actor.organization_id,
        unit=unit,
        valid_from=valid_from or timezone.localdate(),
        valid_to=valid_to,
    )
    try:
        assignment.full_clean()
    except ValidationError as error:
        messages = [str(m) for field in error.message_dict.values() for m in field]
        raise InvalidInput(
            " ".join(messages), details={k: "invalid" for k in error.message_dict}
        ) from None
    with transaction.atomic():
        assignment.save()
        _event(
            "compliance_exceptions.permit_authority.designated",
            actor,
            assignment,
            {
                "person_id": person.pk,
                "unit_id": unit.pk if unit else None,
                "valid_from": assignment.valid_from.isoformat(),
                "valid_to": valid_to.isoformat() if valid_to else None,
            },
        )
        if unit is None:
            message = gettext_noop(
                "例外措置の許可権限者（組織全体）に指定されました（%(start)s から）。"
            )
        else:
            message = gettext_noop(
                "例外措置の許可権限者（%(scope)s）に指定されました（%(start)s から）。"
            )
        notify(
            person,
            message,
            {"scope": str(unit) if unit else "", "start": assignment.valid_from.isoformat()},
            reverse("exceptions:list"),
        )
    return assignment


def end_permit_authority(actor: Person, assignment: RoleAssignment, valid_to: date | None = None):
    """The CISO ends a designation (the last day it is valid)."""
    _require_ciso(actor)
    if assignment.role != PERMIT_ROLE or assignment.organization_id != actor.organization_id:
        raise Forbidden(_("この役割の割当ては変更できません。"))
    valid_to = valid_to or timezone.localdate()
    if valid_to < assignment.valid_from:
        raise InvalidInput(_("終了日は開始日以降にしてください。"), details={"valid_to": "invalid"})
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        assignment.valid_to = valid_to
        assignment.save(update_fields=["valid_to"])
        _event(
            "compliance_exceptions.permit_authority.ended",
            actor,
            assignment,
            {"person_id": assignment.person_id, "valid_to": valid_to.isoformat()},
        )
    return assignment


def set_procedure(
    actor: Person, text: str, effective_from: date | None = None
) -> ExceptionProcedure:
    """A new version of the 審査手続; earlier versions are kept."""
    _require_ciso(actor)
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("審査手続を入力してください。"), details={"text": "required"})
    with transaction.atomic():
        procedure = ExceptionProcedure.objects.create(
            organization_id=actor.organization_id,
            text=text,
            effective_from=effective_from or timezone.localdate(),
            created_by=actor,
        )
        _event(
            "compliance_exceptions.procedure.set",
            actor,
            procedure,
            {"effective_from": procedure.effective_from.isoformat()},
        )
    return procedure


def current_procedure(organization_id: int, on: date | None = None) -> ExceptionProcedure | None:
    on = on or timezone.localdate()
    return (
        ExceptionProcedure.objects.filter(organization_id=organization_id, effective_from__lte=on)
        .select_related("created_by")
        .first()
    )


# --- the request ------------------------------------------------------------------------------


def _requirement(organization, rulebook: str, clause_id: str):
    if not organization.follows(rulebook):
        raise InvalidInput(
            _("この組織が適用していない規程の遵守事項です。"), details={"requirement": "rulebook"}
        )
    entry = catalog.clause(rulebook, clause_id)
    if entry is None:
        raise InvalidInput(
            _("遵守事項「%(id)s」が見つからないか、本文がありません。") % {"id": clause_id},
            details={"requirement": "unknown"},
        )
    return entry


def _request_fields(
    applicant: Person,
    *,
    rulebook: str,
    clause_id: str,
    reason: str,
    scope_text: str,
    measures: str,
    period_start: date,
    period_end: date,
    scope_units=(),
) -> dict:
    """Validate a request's statement and shape it as approvals.Request fields."""
    entry = _requirement(applicant.organization, rulebook, clause_id)
    required = {"reason": reason, "scope": scope_text, "measures": measures}
    for name, value in required.items():
        if not (value or "").strip():
            raise InvalidInput(_("この項目を入力してください。"), details={name: "required"})
    if period_start is None or period_end is None:
        raise InvalidInput(
            _("期間（開始日と終了日）を入力してください。"), details={"period_end": "required"}
        )
    if period_end < period_start:
        raise InvalidInput(_("終了日は開始日以降にしてください。"), details={"period_end": "order"})
    if (period_end - period_start).days + 1 > MAX_PERIOD_DAYS:
        raise InvalidInput(
            _("期間は最長%(days)d日までです。") % {"days": MAX_PERIOD_DAYS},
            details={"period_end": "too_long"},
        )
    units = sorted(scope_units, key=lambda u: u.path)
    if any(u.organization_id != applicant.organization_id for u in units):
        raise Forbidden(_("他の組織の組織単位は指定できません。"))
    details = {
        "rulebook": rulebook,
        "requirement": entry.id,
        "reason": reason.strip(),
        "scope": scope_text.strip(),
        "scope_unit_ids": [u.pk for u in units],
    }
    return {
        "title": str(_("例外措置: %(citation)s") % {"citation": entry.citation}),
        # The decider reads the request on the approvals page: everything is in the text.
        "description": _describe(entry, details, units),
        "conditions": measures.strip(),
        "period_start": period_start,
        "period_end": period_end,
        "details": details,
    }


def file_request(applicant: Person, *, submit: bool = True, **statement) -> Request:
    """A 例外措置 request: the requirement (rulebook, clause_id), reason, scope_text
    (and scope_units), measures and period. Submitted to the 許可権限者 in scope (never
    the applicant) unless `submit` is False."""
    fields = _request_fields(applicant, **statement)
    with transaction.atomic():
        request = approvals.create(applicant, kind=KIND_CODE, **fields)
        trail(
            "compliance_exceptions.request.filed",
            actor=getattr(applicant, "user", None),
            obj=request,
            data={
                "rulebook": fields["details"]["rulebook"],
                "requirement": fields["details"]["requirement"],
            },
            organization_id=request.organization_id,
        )
        if submit:
            request = approvals.submit(request, applicant)
    return request


def update_request(
    request: Request, applicant: Person, *, submit: bool = False, **statement
) -> Request:
    """The applicant corrects a draft or returned request (and may resubmit it): the
    text the decider reads and the values the ledger will take change together."""
    if request.kind != KIND_CODE:
        raise InvalidInput(_("例外措置の申請ではありません。"))
    fields = _request_fields(applicant, **statement)
    with transaction.atomic():
        # approvals.update checks, on the locked row, the applicant and an editable state.
        request = approvals.update(request, applicant, **fields)
        trail(
            "compliance_exceptions.request.updated",
            actor=getattr(applicant, "user", None),
            obj=request,
            data={"requirement": fields["details"]["requirement"]},
            organization_id=request.organization_id,
        )
        if submit:
            request = approvals.submit(request, applicant)
    return request


def _describe(entry, details: dict, units) -> str:
    """The request text, always in Japanese (the language of the record), so that the
    same statement always gives the same text whoever edits it."""
    with translation.override("ja"):
        parts = [
            f"{_('遵守事項')}: {entry.citation}\n{entry.text}",
            f"{_('理由')}:\n{details['reason']}",
            f"{_('対象範囲')}:\n{details['scope']}"
            + (f"\n{'、'.join(str(u) for u in units)}" if units else ""),
        ]
    return "\n\n".join(parts)


def described(request: Request) -> str | None:
    """The text the request's details give, or None when they no longer name a clause."""
    details = request.details or {}
    entry = catalog.clause(details.get("rulebook", ""), details.get("requirement", ""))
    if entry is None or "reason" not in details or "scope" not in details:
        return None
    units = OrgUnit.objects.filter(
        organization_id=request.organization_id, pk__in=details.get("scope_unit_ids") or []
    ).order_by("path")
    return _describe(entry, details, list(units))


def record_from_request(request: Request) -> ExceptionRecord:
    """Enter an approved request in the ledger (called by approvals inside the approving
    transaction). Everything is taken from the request as it was approved: its period
    and measures, and the statement in its details, which only this app's form edits
    (kinds.guard_request keeps the generic edit form from changing the text alone)."""
    details = request.details or {}
    entry = _requirement(
        request.organization, details.get("rulebook", ""), details.get("requirement", "")
    )
    record = ExceptionRecord.objects.create(
        organization_id=request.organization_id,
        request=request,
        unit_id=request.unit_id,
        applicant_id=request.applicant_id,
        owner_id=request.applicant_id,
        permitted_by=request.decided_by,
        rulebook=entry.rulebook,
        requirement_id=entry.id,
        requirement_text=entry.text,
        requirement_citation=entry.citation,
        reason=details.get("reason") or request.description,
        scope=details.get("scope", ""),
        measures=request.conditions,
        period_start=request.period_start,
        period_end=request.period_end,
        granted_at=request.decided_at or timezone.now(),
    )
    unit_ids = details.get("scope_unit_ids") or []
    if unit_ids:
        record.scope_units.set(
            OrgUnit.objects.filter(organization_id=request.organization_id, pk__in=unit_ids)
        )
    _event(
        "compliance_exceptions.record.created",
        request.decided_by,
        record,
        {
            "request_id": request.pk,
            "requirement": entry.id,
            "period_end": record.period_end.isoformat(),
        },
    )
    return record


# --- end report, revocation, expiry -------------------------------------------------------------


def _lock(record: ExceptionRecord) -> ExceptionRecord:
    return ExceptionRecord.objects.select_for_update().select_related("request").get(pk=record.pk)


def report_end(
    record: ExceptionRecord,
    actor: Person,
    *,
    ended_on: date,
    restored: str,
    remaining_issues: str = "",
) -> ExceptionRecord:
    """The owner reports that the exception has ended (2.2.2(2)): state ended, the
    許可権限者 is told."""
    restored = (restored or "").strip()
    if not restored:
        raise InvalidInput(_("復旧した内容を入力してください。"), details={"restored": "required"})
    if ended_on is None:
        raise InvalidInput(_("終了日を入力してください。"), details={"ended_on": "required"})
    today = timezone.localdate()
    with transaction.atomic():
        record = _lock(record)
        if actor is None or actor.pk != record.owner_id:
            raise Forbidden(_("終了報告は例外措置の責任者だけが行えます。"))
        target = workflow.move(record, Move.END)
        if ended_on < record.period_start or ended_on > today:
            raise InvalidInput(
                _("終了日は例外措置の開始日から今日までの日付にしてください。"),
                details={"ended_on": "range"},
            )
        record.state = target
        record.ended_on = ended_on
        record.restored = restored
        record.remaining_issues = (remaining_issues or "").strip()
        record.end_reported_at = timezone.now()
        record.end_reported_by = actor
        record.save()
        # Keep the approval in step: an approved request the applicant ends is closed.
        if record.request.state == State.APPROVED and record.request.applicant_id == actor.pk:
            approvals.close(record.request, actor)
        _event(
            "compliance_exceptions.record.ended",
            actor,
            record,
            {"ended_on": ended_on.isoformat(), "remaining_issues": bool(record.remaining_issues)},
        )
        notify(
            record.permitted_by,
            gettext_noop("例外措置「%(ref)s %(citation)s」の終了報告がありました。"),
            {"ref": record.reference, "citation": record.requirement_citation},
            record_url(record),
        )
    return record


def revoke(record: ExceptionRecord, actor: Person, reason: str) -> ExceptionRecord:
    """A 許可権限者 in scope takes the exception back (the approval is revoked)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("理由を入力してください。"), details={"reason": "required"})
    with transaction.atomic():
        record = _lock(record)
        record.state = workflow.move(record, Move.REVOKE)
        record.revoked_at = timezone.now()
        record.save(update_fields=["state", "revoked_at"])
        # Checks the decider (a 許可権限者 in scope, never the applicant) and tells the
        # applicant; a refusal rolls the record back. The owner is told too when the
        # exception has been handed over.
        approvals.decide(record.request, actor, Action.REVOKE, reason)
        _event("compliance_exceptions.record.revoked", actor, record, {"reason": reason})
        if record.owner_id != record.request.applicant_id:
            notify(
                record.owner,
                gettext_noop("例外措置「%(ref)s %(citation)s」が取り消されました。"),
                {"ref": record.reference, "citation": record.requirement_citation},
                record_url(record),
            )
    return record


def follow_revocation(request: Request) -> None:
    """The approval of an active exception was revoked on the approvals page: the ledger
    follows in the same transaction (called by kinds.guard_request)."""
    record = ExceptionRecord.objects.select_for_update().filter(request_id=request.pk).first()
    if record is None or not workflow.allowed(record.state, Move.REVOKE):
        return  # revoked through revoke() above, which moved the record first
    record.state = workflow.move(record, Move.REVOKE)
    record.revoked_at = timezone.now()
    record.save(update_fields=["state", "revoked_at"])
    _event("compliance_exceptions.record.revoked", None, record, {"via": "approvals"})


def process_expiries(today: date | None = None) -> dict[str, int]:
    """Run daily: remind owners before the end, mark exceptions whose end has passed
    without an end report as expired (owner and 許可権限者 are told), and expire the
    lapsed approvals themselves."""
    today = today or timezone.localdate()
    counts = {"reminded": 0, "expired": 0, "approvals_expired": 0}
    active = ExceptionRecord.objects.filter(state=RecordState.ACTIVE)
    for record in active.filter(period_end__gte=today).select_related("owner"):
        due_dates = [
            d for d in reminder_dates(record.period_end, REMINDER_WORKING_DAYS) if d <= today
        ]
        if not due_dates:
            continue
        sent = set(record.reminders.values_list("remind_on", flat=True))
        missing = [d for d in due_dates if d not in sent]
        if not missing:
            continue
        with transaction.atomic():
            ExceptionReminder.objects.bulk_create(
                [ExceptionReminder(record=record, remind_on=d) for d in missing],
                ignore_conflicts=True,
            )
            # One notice per run, however many reminder dates it catches up on.
            notify(
                record.owner,
                gettext_noop(
                    "例外措置「%(ref)s %(citation)s」の期間は %(end)s に終了します。"
                    "終了したら終了報告をしてください。"
                ),
                {
                    "ref": record.reference,
                    "citation": record.requirement_citation,
                    "end": record.period_end.isoformat(),
                },
                record_url(record),
            )
            _event(
                "compliance_exceptions.record.reminded",
                None,
                record,
                {"remind_on": [d.isoformat() for d in missing]},
            )
        counts["reminded"] += 1
    for pk in active.filter(period_end__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            record = (
                ExceptionRecord.objects.select_for_update()
                .select_related("owner", "permitted_by")
                .get(pk=pk)
            )
            if not workflow.allowed(record.state, Move.EXPIRE):
                continue
            record.state = workflow.move(record, Move.EXPIRE)
            record.expired_at = timezone.now()
            record.save(update_fields=["state", "expired_at"])
            _event(
                "compliance_exceptions.record.expired",
                None,
                record,
                {"period_end": record.period_end.isoformat()},
            )
            params = {
                "ref": record.reference,
                "citation": record.requirement_citation,
                "end": record.period_end.isoformat(),
            }
            notify(
                record.owner,
                gettext_noop(
                    "例外措置「%(ref)s %(citation)s」は期間（%(end)s まで）が過ぎ、期限切れになりました。"
                    "終了報告をするか、必要なら改めて申請してください。"
                ),
                params,
                record_url(record),
            )
            if record.permitted_by_id != record.owner_id:
                notify(
                    record.permitted_by,
                    gettext_noop(
                        "例外措置「%(ref)s %(citation)s」は終了報告のないまま期限切れになりました"
                        "（期間 %(end)s まで）。"
                    ),
                    params,
                    record_url(record),
                )
        counts["expired"] += 1
    counts["approvals_expired"] = approvals.expire_lapsed(today)
    return counts
