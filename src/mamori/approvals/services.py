"""Every change to a request goes through one of these functions.

Each validates, changes state inside one transaction and writes its trail event in
that same transaction. Views, the API and commands all call them; none touches a
Request's state directly.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext_lazy as _

from mamori import uploads
from mamori.approvals import registry, workflow
from mamori.approvals.models import Attachment, Comment, Request, attachment_path
from mamori.approvals.workflow import Action, State
from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.notices.services import notify
from mamori.org import scope, sod
from mamori.org.models import OrgUnit, RoleAssignment
from mamori.rules import roles as role_catalogue
from mamori.rules.deadlines import add_working_days
from mamori.trail.services import record

# --- approver resolution ---------------------------------------------------------------


def approver_roles(request: Request) -> tuple[str, ...]:
    """Who may decide this request: the kind's roles, or, for kinds whose rules name
    the permitting role per case (handling checks), the roles stored on the request."""
    kind = request.kind_info
    if kind.roles_from_request and request.details.get("approver_roles"):
        return tuple(request.details["approver_roles"])
    return kind.approver_roles


def resolve_approver(kind: registry.Kind, applicant, unit: OrgUnit, roles=None):
    """The person who decides: for each unit from the applicant's up to the root, the
    first holder of the approver roles (in their order) whom separation of duties
    allows; then organisation-wide holders. Returns (assignment) or None."""
    roles = tuple(roles or kind.approver_roles)
    chain = unit.ancestor_ids
    candidates = list(
        RoleAssignment.objects.active()
        .filter(
            organization_id=unit.organization_id,
            role__in=roles,
            person__active=True,
            person__user__is_active=True,
            system__isnull=True,
        )
        .filter(Q(unit_id__in=chain) | Q(unit__isnull=True))
        .select_related("person", "person__unit", "unit")
        .order_by("id")
    )
    role_rank = {code: i for i, code in enumerate(roles)}
    unit_rank = {unit_id: i for i, unit_id in enumerate(chain)}
    candidates.sort(key=lambda a: (unit_rank.get(a.unit_id, len(chain)), role_rank[a.role], a.id))
    for assignment in candidates:
        verdict = sod.check(
            assignment.person, applicant=applicant, audited_unit=unit if kind.audit else None
        )
        if verdict.allowed:
            return assignment
    return None


def _same_person(named, person) -> bool:
    return named is not None and person is not None and named.pk == person.pk


def _named_approver(kind: registry.Kind, request: Request):
    """The subject's own decider, when the kind names one who can act and may decide."""
    if not kind.named_decider:
        return None
    person = kind.named_decider(request)
    if person is None or not person.active or person.user is None or not person.user.is_active:
        return None
    verdict = sod.check(person, applicant=request.applicant)
    return person if verdict.allowed else None


class DeciderVerdict(NamedTuple):
    allowed: bool
    message: str = ""
    citation: str = ""
    separation_of_duties: bool = False


def decider_verdict(person, request: Request) -> DeciderVerdict:
    """Whether `person` may decide `request`: anyone holding, today, one of the kind's
    approver roles over the request's unit, unless separation of duties forbids it.

    Being named as approver at submission is not enough on its own: someone whose
    role has since ended (or whose token does not carry the role) may not decide."""
    kind = request.kind_info
    verdict = sod.check(
        person, applicant=request.applicant, audited_unit=request.unit if kind.audit else None
    )
    if not verdict.allowed:
        message = (
            _("自分の申請を承認・却下することはできません（兼務禁止）。")
            if verdict.code == "self_approval"
            else _("自分が所属する組織単位の監査を行うことはできません（兼務禁止）。")
        )
        return DeciderVerdict(False, message, verdict.citation, True)
    if kind.named_decider and _same_person(kind.named_decider(request), person):
        return DeciderVerdict(True, citation=kind.citation)
    roles = approver_roles(request)
    for assignment in scope.active_assignments(person):
        if assignment.role not in roles or assignment.system_id:
            continue
        if assignment.organization_id != request.organization_id:
            continue
        if assignment.unit_id is None or request.unit.is_within(assignment.unit):
            return DeciderVerdict(True, citation=kind.citation)
    return DeciderVerdict(False, _("この申請を判断する役割を持っていません。"), kind.citation)


# --- creating and editing -------------------------------------------------------------------


def one_line(text: str | None) -> str:
    """A title on one line: line breaks and other control characters become spaces."""
    return " ".join("".join(c if c.isprintable() else " " for c in (text or "")).split())


def _validate_period(kind: registry.Kind, start: date | None, end: date | None) -> None:
    errors = {}
    if kind.requires_period and (start is None or end is None):
        errors["period"] = _("この申請には希望期間（開始日と終了日）が必要です。")
    if start and end and end < start:
        errors["period_end"] = _("終了日は開始日以降にしてください。")
    if start and end and kind.max_period_days and (end - start).days + 1 > kind.max_period_days:
        errors["period_end"] = _("期間は最長%(days)d日までです。") % {"days": kind.max_period_days}
    if errors:
        raise InvalidInput(next(iter(errors.values())), details=errors)


def create(
    applicant,
    *,
    kind: str,
    title: str,
    description: str = "",
    period_start: date | None = None,
    period_end: date | None = None,
    conditions: str = "",
    details: dict | None = None,
    unit: OrgUnit | None = None,
    subject=None,
) -> Request:
    try:
        kind_info = registry.get(kind)
    except registry.UnknownKind:
        raise InvalidInput(
            _("不明な申請の種類です: %(kind)s") % {"kind": kind}, details={"kind": kind}
        ) from None
    title = one_line(title)
    if not title:
        raise InvalidInput(_("件名を入力してください。"), details={"title": "required"})
    unit = unit or applicant.unit
    if unit is None:
        raise InvalidInput(
            _("所属が登録されていないため申請できません。管理者に連絡してください。")
        )
    if unit.organization_id != applicant.organization_id:
        raise Forbidden(_("他の組織の組織単位で申請することはできません。"))
    _validate_period(kind_info, period_start, period_end)
    if kind_info.roles_from_request:
        roles = (details or {}).get("approver_roles") or []
        if not roles or not set(roles) <= set(role_catalogue.catalogue()):
            raise InvalidInput(
                _("許可を与える役割の指定が正しくありません。"), details={"approver_roles": roles}
            )
    with transaction.atomic():
        request = Request.objects.create(
            organization_id=applicant.organization_id,
            unit=unit,
            kind=kind,
            applicant=applicant,
            title=title[:200],
            description=description,
            period_start=period_start,
            period_end=period_end,
            conditions=conditions,
            details=details or {},
            subject=subject,
        )
        _trail(
            "approvals.request.created", applicant, request, {"kind": kind, "title": request.title}
        )
    return request


EDITABLE_FIELDS = ("title", "description", "period_start", "period_end", "conditions", "details")


TEXT_FIELDS = ("description", "conditions")


def update(request: Request, actor, **changes) -> Request:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(
            _("変更できない項目です: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if "title" in changes:
        changes["title"] = one_line(changes["title"])
        if not changes["title"]:
            raise InvalidInput(_("件名を入力してください。"), details={"title": "required"})
    for name in TEXT_FIELDS:
        if name in changes and changes[name] is None:
            changes[name] = ""
    if "details" in changes and not isinstance(changes["details"], dict):
        raise InvalidInput(_("詳細の形式が正しくありません。"), details={"details": "invalid"})
    with transaction.atomic():
        # Checked on the locked row: a decision committed meanwhile wins.
        locked = _lock(request)
        _require_applicant(locked, actor)
        if locked.state not in workflow.EDITABLE_STATES:
            raise InvalidTransition(_("下書き又は差戻しの申請だけを修正できます。"))
        _validate_period(
            locked.kind_info,
            changes.get("period_start", locked.period_start),
            changes.get("period_end", locked.period_end),
        )
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save()
        _trail("approvals.request.updated", actor, locked, {"fields": sorted(changes)})
    return locked


# --- transitions -------------------------------------------------------------------------------


def _lock(request: Request) -> Request:
    return (
        Request.objects.select_for_update().select_related("unit", "applicant").get(pk=request.pk)
    )


def _move(request: Request, action: str) -> str:
    target = workflow.next_state(request.state, action)
    if target is None:
        raise InvalidTransition(
            _("「%(state)s」の申請は「%(action)s」できません。")
            % {"state": State(request.state).label, "action": Action(action).label},
            details={"state": request.state, "action": action},
        )
    return target


def _require_applicant(request: Request, actor) -> None:
    if actor is None or actor.pk != request.applicant_id:
        raise Forbidden(_("この操作は申請者本人だけが行えます。"))


def _trail(action: str, actor, request: Request, data: dict | None = None) -> None:
    record(
        action,
        actor=getattr(actor, "user", None),
        obj=request,
        data=data,
        organization_id=request.organization_id,
    )


def _url(request: Request) -> str:
    return reverse("approvals:detail", args=[request.pk])


def submit(request: Request, actor) -> Request:
    _require_applicant(request, actor)
    with transaction.atomic():
        request = _lock(request)
        target = _move(request, Action.SUBMIT)
        kind = request.kind_info
        _validate_period(kind, request.period_start, request.period_end)
        roles = approver_roles(request)
        named = _named_approver(kind, request)
        assignment = (
            None if named else resolve_approver(kind, request.applicant, request.unit, roles)
        )
        if named is None and assignment is None:
            language = get_language() or "ja"
            raise InvalidInput(
                _("承認者が見つかりません。役割（%(roles)s）の割当てを管理者に確認してください。")
                % {"roles": "、".join(role_catalogue.get(r).label(language) for r in roles)},
                code="no_approver",
            )
        today = timezone.localdate()
        request.state = target
        request.approver = named or assignment.person
        request.approver_role = "decider" if named else assignment.role
        request.submitted_at = timezone.now()
        request.due_date = add_working_days(today, kind.due_working_days)
        request.save()
        _trail(
            "approvals.request.submitted",
            actor,
            request,
            {
                "approver_id": request.approver_id,
                "approver_role": request.approver_role,
                "due_date": request.due_date.isoformat(),
            },
        )
        notify(
            request.approver,
            gettext_noop("申請「%(title)s」の判断を依頼されました（期限 %(due)s）。"),
            {"title": request.title, "due": request.due_date.isoformat()},
            _url(request),
        )
    return request


def decide(request: Request, actor, action: str, reason: str = "") -> Request:
    """Approve, reject, return or revoke, as a decider."""
    if action not in workflow.DECIDER_ACTIONS:
        raise InvalidInput(_("不明な操作です: %(action)s") % {"action": action})
    reason = (reason or "").strip()
    if action in workflow.REASON_REQUIRED and not reason:
        raise InvalidInput(_("理由を入力してください。"), details={"reason": "required"})
    with transaction.atomic():
        request = _lock(request)
        target = _move(request, action)
        verdict = decider_verdict(actor, request)
        if not verdict.allowed:
            raise Forbidden(
                verdict.message,
                code="separation_of_duties" if verdict.separation_of_duties else "forbidden",
                details={"citation": verdict.citation},
            )
        request.state = target
        if action != Action.REVOKE:
            request.decided_by = actor
            request.decided_at = timezone.now()
            request.decision_reason = reason
        request.save()
        _trail(f"approvals.request.{target}", actor, request, {"reason": reason} if reason else {})
        if target == State.APPROVED and request.kind_info.on_approved:
            request.kind_info.on_approved(request)
        notify(
            request.applicant, _DECISION_NOTICES[action], {"title": request.title}, _url(request)
        )
    return request


_DECISION_NOTICES = {
    Action.APPROVE: gettext_noop("申請「%(title)s」が承認されました。"),
    Action.REJECT: gettext_noop("申請「%(title)s」が却下されました。"),
    Action.RETURN: gettext_noop(
        "申請「%(title)s」が差し戻されました。修正して再申請してください。"
    ),
    Action.REVOKE: gettext_noop("申請「%(title)s」の承認が取り消されました。"),
}


def withdraw(request: Request, actor) -> Request:
    _require_applicant(request, actor)
    with transaction.atomic():
        request = _lock(request)
        request.state = _move(request, Action.WITHDRAW)
        request.save()
        _trail("approvals.request.withdrawn", actor, request)
    return request


def close(request: Request, actor) -> Request:
    """The applicant reports the approved activity finished before the period ended."""
    _require_applicant(request, actor)
    with transaction.atomic():
        request = _lock(request)
        request.state = _move(request, Action.CLOSE)
        request.save()
        _trail("approvals.request.closed", actor, request)
    return request


def expire_lapsed(today: date | None = None) -> int:
    """Move approved requests whose period has ended to expired. Run daily."""
    today = today or timezone.localdate()
    count = 0
    lapsed = Request.objects.filter(state=State.APPROVED, period_end__lt=today).values_list(
        "pk", flat=True
    )
    for pk in lapsed:
        with transaction.atomic():
            request = Request.objects.select_for_update().get(pk=pk)
            if request.state != State.APPROVED:
                continue
            request.state = _move(request, Action.EXPIRE)
            request.save()
            _trail(
                "approvals.request.expired",
                None,
                request,
                {"period_end": request.period_end.isoformat()},
            )
            count += 1
    return count


# --- comments and attachments ------------------------------------------------------------------


def can_view(person, request: Request) -> bool:
    return Request.objects.visible_to(person).filter(pk=request.pk).exists()


def add_comment(request: Request, author, body: str) -> Comment:
    body = (body or "").strip()
    if not body:
        raise InvalidInput(_("コメントを入力してください。"), details={"body": "required"})
    if len(body) > 5000:
        raise InvalidInput(
            _("コメントは5000文字以内で入力してください。"), details={"body": "too_long"}
        )
    if not can_view(author, request):
        raise Forbidden(_("この申請にはアクセスできません。"))
    with transaction.atomic():
        comment = Comment.objects.create(request=request, author=author, body=body)
        _trail("approvals.request.commented", author, request, {"comment_id": comment.pk})
    return comment


def _check_may_attach(person, request: Request) -> None:
    """The applicant attaches while the request is editable; a decider while deciding.
    Nothing is added once a request is decided: the record stays as it was decided."""
    if person.pk == request.applicant_id:
        if request.state not in workflow.EDITABLE_STATES:
            raise InvalidTransition(_("下書き又は差戻しの申請にだけ添付できます。"))
        return
    if request.state == State.SUBMITTED and decider_verdict(person, request).allowed:
        return
    raise Forbidden(_("この申請にファイルを添付することはできません。"))


def add_attachment(request: Request, person, upload) -> Attachment:
    """Store an uploaded file. Size and type are checked before anything is written."""
    name = uploads.base_name(upload)
    problem = uploads.refusal(upload)
    if problem == "too_large":
        raise InvalidInput(
            _("ファイルが大きすぎます（上限 %(limit)d MB）。") % {"limit": uploads.limit_mb()},
            code="file_too_large",
            details={
                "attachment": "too_large",
                "size": upload.size,
                "limit": settings.UPLOAD_MAX_BYTES,
            },
        )
    if problem == "type_not_allowed":
        raise InvalidInput(
            _("この種類のファイルは添付できません（可能な形式: %(types)s）。")
            % {"types": uploads.allowed_types()},
            code="file_type_not_allowed",
            details={"attachment": "type_not_allowed", "extension": uploads.extension(name)},
        )
    sha256 = uploads.sha256_of(upload)
    with transaction.atomic():
        request = _lock(request)
        _check_may_attach(person, request)
        attachment = Attachment(
            request=request,
            original_name=name,
            size=upload.size,
            sha256=sha256,
            content_type=(getattr(upload, "content_type", "") or "application/octet-stream")[:100],
            uploaded_by=person,
        )
        # Content-addressed: the same file uploaded twice is stored once.
        stored_as = attachment_path(attachment, name)
        if default_storage.exists(stored_as):
            attachment.file.name = stored_as
        else:
            attachment.file.save(name, upload, save=False)  # streamed, not read into memory
        attachment.save()
        _trail(
            "approvals.request.attached",
            person,
            request,
            {"name": name, "size": upload.size, "sha256": attachment.sha256},
        )
    return attachment
