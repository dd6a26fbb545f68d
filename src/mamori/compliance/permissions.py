"""Who may do what in the compliance app (roles from mamori.rules.roles)."""

from __future__ import annotations

from mamori.org import scope

# Officers who read the regulation catalogs (規程カタログ).
CATALOG_ROLES = (
    "ciso",
    "deputy_ciso",
    "chief_isec_officer",
    "isec_officer",
    "section_isec_officer",
    "isec_auditor",
    "ia_chief",
    "ia_officer",
    "pii_chief",
    "pii_manager",
)
# Who imports the official catalog of a rulebook: the CISO and the 統括 any; the 情報保証
# 統括責任者 the 防衛省 directive; the 総括保護管理者 the 総務省 directive.
IMPORT_ROLES_ANY = ("ciso", "chief_isec_officer")
IMPORT_ROLES_BY_RULEBOOK = {"mod": ("ia_chief",), "mic_pii": ("pii_chief",)}
IMPORT_ROLES = IMPORT_ROLES_ANY + ("ia_chief", "pii_chief")
# 対策基準: set by the CISO (統一基準(H30) 2.1.2(1)(a)) with the 統括 and the 副CISO;
# read by the 情報セキュリティ責任者 who apply it.
POLICY_EDIT_ROLES = ("ciso", "chief_isec_officer", "deputy_ciso")
POLICY_READ_ROLES = POLICY_EDIT_ROLES + ("isec_officer",)
# Violation reports: the 統括 and the CISO see the organisation's.
VIOLATION_ORG_ROLES = ("chief_isec_officer", "ciso")
VIOLATION_LIST_ROLES = VIOLATION_ORG_ROLES + ("isec_officer",)


def may_read_catalog(person) -> bool:
    return scope.has_role(person, *CATALOG_ROLES)


def may_import(person, rulebook: str | None = None) -> bool:
    if scope.has_org_wide_role(person, IMPORT_ROLES_ANY):
        return True
    if rulebook is None:
        return scope.has_org_wide_role(person, ("ia_chief", "pii_chief"))
    return scope.has_org_wide_role(person, IMPORT_ROLES_BY_RULEBOOK.get(rulebook, ()))


def importable_rulebooks(person) -> list[str]:
    from mamori.rules.requirements import FILES

    return [code for code in FILES if may_import(person, code)]


def may_edit_policy(person) -> bool:
    return scope.has_org_wide_role(person, POLICY_EDIT_ROLES)


def may_read_policy(person) -> bool:
    return may_edit_policy(person) or scope.has_role(person, *POLICY_READ_ROLES)


def may_list_violations(person) -> bool:
    return scope.has_role(person, *VIOLATION_LIST_ROLES)
