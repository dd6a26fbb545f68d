"""Every change to a 適用除外: one function per state change, trail event in the same
transaction. The decision itself goes through mamori.approvals.services.decide, so the
情報保証統括責任者 decides and an applicant never decides their own application."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from mamori.approvals import services as approvals
from mamori.approvals.workflow import Action
from mamori.errors import Forbidden, InvalidInput
from mamori.org import scope
from mamori.rules import requirements
from mamori.systems.exemption_kinds import KIND_CODE
from mamori.systems.exemptions import APPLICANT_ROLES, VIEWER_ROLES, Exemption
from mamori.systems.models import InformationSystem
from mamori.trail.services import record as trail

MOD = "mod"


def mod_catalog():
    """The 防衛省通達 catalog in force (the agency's imported one when present)."""
    try:
        from mamori.compliance.catalogs import effective_catalog
    except ImportError:
        effective_catalog = None
    found = effective_catalog(MOD) if effective_catalog else None
    return found if found is not None else requirements.load_all()[MOD]


def clause_choices() -> list[tuple[str, str]]:
    """The clauses that may be named: those of the catalog with text of their own."""
    return [
        (entry.id, f"{entry.id} {' '.join(entry.text.split())[:50]}")
        for entry in mod_catalog().entries
        if entry.text and not entry.abbreviated
    ]


def _check_clauses(clauses, field: str = "clauses") -> list[str]:
    catalog = mod_catalog()
    clauses = list(dict.fromkeys(c.strip() for c in clauses or [] if c and c.strip()))
    if not clauses:
        raise InvalidInput(
            _("訓令の該当箇所を一つ以上選んでください。"), details={field: "required"}
        )
    unknown = [
        c
        for c in clauses
        if c not in catalog or not catalog.get(c).text or catalog.get(c).abbreviated
    ]
    if unknown:
        raise InvalidInput(
            _("防衛省通達にない箇所です: %(ids)s") % {"ids": "、".join(unknown)},
            details={field: "unknown"},
        )
    return clauses


def _require_text(values: dict) -> None:
    for name, value in values.items():
        if not (value or "").strip():
            raise InvalidInput(_("この項目を入力してください。"), details={name: "required"})


def applicant_role(person, system: InformationSystem) -> str | None:
    """The role under which `person` may apply for `system`: 第1の3(1) has the
    情報保証責任者 apply, for the organisation or for the unit that owns the system.
    None when they may not."""
    for assignment in scope.active_assignments(person):
        if assignment.organization_id != system.organization_id:
            continue
        if assignment.role in APPLICANT_ROLES and not assignment.system_id:
            if assignment.unit_id is None:
                return assignment.role
            if system.owner_unit_id is None or system.owner_unit.is_within(assignment.unit):
                return assignment.role
    return None


def applicable_systems(person):
    systems = InformationSystem.objects.filter(
        organization_id=person.organization_id
    ).select_related("owner_unit")
    return [s for s in systems if applicant_role(person, s)]


def may_use(person) -> bool:
    """The pages are for organisations that follow the 防衛省 rulebook and for holders
    of the 情報保証 roles that file, decide or oversee applications."""
    return person.organization.follows(MOD) and scope.has_role(person, *VIEWER_ROLES)


def _validated(
    applicant,
    *,
    system: InformationSystem,
    clauses: list[str],
    period_start: date,
    period_end: date,
    measures: str,
    impact: str,
    end_report_method: str,
    reason: str,
) -> dict:
    """The seven items checked and stripped, with the role the applicant files under."""
    if not applicant.organization.follows(MOD):
        raise Forbidden(_("この組織は防衛省通達を適用していないため、適用除外は申請できません。"))
    if system.organization_id != applicant.organization_id:
        raise Forbidden(_("他の組織の情報システムは指定できません。"))
    role = applicant_role(applicant, system)
    if role is None:
        raise Forbidden(_("この情報システムの適用除外を申請できるのは、その情報保証責任者です。"))
    clauses = _check_clauses(clauses)
    if period_start is None or period_end is None:
        raise InvalidInput(
            _("期間（開始日と終了日）を入力してください。"), details={"period_end": "required"}
        )
    if period_end < period_start:
        raise InvalidInput(_("終了日は開始日以降にしてください。"), details={"period_end": "order"})
    texts = {
        "measures": measures,
        "impact": impact,
        "end_report_method": end_report_method,
        "reason": reason,
    }
    _require_text(texts)
    return {
        "applicant_role": role,
        "system": system,
        "clauses": clauses,
        "period_start": period_start,
        "period_end": period_end,
        **{name: value.strip() for name, value in texts.items()},
    }


def _request_fields(items: dict) -> dict:
    """The approvals.Request fields of an application: all seven items are in its text,
    so the decider may also read it on the approvals page."""
    return {
        "title": str(_("適用除外申請: %(system)s") % {"system": items["system"].name}),
        "description": describe(items),
        "conditions": items["measures"],
        "period_start": items["period_start"],
        "period_end": items["period_end"],
        "details": {"system_id": items["system"].pk, "clauses": items["clauses"]},
    }


def apply(applicant, *, submit: bool = True, **items) -> Exemption:
    """The 適用除外申請書 (第1の3(1) ①–⑦: system, clauses, period_start/period_end,
    measures, impact, end_report_method, reason), submitted to the 情報保証統括責任者."""
    values = _validated(applicant, **items)
    with transaction.atomic():
        request = approvals.create(applicant, kind=KIND_CODE, **_request_fields(values))
        exemption = Exemption.objects.create(
            organization_id=applicant.organization_id,
            request=request,
            unit_id=request.unit_id,
            applicant=applicant,
            **values,
        )
        _event(
            "systems.exemption.applied",
            applicant,
            exemption,
            {
                "system_id": exemption.system_id,
                "clauses": exemption.clauses,
                "request_id": request.pk,
            },
        )
        if submit:
            exemption.request = approvals.submit(request, applicant)
    return exemption


def revise(exemption: Exemption, applicant, *, submit: bool = False, **items) -> Exemption:
    """The applicant corrects a draft or returned application (and may resubmit it):
    the seven items and the request the decider reads change together."""
    values = _validated(applicant, **items)
    with transaction.atomic():
        exemption = Exemption.objects.select_for_update().get(pk=exemption.pk)
        if exemption.applicant_id != applicant.pk:
            raise Forbidden(_("この操作は申請者本人だけが行えます。"))
        for name, value in values.items():
            setattr(exemption, name, value)
        exemption.save()
        # approvals.update checks, on the locked row, that the request is still editable.
        request = approvals.update(exemption.request, applicant, **_request_fields(values))
        _event(
            "systems.exemption.revised",
            applicant,
            exemption,
            {"system_id": exemption.system_id, "clauses": exemption.clauses},
        )
        if submit:
            request = approvals.submit(request, applicant)
        exemption.request = request
    return exemption


def describe(items) -> str:
    """The application as text, always in Japanese (the language of the form), so that
    the same items always give the same text. `items`: an Exemption or a dict."""
    get = items.get if isinstance(items, dict) else lambda name: getattr(items, name)
    with translation.override("ja"):
        lines = [
            (_("① 適用除外を申請する情報システムの名称"), get("system").name),
            (_("② 適用除外とする訓令の該当箇所"), "、".join(get("clauses"))),
            (
                _("③ 適用除外とする期間"),
                f"{get('period_start'):%Y-%m-%d} 〜 {get('period_end'):%Y-%m-%d}",
            ),
            (_("④ 適用除外とする措置内容（講ずる代替手段等）"), get("measures")),
            (_("⑤ 適用除外とすることにより生じる情報保証上の影響と対処方法"), get("impact")),
            (_("⑥ 適用除外を終了した旨の報告方法"), get("end_report_method")),
            (_("⑦ 適用除外を申請する理由"), get("reason")),
        ]
        return "\n\n".join(f"{label}:\n{value}" for label, value in lines)


def decide(
    exemption: Exemption,
    actor,
    *,
    grant: bool,
    reason: str,
    clauses: list[str] | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
    measures: str = "",
    end_report_method: str = "",
) -> Exemption:
    """The 情報保証統括責任者 grants or refuses (第1の3(2)); the notice follows from it.
    Granting states what is permitted (③–⑥): at most the clauses and period applied for."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            _("許可又は不許可の理由を入力してください。"), details={"reason": "required"}
        )
    with transaction.atomic():
        exemption = (
            Exemption.objects.select_for_update().select_related("request").get(pk=exemption.pk)
        )
        # Who decides is checked before what is permitted: someone who may not decide
        # learns nothing about the application from validation messages.
        verdict = approvals.decider_verdict(actor, exemption.request)
        if not verdict.allowed:
            raise Forbidden(
                verdict.message,
                code="separation_of_duties" if verdict.separation_of_duties else "forbidden",
                details={"citation": verdict.citation},
            )
        if grant:
            clauses = _check_clauses(clauses, "granted_clauses")
            outside = [c for c in clauses if c not in exemption.clauses]
            if outside:
                raise InvalidInput(
                    _("申請されていない箇所は許可できません: %(ids)s")
                    % {"ids": "、".join(outside)},
                    details={"granted_clauses": "not_applied"},
                )
            if period_start is None or period_end is None or period_end < period_start:
                raise InvalidInput(
                    _("許可する期間（開始日と終了日）を正しく入力してください。"),
                    details={"granted_period_end": "invalid"},
                )
            if period_start < exemption.period_start or period_end > exemption.period_end:
                raise InvalidInput(
                    _("許可する期間は申請された期間の範囲内にしてください。"),
                    details={"granted_period_end": "outside"},
                )
            _require_text(
                {"granted_measures": measures, "granted_end_report_method": end_report_method}
            )
            exemption.granted_clauses = clauses
            exemption.granted_period_start = period_start
            exemption.granted_period_end = period_end
            exemption.granted_measures = measures.strip()
            exemption.granted_end_report_method = end_report_method.strip()
            exemption.save()
        approvals.decide(
            exemption.request, actor, Action.APPROVE if grant else Action.REJECT, reason
        )
        _event(
            "systems.exemption.granted" if grant else "systems.exemption.refused",
            actor,
            exemption,
            {
                "clauses": exemption.granted_clauses if grant else [],
                "period_end": exemption.granted_period_end.isoformat() if grant else None,
            },
        )
    return exemption


def fill_permitted(request) -> None:
    """On approval (also from the approvals page): what was not stated as permitted is
    what was applied for."""
    exemption = Exemption.objects.select_for_update().get(request=request)
    changed = False
    for granted, applied in (
        ("granted_clauses", "clauses"),
        ("granted_period_start", "period_start"),
        ("granted_period_end", "period_end"),
        ("granted_measures", "measures"),
        ("granted_end_report_method", "end_report_method"),
    ):
        if not getattr(exemption, granted):
            setattr(exemption, granted, getattr(exemption, applied))
            changed = True
    if changed:
        exemption.save()


def _event(action: str, actor, exemption: Exemption, data: dict) -> None:
    trail(
        action,
        actor=getattr(actor, "user", None),
        obj=exemption,
        data=data,
        organization_id=exemption.organization_id,
    )


def detail_url(exemption: Exemption) -> str:
    return reverse("systems:exemption_detail", args=[exemption.pk])
