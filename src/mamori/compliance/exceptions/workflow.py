"""The ledger entry's state machine: the only moves an exception can make once granted.
(The request before it moves along mamori.approvals.workflow.)"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mamori.compliance.exceptions.models import RecordState
from mamori.errors import InvalidTransition


class Move(models.TextChoices):
    END = "end", _("終了報告")
    EXPIRE = "expire", _("期限切れ")
    REVOKE = "revoke", _("取消し")


# (from state, move) -> to state
TRANSITIONS: dict[tuple[str, str], str] = {
    (RecordState.ACTIVE, Move.END): RecordState.ENDED,
    # An exception past its end without a report may still be reported ended (2.2.2(2)).
    (RecordState.EXPIRED, Move.END): RecordState.ENDED,
    (RecordState.ACTIVE, Move.EXPIRE): RecordState.EXPIRED,
    (RecordState.ACTIVE, Move.REVOKE): RecordState.REVOKED,
}


def next_state(state: str, move: str) -> str | None:
    return TRANSITIONS.get((state, move))


def allowed(state: str, move: str) -> bool:
    return next_state(state, move) is not None


def move(record, move: str) -> str:
    """The state `record` goes to by `move`, or InvalidTransition with a translated message."""
    target = next_state(record.state, move)
    if target is None:
        raise InvalidTransition(
            _("「%(state)s」の例外措置には「%(move)s」できません。")
            % {"state": RecordState(record.state).label, "move": Move(move).label},
            details={"state": record.state, "move": move},
        )
    return target
