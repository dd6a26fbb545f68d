"""The CISO's improvement instructions and the officers' improvement plans (統一基準(H30)
2.3.2(3)): one function per state change, one transaction, one trail event."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mamori.compliance.audits import rules, workflow
from mamori.compliance.audits.models import (
    Audit,
    Finding,
    FindingState,
    ImprovementItem,
    ImprovementPlan,
)
from mamori.compliance.audits.services import _trail, holders
from mamori.compliance.audits.workflow import AuditState, PlanState
from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.notices.services import notify
from mamori.org import scope
from mamori.org.models import Person, RoleAssignment
from mamori.rules.deadlines import reminder_dates


def plan_url(plan: ImprovementPlan) -> str:
    return reverse("audits:plan", args=[plan.pk])


def resolve_officer(organization_id: int, unit) -> tuple[Person, object]:
    """The 情報セキュリティ責任者 whose scope covers `unit` (the closest one), and the unit
    of their scope (None for one appointed for the whole organisation)."""
    assignments = list(
        RoleAssignment.objects.active()
        .filter(organization_id=organization_id, role="isec_officer", person__active=True)
        .select_related("person", "unit")
        .order_by("pk")
    )
    scoped = {a.unit.path: a for a in assignments if a.unit_id}
    best = rules.most_specific_path(scoped, unit.path)
    if best is not None:
        return scoped[best].person, scoped[best].unit
    wide = [a for a in assignments if a.unit_id is None and a.system_id is None]
    if wide:
        return wide[0].person, None
    raise InvalidInput(
        _("「%(unit)s」を担当する情報セキュリティ責任者が登録されていません。") % {"unit": unit},
        details={"unit": unit.pk},
    )


def issue_instructions(
    audit: Audit, person, *, instruction: str, due_date: date, findings=None
) -> list[ImprovementPlan]:
    """The CISO instructs improvement on the report's findings (統一基準(H30) 2.3.2(3)(a)):
    cross-cutting ones to the 統括情報セキュリティ責任者 ((3)(b)), the others to the
    情報セキュリティ責任者 whose scope covers the finding's unit ((3)(c)). One plan per
    officer; each officer is notified."""
    if not scope.has_role(person, "ciso") or person.organization_id != audit.organization_id:
        raise Forbidden(
            _("改善の指示は最高情報セキュリティ責任者が行います（%(clause)s）。")
            % {"clause": rules.INSTRUCTION_CLAUSE}
        )
    instruction = (instruction or "").strip()
    if not instruction:
        raise InvalidInput(_("指示の内容を書いてください。"), details={"instruction": ""})
    if due_date < timezone.localdate():
        raise InvalidInput(
            _("報告期限は今日以降の日付にしてください。"), details={"due_date": str(due_date)}
        )
    plans = []
    with transaction.atomic():
        # Locked, so that two instructions at once cannot split the same findings.
        audit = Audit.objects.select_for_update().get(pk=audit.pk)
        if audit.state != AuditState.REPORTED:
            raise InvalidInput(
                _("監査報告書の提出後に改善を指示できます。"), details={"state": audit.state}
            )
        groups = _route(audit, findings)
        for (officer, unit, cross), members in groups.items():
            plan = ImprovementPlan.objects.create(
                audit=audit,
                cross_cutting=cross,
                unit=unit,
                officer=officer,
                instruction=instruction,
                instructed_by=person,
                due_date=due_date,
            )
            Finding.objects.filter(pk__in=[f.pk for f in members]).update(
                plan=plan, state=FindingState.INSTRUCTED
            )
            _trail(
                "audits.plan.instructed",
                person,
                audit,
                {
                    "plan": plan.pk,
                    "officer": officer.pk,
                    "cross_cutting": cross,
                    "findings": [f.number for f in members],
                },
                obj=plan,
            )
            notify(
                officer,
                gettext_noop(
                    "監査 %(number)s の指摘事項 %(count)s件について、改善計画の策定を指示されました"
                    "（報告期限 %(due)s）。"
                ),
                {"number": audit.number, "count": len(members), "due": due_date.isoformat()},
                url=plan_url(plan),
            )
            plans.append(plan)
    return plans


def _route(audit: Audit, findings) -> dict[tuple, list[Finding]]:
    """The audit's findings awaiting instruction, grouped by the officer who answers for
    them: the 統括 for cross-cutting ones ((3)(b)), the closest unit officer otherwise."""
    pending = audit.findings.filter(state=FindingState.OPEN).select_related("unit")
    if findings is not None:
        pending = pending.filter(pk__in=[f.pk if hasattr(f, "pk") else f for f in findings])
    pending = list(pending)
    if not pending:
        raise InvalidInput(_("改善を指示する指摘事項がありません。"), details={"findings": []})
    groups: dict[tuple, list[Finding]] = {}
    for finding in pending:
        if finding.cross_cutting or finding.unit is None:
            chiefs = holders(audit.organization_id, "chief_isec_officer")
            if not chiefs:
                raise InvalidInput(
                    _("統括情報セキュリティ責任者が登録されていません。"), details={}
                )
            key = (chiefs[0], None, True)
        else:
            officer, unit = resolve_officer(audit.organization_id, finding.unit)
            key = (officer, unit, False)
        groups.setdefault(key, []).append(finding)
    return groups


def _require_officer(plan: ImprovementPlan, person) -> None:
    if person.pk != plan.officer_id:
        raise Forbidden(_("改善計画を編集できるのは指示を受けた責任者です。"))
    if plan.state == PlanState.CLOSED:
        raise InvalidInput(_("完了した改善計画は変更できません。"), details={"state": plan.state})


def add_item(
    plan: ImprovementPlan, person, *, measure: str, owner, due_date: date, finding=None
) -> ImprovementItem:
    """One measure of the plan, with its owner and due date. Measures are added while
    the plan is being drawn up; once reported, the CISO returns it for changes."""
    _require_officer(plan, person)
    if plan.state != PlanState.INSTRUCTED:
        raise InvalidInput(
            _("報告済みの改善計画には改善措置を追加できません（差戻し後に追加できます）。"),
            details={"state": plan.state},
        )
    if due_date < timezone.localdate():
        raise InvalidInput(
            _("期限は今日以降の日付にしてください。"), details={"due_date": str(due_date)}
        )
    measure = (measure or "").strip()
    if not measure:
        raise InvalidInput(_("改善措置の内容を書いてください。"), details={"measure": ""})
    if owner.organization_id != plan.audit.organization_id:
        raise InvalidInput(_("担当者は同じ組織の職員等から選んでください。"), details={})
    if finding is not None and finding.plan_id != plan.pk:
        raise InvalidInput(
            _("この改善計画の指摘事項を選んでください。"), details={"finding": finding.pk}
        )
    with transaction.atomic():
        item = ImprovementItem.objects.create(
            plan=plan, finding=finding, measure=measure, owner=owner, due_date=due_date
        )
        _trail(
            "audits.item.added",
            person,
            plan.audit,
            {"plan": plan.pk, "item": item.pk, "due_date": due_date.isoformat()},
            obj=plan,
        )
        if owner.pk != person.pk:
            notify(
                owner,
                gettext_noop("改善措置の担当になりました（期限 %(due)s）: %(measure)s"),
                {"due": due_date.isoformat(), "measure": measure[:80]},
                url=plan_url(plan),
            )
    return item


def complete_item(item: ImprovementItem, person, *, result: str) -> ImprovementItem:
    """Mark a measure done with its result (措置結果)."""
    plan = item.plan
    if person.pk not in (item.owner_id, plan.officer_id):
        raise Forbidden(_("改善措置を完了にできるのは担当者又は指示を受けた責任者です。"))
    if plan.state == PlanState.CLOSED:
        raise InvalidInput(_("完了した改善計画は変更できません。"), details={"state": plan.state})
    result = (result or "").strip()
    if not result:
        raise InvalidInput(_("措置結果を書いてください。"), details={"result": ""})
    with transaction.atomic():
        item = ImprovementItem.objects.select_for_update().select_related("plan").get(pk=item.pk)
        if item.done_at is not None:
            raise InvalidTransition(_("この改善措置は完了済みです。"), details={"item": item.pk})
        item.done_at = timezone.now()
        item.result = result
        item.save(update_fields=["done_at", "result"])
        _trail(
            "audits.item.done",
            person,
            plan.audit,
            {"plan": plan.pk, "item": item.pk},
            obj=plan,
        )
    return item


def report_plan(plan: ImprovementPlan, person, *, summary: str) -> ImprovementPlan:
    """The plan and its results so far, reported to the CISO (2.3.2(3)(b)(c))."""
    _require_officer(plan, person)
    summary = (summary or "").strip()
    if not summary:
        raise InvalidInput(_("改善計画の概要を書いてください。"), details={"summary": ""})
    if not plan.items.exists():
        raise InvalidInput(_("改善措置を1件以上登録してください。"), details={"items": 0})
    with transaction.atomic():
        plan = ImprovementPlan.objects.select_for_update().get(pk=plan.pk)
        workflow.check_plan(plan.state, PlanState.REPORTED)
        plan.state = PlanState.REPORTED
        plan.summary = summary
        plan.reported_at = timezone.now()
        plan.save()
        open_items = plan.items.filter(done_at__isnull=True).count()
        _trail(
            "audits.plan.reported",
            person,
            plan.audit,
            {"plan": plan.pk, "open": open_items},
            obj=plan,
        )
        for ciso in holders(plan.audit.organization_id, "ciso"):
            notify(
                ciso,
                gettext_noop(
                    "監査 %(number)s の改善計画と措置結果が報告されました（%(officer)s、"
                    "未完了 %(open)s件）。"
                ),
                {"number": plan.audit.number, "officer": str(plan.officer), "open": open_items},
                url=plan_url(plan),
            )
    return plan


def _require_ciso(plan: ImprovementPlan, person) -> None:
    if not scope.has_role(person, "ciso") or person.organization_id != plan.audit.organization_id:
        raise Forbidden(_("この操作は最高情報セキュリティ責任者が行います。"))


def return_plan(plan: ImprovementPlan, person, *, note: str = "") -> ImprovementPlan:
    """The CISO asks for more: the plan goes back to its officer."""
    _require_ciso(plan, person)
    with transaction.atomic():
        plan = ImprovementPlan.objects.select_for_update().get(pk=plan.pk)
        workflow.check_plan(plan.state, PlanState.INSTRUCTED)
        plan.state = PlanState.INSTRUCTED
        plan.save(update_fields=["state"])
        _trail(
            "audits.plan.returned", person, plan.audit, {"plan": plan.pk, "note": note}, obj=plan
        )
        notify(
            plan.officer,
            gettext_noop("監査 %(number)s の改善計画が差し戻されました: %(note)s"),
            {"number": plan.audit.number, "note": note[:200]},
            url=plan_url(plan),
        )
    return plan


def close_plan(plan: ImprovementPlan, person) -> ImprovementPlan:
    """The CISO closes a plan once every measure is done: never with an open item."""
    _require_ciso(plan, person)
    with transaction.atomic():
        plan = ImprovementPlan.objects.select_for_update().get(pk=plan.pk)
        open_items = plan.items.filter(done_at__isnull=True).count()
        if open_items:
            raise InvalidTransition(
                _("未完了の改善措置が%(count)d件あるため、改善計画を完了にできません。")
                % {"count": open_items},
                details={"open_items": open_items},
            )
        if not plan.items.exists():
            raise InvalidTransition(
                _("改善措置が登録されていない改善計画は完了にできません。"),
                details={"open_items": 0},
            )
        if plan.state == PlanState.INSTRUCTED:
            raise InvalidTransition(
                _("改善計画と措置結果の報告を受けてから完了にできます。"),
                details={"from": plan.state, "to": PlanState.CLOSED},
            )
        workflow.check_plan(plan.state, PlanState.CLOSED)
        plan.state = PlanState.CLOSED
        plan.closed_at = timezone.now()
        plan.save(update_fields=["state", "closed_at"])
        plan.findings.update(state=FindingState.RESOLVED)
        _trail("audits.plan.closed", person, plan.audit, {"plan": plan.pk}, obj=plan)
        notify(
            plan.officer,
            gettext_noop("監査 %(number)s の改善計画が完了となりました。"),
            {"number": plan.audit.number},
            url=plan_url(plan),
        )
    return plan


def _due_or_overdue(due: date, today: date) -> bool:
    return due < today or today in reminder_dates(due)


def _remind_plans(today: date) -> int:
    """Officers whose plan and results are not yet reported, as its due date nears."""
    plans = (
        ImprovementPlan.objects.filter(state=PlanState.INSTRUCTED)
        .exclude(last_reminded_on=today)
        .select_related("audit", "officer")
    )
    sent = 0
    for plan in plans.iterator():
        if not _due_or_overdue(plan.due_date, today):
            continue
        with transaction.atomic():
            notify(
                plan.officer,
                gettext_noop(
                    "監査 %(number)s の改善計画と措置結果の報告期限（%(due)s）が近づいています、"
                    "又は過ぎています。"
                ),
                {"number": plan.audit.number, "due": plan.due_date.isoformat()},
                url=plan_url(plan),
            )
            ImprovementPlan.objects.filter(pk=plan.pk).update(last_reminded_on=today)
            _trail(
                "audits.plan.reminded",
                None,
                plan.audit,
                {"plan": plan.pk, "due_date": plan.due_date.isoformat()},
                obj=plan,
            )
        sent += 1
    return sent


def send_reminders(today: date | None = None) -> int:
    """Remind owners (and the plan's officer) of open measures due in 7 days, tomorrow,
    or overdue, and officers of plans not yet reported likewise; at most once a day
    each. Returns the number of measures and plans reminded."""
    today = today or timezone.localdate()
    items = (
        ImprovementItem.objects.open()
        .exclude(plan__state=PlanState.CLOSED)
        .exclude(last_reminded_on=today)
        .select_related("plan__audit", "owner", "plan__officer")
    )
    sent = 0
    for item in items.iterator():
        if not _due_or_overdue(item.due_date, today):
            continue
        with transaction.atomic():
            recipients = {item.owner, item.plan.officer}
            for recipient in recipients:
                notify(
                    recipient,
                    gettext_noop(
                        "改善措置の期限（%(due)s）が近づいています、又は過ぎています: %(measure)s"
                    ),
                    {"due": item.due_date.isoformat(), "measure": item.measure[:80]},
                    url=plan_url(item.plan),
                )
            ImprovementItem.objects.filter(pk=item.pk).update(last_reminded_on=today)
            _trail(
                "audits.item.reminded",
                None,
                item.plan.audit,
                {"item": item.pk, "due_date": item.due_date.isoformat()},
                obj=item.plan,
            )
        sent += 1
    return sent + _remind_plans(today)
