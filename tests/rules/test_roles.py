"""The role catalogue: the codes other modules rely on, their labels and their clauses."""

from __future__ import annotations

import pytest

from mamori.rules import roles
from mamori.rules.refs import DOCUMENTS

TOITSU = {
    "ciso": "最高情報セキュリティ責任者",
    "deputy_ciso": "最高情報セキュリティ副責任者",
    "chief_isec_officer": "統括情報セキュリティ責任者",
    "isec_officer": "情報セキュリティ責任者",
    "section_isec_officer": "課室情報セキュリティ責任者",
    "system_sec_officer": "情報システムセキュリティ責任者",
    "isec_auditor": "情報セキュリティ監査責任者",
    "isec_committee": "情報セキュリティ委員会",
    "csirt_lead": "CSIRT責任者",
    "csirt": "CSIRT",
    "cymat": "CYMAT",
    "terminal_manager": "端末管理責任者",
    "permit_authority": "許可権限者",
    "cio": "情報化統括責任者",
    "decider": "格付及び取扱制限の決定者等",
}
MOD_PRINCIPALS = {
    "ia_chief": "情報保証統括責任者",
    "ia_advisor": "情報保証統括アドバイザー",
    "ia_officer": "情報保証責任者",
    "ia_audit_chief": "情報保証監査統括責任者",
    "ia_audit_officer": "情報保証監査責任者",
    "sys_ia_officer": "情報システム情報保証責任者",
    "unit_ia_officer": "部隊等情報保証責任者",
    "sys_ia_certifier": "情報システム情報保証認証者",
}
MOD_OTHERS = {
    "incident_chief": "事案対処統括責任者",
    "incident_officer": "事案対処責任者",
}
MIC_PII = {
    "pii_chief": "総括保護管理者",
    "pii_manager": "保護管理者",
    "pii_assistant": "保護担当者",
    "pii_auditor": "監査責任者",
    "mynumber_handler": "事務取扱担当者",
}
CONTRACT = {
    **{code: ("toitsu", ja) for code, ja in TOITSU.items()},
    **{code: ("mod", ja) for code, ja in MOD_PRINCIPALS.items()},
    **{f"{code}_assistant": ("mod", f"{ja}補助者") for code, ja in MOD_PRINCIPALS.items()},
    **{code: ("mod", ja) for code, ja in MOD_OTHERS.items()},
    **{code: ("mic_pii", ja) for code, ja in MIC_PII.items()},
}


@pytest.mark.parametrize("code", sorted(CONTRACT))
def test_contract_code_exists_with_label_rulebook_and_clause(code):
    rulebook, ja = CONTRACT[code]
    role = roles.get(code)
    assert role.rulebook == rulebook
    assert role.ja == ja
    assert role.en.strip() and role.en != role.ja
    document = next((doc for doc in DOCUMENTS if role.clause.startswith(doc + " ")), None)
    assert document is not None, f"{code}: clause {role.clause!r} names no known document"
    assert role.clause[len(document) :].strip(), f"{code}: clause has no clause number"


def test_clauses_name_the_document_of_their_rulebook():
    expected = {
        "toitsu": ("統一基準(H30)", "統一基準(R7)"),
        "mod": ("防衛省通達",),
        "mic_pii": ("総務省訓令",),
        "cip": ("行動計画",),
    }
    for role in roles.catalogue().values():
        assert role.clause.startswith(expected[role.rulebook]), role.code


def test_every_catalogue_entry_is_well_formed():
    for role in roles.catalogue().values():
        assert role.rulebook in roles.RULEBOOKS, role.code
        assert role.scopes and set(role.scopes) <= set(roles.SCOPES), role.code


def test_mod_roles_have_their_assistant_variants():
    for code, ja in MOD_PRINCIPALS.items():
        assistant = roles.get(f"{code}_assistant")
        assert assistant.assistant_of == code
        assert assistant.rulebook == "mod"
        assert assistant.ja == f"{ja}補助者"
        assert assistant.scopes == roles.get(code).scopes


def test_scopes_follow_the_rules():
    assert "system" in roles.get("system_sec_officer").scopes
    assert "system" in roles.get("sys_ia_officer").scopes
    assert roles.get("section_isec_officer").scopes == ("unit",)
    assert roles.get("pii_manager").scopes == ("unit",)
    assert roles.get("ciso").scopes == ("organization",)


def test_org_wide_roles_are_those_that_oversee_the_whole_organisation():
    org_wide = {code for code, role in roles.catalogue().items() if role.org_wide}
    assert {
        "ciso",
        "deputy_ciso",
        "chief_isec_officer",
        "isec_committee",
        "csirt_lead",
        "csirt",
        "cymat",
        "isec_auditor",
        "cio",
        "ia_chief",
        "ia_advisor",
        "ia_audit_chief",
        "incident_chief",
        "pii_chief",
        "pii_auditor",
    } <= org_wide
    # Unit-level officers see only their own units.
    assert not org_wide & {
        "section_isec_officer",
        "isec_officer",
        "system_sec_officer",
        "pii_manager",
        "pii_assistant",
        "mynumber_handler",
        "unit_ia_officer",
    }


def test_for_rulebooks_keeps_only_the_rulebooks_asked_for():
    toitsu = {role.code for role in roles.for_rulebooks(["toitsu"])}
    assert toitsu >= set(TOITSU)
    assert all(roles.get(code).rulebook == "toitsu" for code in toitsu)
    assert not toitsu & (set(MOD_PRINCIPALS) | set(MOD_OTHERS) | set(MIC_PII))
    both = {role.code for role in roles.for_rulebooks(("toitsu", "mic_pii"))}
    assert both >= set(TOITSU) | set(MIC_PII)
    assert "ia_chief" not in both
    assert roles.for_rulebooks([]) == []


def test_label_follows_language():
    ciso = roles.get("ciso")
    assert ciso.label("ja") == "最高情報セキュリティ責任者"
    assert ciso.label("en-us") == "Chief Information Security Officer (CISO)"


def test_unknown_code_is_a_clear_error():
    with pytest.raises(KeyError, match="no_such_role"):
        roles.get("no_such_role")


ENTRY = """
- code: {code}
  ja: 役割
  en: Role
  rulebook: {rulebook}
  clause: 統一基準(H30) 2.1.1(1)(a)
  scopes: [{scopes}]
"""


def _write(tmp_path, *entries: str):
    path = tmp_path / "roles.yaml"
    path.write_text("".join(entries), encoding="utf-8")
    return path


def test_load_reads_a_valid_file(tmp_path):
    path = _write(
        tmp_path,
        ENTRY.format(code="a", rulebook="toitsu", scopes="organization"),
        ENTRY.format(code="b", rulebook="mod", scopes="unit, system") + "  assistant_of: a\n",
    )
    loaded = roles._load(path)
    assert list(loaded) == ["a", "b"]
    assert loaded["b"].scopes == ("unit", "system")
    assert loaded["b"].assistant_of == "a"


def test_load_rejects_a_duplicate_code(tmp_path):
    path = _write(
        tmp_path,
        ENTRY.format(code="ciso", rulebook="toitsu", scopes="organization"),
        ENTRY.format(code="ciso", rulebook="toitsu", scopes="unit"),
    )
    with pytest.raises(ValueError, match="ciso is listed twice"):
        roles._load(path)


def test_load_rejects_an_unknown_rulebook(tmp_path):
    path = _write(tmp_path, ENTRY.format(code="a", rulebook="gdpr", scopes="organization"))
    with pytest.raises(ValueError, match="unknown rulebook"):
        roles._load(path)


def test_load_rejects_an_unknown_scope(tmp_path):
    path = _write(tmp_path, ENTRY.format(code="a", rulebook="toitsu", scopes="planet"))
    with pytest.raises(ValueError, match="unknown scope"):
        roles._load(path)


def test_load_rejects_an_assistant_of_nobody(tmp_path):
    path = _write(
        tmp_path, ENTRY.format(code="a", rulebook="mod", scopes="unit") + "  assistant_of: ghost\n"
    )
    with pytest.raises(ValueError, match="unknown role ghost"):
        roles._load(path)
