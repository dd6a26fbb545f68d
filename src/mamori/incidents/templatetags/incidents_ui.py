"""Template filters for catalogue codes: labels in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from mamori.incidents import labels

register = template.Library()


def _en() -> bool:
    return (get_language() or "ja").startswith("en")


@register.filter
def party(code: str) -> str:
    return labels.party_or_role_label(code)


@register.filter
def kind_label(code: str) -> str:
    return labels.kind_label(code)


@register.filter
def lang(obj, prefix: str) -> str:
    """{{ step|lang:"text" }} → step.text_en in English, step.text_ja otherwise."""
    suffix = "en" if _en() else "ja"
    return getattr(obj, f"{prefix}_{suffix}", "") or getattr(obj, f"{prefix}_ja", "")


@register.filter
def due_rule(rule: str) -> str:
    """ "promptly", "hours:24", "business_days:3" → words."""
    kind, _sep, amount = (rule or "").partition(":")
    if kind == "immediate":
        return _("直ちに")
    if kind == "promptly":
        return _("速やかに")
    if kind == "hours":
        return _("%(n)s時間以内") % {"n": amount}
    if kind == "days":
        return _("%(n)s日以内") % {"n": amount}
    if kind == "none":
        return _("期限の定めなし")
    if kind == "business_days":
        return _("%(n)s業務日以内") % {"n": amount}
    return rule or ""


TIMELINE_LABELS = {
    "reported": _lazy("報告"),
    "evidence": _lazy("証拠ファイル"),
    "attachment_refused": _lazy("添付ファイルを受け付けず"),
    "triaged": _lazy("初動判断"),
    "status": _lazy("状態の変更"),
    "handler": _lazy("担当者の変更"),
    "task": _lazy("作業の割当て"),
    "task_done": _lazy("作業の完了"),
    "note": _lazy("記録"),
    "containment": _lazy("封じ込め措置"),
    "analysis": _lazy("影響・原因・再発防止策の更新"),
    "shared": _lazy("再発防止策の共有"),
    "chain_added": _lazy("必要な報告の追加"),
    "chain_cancelled": _lazy("不要になった報告の取消"),
    "chain_restored": _lazy("報告の再開"),
    "chain_sent": _lazy("報告の送付"),
    "chain_acknowledged": _lazy("報告の受領確認"),
}


@register.filter
def timeline_label(kind: str) -> str:
    return str(TIMELINE_LABELS.get(kind, kind))


@register.filter
def status_label(code: str) -> str:
    from mamori.incidents.workflow import Status

    try:
        return str(Status(code).label)
    except ValueError:
        return code
