"""Separation of duties (統一基準 2.1.1 兼務を禁止する役割). Pure: works on ids and unit paths.

Unit paths are the slash-separated id chains of org.OrgUnit ("/3/7/12/"), so
"within" is a prefix test.
"""

from __future__ import annotations

from dataclasses import dataclass

from mamori.rules.refs import TOITSU_H30, cite

SELF_APPROVAL = cite(TOITSU_H30, "2.1.1(8)(a)(ア)")
OWN_AUDIT = cite(TOITSU_H30, "2.1.1(8)(a)(イ)")


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    code: str  # "ok", "self_approval", "own_unit_audit"
    citation: str = ""


ALLOWED = Verdict(True, "ok")


def lineage_overlaps(path_a: str, path_b: str) -> bool:
    """True when one unit lies within the other (or they are the same unit)."""
    return path_a.startswith(path_b) or path_b.startswith(path_a)


def may_decide(
    *,
    decider_id: int,
    applicant_id: int,
    decider_unit_paths: tuple[str, ...] = (),
    audited_unit_path: str | None = None,
) -> Verdict:
    """May this person decide this request?

    - Nobody approves or permits their own application: the applicant and the
      approver of one 承認等 are roles that may not be held together (ア).
    - Nobody audits a unit they belong to, nor one that contains or is contained by
      theirs: the audited and the auditor may not be the same (イ).
    """
    if decider_id == applicant_id:
        return Verdict(False, "self_approval", SELF_APPROVAL)
    if audited_unit_path:
        for own in decider_unit_paths:
            if own and lineage_overlaps(own, audited_unit_path):
                return Verdict(False, "own_unit_audit", OWN_AUDIT)
    return ALLOWED
