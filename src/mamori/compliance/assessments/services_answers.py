"""Answering one's own checklist (統一基準(H30) 2.3.1(2)): saving answers (all or nothing,
keeping the checklist's counters and the running answer tally in the same transaction)
and submitting. Same rules as services.py: one function per change, its trail event in
its own transaction."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.compliance.assessments import tally
from mamori.compliance.assessments.models import Checklist, ChecklistItem
from mamori.compliance.assessments.services import _event, _require_open, _require_owner
from mamori.compliance.assessments.workflow import (
    ANSWERS_NEEDING_COMMENT,
    CHECKLIST_TRANSITIONS,
    GIVEN_ANSWERS,
    Answer,
    ChecklistState,
    check,
)
from mamori.errors import InvalidInput, InvalidTransition


def _check_answer(answer: str, comment: str) -> str | None:
    """The problem with one answer, or None."""
    if answer not in GIVEN_ANSWERS and answer != Answer.NONE:
        return _("回答の値が正しくありません。")
    if answer in ANSWERS_NEEDING_COMMENT and not comment:
        return _(
            "「一部実施」「実施していない」と回答する場合は、その内容をコメントに記入してください。"
        )
    return None


def _lock_answerable(checklist: Checklist, actor) -> Checklist:
    _require_owner(checklist, actor)
    checklist = (
        Checklist.objects.select_for_update(of=("self",))
        .select_related("plan")
        .get(pk=checklist.pk)
    )
    _require_open(checklist.plan)
    if checklist.state == ChecklistState.SUBMITTED:
        raise InvalidTransition(_("提出済の自己点検票は変更できません。"))
    return checklist


def answer_item(item: ChecklistItem, actor, *, answer: str, comment: str = "") -> ChecklistItem:
    """One answer to one item of one's own checklist (統一基準(H30) 2.3.1(2))."""
    changed = answer_items(item.checklist, actor, {item.pk: (answer, comment)})
    if changed:
        item.refresh_from_db()
    return item


def answer_items(checklist: Checklist, actor, answers: dict[int, tuple[str, str]]) -> int:
    """Save several answers of one's own checklist at once (the whole form); nothing is
    saved if any answer is invalid (details["items"] maps item id → message). Returns how
    many items changed."""
    _require_owner(checklist, actor)
    cleaned: dict[int, tuple[str, str]] = {}
    problems: dict[str, str] = {}
    for item_id, (answer, comment) in answers.items():
        answer, comment = (answer or "").strip(), (comment or "").strip()
        problem = _check_answer(answer, comment)
        if problem:
            problems[str(item_id)] = problem
        cleaned[int(item_id)] = (answer, comment)
    if problems:
        raise InvalidInput(
            _("回答に誤りがある項目が%(count)d件あります。") % {"count": len(problems)},
            details={"items": problems},
        )
    with transaction.atomic():
        checklist = _lock_answerable(checklist, actor)
        items = {
            item.pk: item
            for item in ChecklistItem.objects.filter(checklist=checklist, pk__in=list(cleaned))
        }
        missing = sorted(set(cleaned) - set(items))
        if missing:
            raise InvalidInput(
                _("この自己点検票にない項目が指定されました。"),
                details={"items": {str(i): "" for i in missing}},
            )
        now = timezone.now()
        changed = []
        moves = []  # (rulebook, requirement id, old answer, new answer) for the tally
        delta = 0
        for item_id, (answer, comment) in cleaned.items():
            item = items[item_id]
            if item.answer == answer and item.comment == comment:
                continue
            delta += bool(answer) - bool(item.answer)
            moves.append((item.rulebook, item.requirement_id, item.answer, answer))
            item.answer, item.comment = answer, comment
            item.answered_at = now if answer else None
            changed.append(item)
        if not changed:
            return 0
        ChecklistItem.objects.bulk_update(changed, ["answer", "comment", "answered_at"])
        tally.apply_changes(checklist.plan_id, checklist.unit_id, moves)
        checklist.answered_count += delta
        if checklist.state == ChecklistState.DISTRIBUTED:
            checklist.state = ChecklistState.IN_PROGRESS
        checklist.save(update_fields=["answered_count", "state"])
        _event(
            "checklist.answered",
            actor,
            checklist,
            {
                "changed": len(changed),
                "answered": checklist.answered_count,
                "items": checklist.item_count,
                "answers": {f"{i.rulebook}:{i.requirement_id}": i.answer for i in changed},
            },
            checklist.plan.organization_id,
        )
    return len(changed)


def submit_checklist(checklist: Checklist, actor) -> Checklist:
    """Submit one's own checklist once every item is answered."""
    with transaction.atomic():
        checklist = _lock_answerable(checklist, actor)
        unanswered = ChecklistItem.objects.filter(checklist=checklist, answer=Answer.NONE).count()
        if unanswered:
            raise InvalidInput(
                _("未回答の項目が%(count)d件あります。すべての項目に回答してから提出してください。")
                % {"count": unanswered},
                details={"unanswered": unanswered},
            )
        check(CHECKLIST_TRANSITIONS, ChecklistState, checklist.state, ChecklistState.SUBMITTED)
        checklist.state = ChecklistState.SUBMITTED
        checklist.submitted_at = timezone.now()
        checklist.answered_count = checklist.item_count
        checklist.save(update_fields=["state", "submitted_at", "answered_count"])
        summary = dict(
            ChecklistItem.objects.filter(checklist=checklist)
            .values_list("answer")
            .annotate(n=Count("pk"))
            .values_list("answer", "n")
        )
        _event(
            "checklist.submitted",
            actor,
            checklist,
            {"items": checklist.item_count, "answers": summary},
            checklist.plan.organization_id,
        )
    return checklist
