"""The request state machine: the only moves a request can make."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("下書き")
    SUBMITTED = "submitted", _("申請中")
    RETURNED = "returned", _("差戻し")
    APPROVED = "approved", _("承認")
    REJECTED = "rejected", _("却下")
    EXPIRED = "expired", _("期限切れ")
    REVOKED = "revoked", _("取消し")
    CLOSED = "closed", _("終了")
    WITHDRAWN = "withdrawn", _("取下げ")


class Action(models.TextChoices):
    SUBMIT = "submit", _("申請する")
    WITHDRAW = "withdraw", _("取り下げる")
    APPROVE = "approve", _("承認する")
    REJECT = "reject", _("却下する")
    RETURN = "return", _("差し戻す")
    EXPIRE = "expire", _("期限切れにする")
    REVOKE = "revoke", _("取り消す")
    CLOSE = "close", _("終了する")


# (from state, action) -> to state
TRANSITIONS: dict[tuple[str, str], str] = {
    (State.DRAFT, Action.SUBMIT): State.SUBMITTED,
    (State.DRAFT, Action.WITHDRAW): State.WITHDRAWN,
    (State.RETURNED, Action.SUBMIT): State.SUBMITTED,
    (State.RETURNED, Action.WITHDRAW): State.WITHDRAWN,
    (State.SUBMITTED, Action.WITHDRAW): State.WITHDRAWN,
    (State.SUBMITTED, Action.APPROVE): State.APPROVED,
    (State.SUBMITTED, Action.REJECT): State.REJECTED,
    (State.SUBMITTED, Action.RETURN): State.RETURNED,
    (State.APPROVED, Action.EXPIRE): State.EXPIRED,
    (State.APPROVED, Action.REVOKE): State.REVOKED,
    (State.APPROVED, Action.CLOSE): State.CLOSED,
}

# Who performs each action: the applicant, or a decider (approver role in scope).
APPLICANT_ACTIONS = {Action.SUBMIT, Action.WITHDRAW, Action.CLOSE}
DECIDER_ACTIONS = {Action.APPROVE, Action.REJECT, Action.RETURN, Action.REVOKE}
SYSTEM_ACTIONS = {Action.EXPIRE}
# A decision that refuses or takes back needs a stated reason.
REASON_REQUIRED = {Action.REJECT, Action.RETURN, Action.REVOKE}
EDITABLE_STATES = {State.DRAFT, State.RETURNED}


def next_state(state: str, action: str) -> str | None:
    return TRANSITIONS.get((state, action))


def actions_from(state: str) -> list[str]:
    return [action for (source, action) in TRANSITIONS if source == state]
