"""The audit rules as pure functions (no Django): who plans which kind of audit, which
catalog clauses an audit checks, and the citations behind each decision.

統一基準(H30) 2.3.2: the 情報セキュリティ監査責任者 plans audits, including additional ones
when the situation changes ((1)(b)); the CISO instructs improvement on the report's findings
((3)(a)); the 統括 answers for cross-cutting items ((3)(b)), each 情報セキュリティ責任者 for
the items of their units ((3)(c)). 防衛省通達 第12の2: periodic audits at least once a 年度
and ad hoc ones, by staff of another unit; 第12の4: 特別監査 by the 情報保証監査統括責任者,
its result notified to the 情報保証統括責任者. 総務省訓令 第41条: the 監査責任者 audits the
management of personal information and reports to the 総括保護管理者.
"""

from __future__ import annotations

from collections.abc import Iterable

from mamori.rules.refs import MIC, MOD, TOITSU_H30, cite
from mamori.rules.requirements import AGENCY, ALL_STAFF, Catalog, Requirement

PERIODIC = "periodic"
AD_HOC = "ad_hoc"
SPECIAL = "special"

PLAN_CLAUSE = cite(TOITSU_H30, "2.3.2(1)")
ADDITIONAL_CLAUSE = cite(TOITSU_H30, "2.3.2(1)(b)")
PERIODIC_CLAUSE = cite(MOD, "第12の2(1)①")
AD_HOC_CLAUSE = cite(MOD, "第12の2(1)②")
THIRD_PARTY_CLAUSE = cite(MOD, "第12の2(2)")
SPECIAL_CLAUSE = cite(MOD, "第12の4(1)")
SPECIAL_THIRD_PARTY_CLAUSE = cite(MOD, "第12の4(2)")
SPECIAL_RESULT_CLAUSE = cite(MOD, "第12の4(4)")
CONFORMANCE_CLAUSE = cite(TOITSU_H30, "2.3.2(2)(a)(ウ)")
INSTRUCTION_CLAUSE = cite(TOITSU_H30, "2.3.2(3)(a)")
CROSS_CUTTING_CLAUSE = cite(TOITSU_H30, "2.3.2(3)(b)")
UNIT_CLAUSE = cite(TOITSU_H30, "2.3.2(3)(c)")
PII_AUDIT_CLAUSE = cite(MIC, "第41条")
PII_REVIEW_CLAUSE = cite(MIC, "第43条")

# Evidence files one finding may bring at once (each also within the upload policy).
MAX_ATTACHMENTS = 10

# Who may plan (and lead) audits of each kind. 特別監査 exists only under the 防衛省 rules.
PLANNERS = {
    PERIODIC: ("isec_auditor", "ia_audit_officer", "pii_auditor"),
    AD_HOC: ("isec_auditor", "ia_audit_officer", "pii_auditor"),
    SPECIAL: ("ia_audit_chief",),
}
# Roles that may be on an audit team (the auditors the planner appoints are checked only
# for separation of duties: any member of staff of another unit may audit, 第12の2(2)).
AUDIT_ROLES = ("isec_auditor", "ia_audit_officer", "ia_audit_chief", "pii_auditor")


def planner_roles(kind: str) -> tuple[str, ...]:
    return PLANNERS.get(kind, ())


def kind_clause(kind: str, additional: bool = False, rulebooks: Iterable[str] = ()) -> str:
    """The clause behind an audit of this kind in an organisation following these
    rulebooks: the 防衛省 periodic / ad hoc rules only where they apply."""
    if kind == SPECIAL:
        return SPECIAL_CLAUSE
    if additional:
        return ADDITIONAL_CLAUSE
    if "mod" not in rulebooks:  # an ad hoc audit is an additional plan (2.3.2(1)(b))
        return PLAN_CLAUSE if kind == PERIODIC else ADDITIONAL_CLAUSE
    return PERIODIC_CLAUSE if kind == PERIODIC else AD_HOC_CLAUSE


def kinds_for(rulebooks: Iterable[str]) -> tuple[str, ...]:
    """The kinds of audit an organisation following these rulebooks may plan."""
    return (PERIODIC, AD_HOC, SPECIAL) if "mod" in rulebooks else (PERIODIC, AD_HOC)


def independence_clauses(kind: str, sod_citation: str, rulebooks: Iterable[str] = ()) -> str:
    """The clauses refusing an auditor from the audited unit: 統一基準 兼務禁止 always,
    and the 防衛省 third-party rule for that kind where the 防衛省 rules apply."""
    if "mod" not in rulebooks:
        return sod_citation
    mod = SPECIAL_THIRD_PARTY_CLAUSE if kind == SPECIAL else THIRD_PARTY_CLAUSE
    return f"{sod_citation}、{mod}"


def unknown_sections(catalog: Catalog, sections: Iterable[str]) -> list[str]:
    return [s for s in sections if s not in catalog]


def checklist_entries(
    catalog: Catalog, *, sections: Iterable[str], roles: Iterable[str], org_kind: str
) -> list[Requirement]:
    """The clauses an audit checks, in catalog order: those under the chosen sections (the
    whole catalog when none is chosen) that have text of their own, apply to the
    organisation's kind and are addressed to a role held in the audited units, to all
    staff or to the organisation itself."""
    wanted = set(roles) | {ALL_STAFF, AGENCY}
    chosen = [s for s in sections if s in catalog]
    if chosen:
        ids: set[str] = set()
        for section in chosen:
            ids.add(section)
            ids.update(entry.id for entry in catalog.descendants(section))
        pool = [entry for entry in catalog.entries if entry.id in ids]
    else:
        pool = list(catalog.entries)
    return [
        entry
        for entry in pool
        if entry.checkable and org_kind in entry.org_kinds and wanted.intersection(entry.roles)
    ]


def most_specific_path(paths: Iterable[str], unit_path: str) -> str | None:
    """Of the scope paths covering `unit_path`, the deepest (the officer closest to the
    unit answers for it)."""
    covering = [p for p in paths if unit_path.startswith(p)]
    return max(covering, key=len) if covering else None
