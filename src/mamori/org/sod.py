"""The one place that answers "may this person decide this request?" for every module."""

from __future__ import annotations

from mamori.org import scope
from mamori.rules.separation import Verdict, may_decide


def check(decider, *, applicant, audited_unit=None) -> Verdict:
    """Separation of duties for `decider` (a Person) against an application by `applicant`.

    `audited_unit` is given for audits: the decider must not belong to it."""
    return may_decide(
        decider_id=decider.pk,
        applicant_id=applicant.pk,
        decider_unit_paths=scope.unit_paths(decider),
        audited_unit_path=audited_unit.path if audited_unit is not None else None,
    )
