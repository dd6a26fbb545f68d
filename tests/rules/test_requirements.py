"""The requirement catalogs: what the committed files hold, how the loader reports a bad
file, and which clauses a person's self-assessment checklist is built from."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mamori.rules.requirements import (
    ALL_STAFF,
    CatalogError,
    load_all,
    load_catalog,
    requirements_for,
)
from mamori.rules.requirements_import import merge, parse_import


@pytest.fixture(scope="module")
def catalogs():
    return load_all()


@pytest.fixture(scope="module")
def toitsu(catalogs):
    return catalogs["toitsu"]


def ids(entries):
    return [entry.id for entry in entries]


# --- the committed catalogs -------------------------------------------------------------


def test_every_catalog_loads_with_the_entries_the_seeds_number(catalogs):
    counts = {code: len(catalog.entries) for code, catalog in catalogs.items()}
    assert counts == {"toitsu": 372, "mod": 192, "mic_pii": 105}
    toitsu = catalogs["toitsu"]
    requirements = [e for e in toitsu.entries if e.kind == "requirement"]
    assert len(requirements) == 185
    assert sum(e.abbreviated for e in requirements) == 68


def test_a_booklet_clause_is_r7_with_the_booklets_full_wording(toitsu):
    clause = toitsu.get("3.1.1(6)(b)")
    assert clause.edition == "R7"
    assert clause.citation == "統一基準(R7) 3.1.1(6)(b)"
    assert clause.text.startswith(
        "職員等は、要保護情報である電磁的記録を電子メール等で送信する場合には"
    )
    # The booklet quotes this clause twice; the catalog keeps the complete quote.
    assert clause.text.endswith("国の行政機関と同等の措置を講ずることをもって代えることができる。")
    assert clause.roles == (ALL_STAFF,)
    assert clause.staff_facing
    assert "send_protected_safety" in clause.rules
    assert ids(toitsu.ancestors("3.1.1(6)(b)")) == ["3", "3.1", "3.1.1", "3.1.1(6)"]
    assert toitsu.get("3.1.1(6)").title == "情報の運搬・送信"
    assert toitsu.get("3.1").title == "情報の取扱い"


def test_a_clause_the_booklet_skips_keeps_the_fy2018_text(toitsu):
    clause = toitsu.get("2.3.1(1)(b)")
    assert clause.edition == "FY2018"
    assert clause.citation == "統一基準(H30) 2.3.1(1)(b)"
    assert clause.text == (
        "情報セキュリティ責任者は、年度自己点検計画に基づき、職員等ごとの自己点検票及び"
        "自己点検の実施手順を整備すること。"
    )
    assert clause.roles == ("isec_officer",)
    assert not clause.staff_facing
    usb = toitsu.get("8.1.1(3)(k)")
    assert (usb.edition, usb.rules) == ("FY2018", ("usb_takeout_permission",))


def test_abbreviated_clauses_keep_their_id_and_wait_for_an_import(toitsu):
    clause = toitsu.get("2.2.4(2)(b)")
    assert clause.abbreviated and clause.text == "（略）"
    assert clause.roles == () and not clause.checkable
    # an abbreviated clause whose items the seed still prints keeps them as entries
    assert toitsu.get("2.1.1(8)(a)").abbreviated
    item = toitsu.get("2.1.1(8)(a)(ア)")
    assert item.text.startswith("承認又は許可") and not item.abbreviated


def test_organisation_kinds_follow_the_text(toitsu):
    assert toitsu.get("2.1.1(7)(d)").org_kinds == ("national",)  # 国の行政機関に限る
    assert toitsu.get("3.1.1(5)(c)").org_kinds == (
        "independent",
        "designated_listed",
        "designated_other",
    )
    assert len(toitsu.get("3.1.1(6)(a)").org_kinds) == 4


def test_r7_renumbering_does_not_leave_two_meanings_under_one_id(toitsu):
    # FY2018 8.1.1(4) was 電子メール; R7 moved it to (5) and made (4) 端末.
    assert toitsu.get("8.1.1(4)").title == "端末（支給外端末を含む）の利用時の対策"
    assert toitsu.get("8.1.1(5)").title == "電子メール・ウェブの利用時の対策"
    assert "8.1.1(7)" not in toitsu  # FY2018 不正プログラム感染防止 is R7 8.1.1(8)
    assert toitsu.get("8.1.1(8)(b)").edition == "R7"


def test_mod_items_follow_the_tsutatsu_numbering(catalogs):
    mod = catalogs["mod"]
    assert mod.get("第12の2").title == "監査について"
    audit = mod.get("第12の2(2)")
    assert audit.citation == "防衛省通達 第12の2(2)"
    assert audit.text.startswith("情報保証監査責任者は、監査を行うに当たっては")
    assert audit.roles == ("ia_audit_officer",)
    media = mod.get("第8(6)")
    assert media.parent == "第8" and media.rules == ("mod_media_takeout_permission",)
    assert media.staff_facing and media.org_kinds == ("national",)
    assert ids(mod.children("第1の3")) == ["第1の3(1)", "第1の3(2)"]


def test_mic_articles_and_paragraphs(catalogs):
    mic = catalogs["mic_pii"]
    article = mic.get("第32条")
    assert (article.title, article.parent) == ("端末機器の盗難防止等", "第5章")
    paragraph = mic.get("第32条第2項")
    assert paragraph.parent == "第32条"
    assert paragraph.citation == "総務省訓令 第32条第2項"
    assert paragraph.roles == (ALL_STAFF,)
    assert "mic_terminal_takeout" in paragraph.rules and not article.rules
    assert mic.get("第3条").text == "総務省に、総括保護管理者１人を置く。"
    chapters = ids(mic.roots())
    assert (len(chapters), chapters[0], chapters[-1]) == (11, "第1章", "第11章")
    assert ids(mic.children("第1章")) == ["第1条", "第2条"]


def test_navigation(toitsu):
    assert ids(toitsu.children("3.1.1(6)")) == ["3.1.1(6)(a)", "3.1.1(6)(b)"]
    assert toitsu.parent("3.1.1(6)").id == "3.1.1"
    assert toitsu.parent("2") is None
    assert "3.1.1(6)(b)" in ids(toitsu.descendants("3"))
    with pytest.raises(KeyError):
        toitsu.get("9.9.9(9)(z)")


# --- the loader's errors ----------------------------------------------------------------

BAD = """\
rulebook: toitsu
title: テスト
org_kinds: [national, independent, designated_listed, designated_other]
entries:
- id: '3'
  kind: part
  edition: FY2018
  title: 情報の取扱い
- id: '3.1'
  kind: section
  edition: FY2018
  title: 情報の取扱い
- id: 3.1.1(6)(b)
  kind: requirement
  edition: R7
  text: 職員等は、送信すること。
  roles: [all_staff, xxx]
- id: 3.1.1(6)(b)
  kind: requirement
  edition: R7
  text: 重複
  org_kinds: [planet]
- id: 3.1.1-6
  kind: requirement
  edition: R7
  text: 形の違う番号
- id: '3.1'
  kind: section
  edition: H31
  title: 重複
- id: 3.1.1(7)(a)
  kind: requirement
  edition: FY2018
  text: 職員等は、消去すること。
  rules: [no_such_rule]
  colour: red
"""


def write(tmp_path: Path, text: str, name: str = "toitsu.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_loader_lists_every_error_with_file_and_line(tmp_path):
    with pytest.raises(CatalogError) as caught:
        load_catalog(write(tmp_path, BAD))
    errors = caught.value.errors
    expected = [
        'toitsu.yaml:17: 3.1.1(6)(b): unknown role code "xxx"',
        'toitsu.yaml:22: 3.1.1(6)(b): unknown organisation kind "planet"',
        "toitsu.yaml:23: 3.1.1-6: id does not match the pattern of a requirement",
        "toitsu.yaml:29: 3.1: edition must be one of R7, FY2018",
        "toitsu.yaml:36: 3.1.1(7)(a): unknown field 'colour'",
        'toitsu.yaml:35: 3.1.1(7)(a): unknown handling rule "no_such_rule"',
        "toitsu.yaml:18: 3.1.1(6)(b): duplicate id (first at toitsu.yaml:13)",
        "toitsu.yaml:27: 3.1: duplicate id (first at toitsu.yaml:9)",
        "toitsu.yaml:13: 3.1.1(6)(b): parent 3.1.1(6) is missing",
        "toitsu.yaml:18: 3.1.1(6)(b): parent 3.1.1(6) is missing",
        "toitsu.yaml:31: 3.1.1(7)(a): parent 3.1.1(7) is missing",
    ]
    for message in expected:
        assert message in errors
    assert len(errors) == len(expected)
    # The exception's text is the whole list, one per line, for the operator.
    assert str(caught.value).count("\n") == len(expected) - 1


def test_the_loader_reports_broken_yaml_with_its_line(tmp_path):
    path = write(tmp_path, "rulebook: mod\ntitle: x\nentries:\n- id: 第1\n  kind: [chapter\n")
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    (error,) = caught.value.errors
    assert error.startswith("toitsu.yaml:6: not valid YAML")


def test_the_loader_checks_the_rulebooks_own_rules(tmp_path):
    text = """\
    rulebook: mic_pii
    title: テスト
    org_kinds: [national]
    entries:
    - id: 第1章
      kind: chapter
      title: 総則
    - id: 第1条
      kind: article
      text: 職員は、守ること。
      roles: [all_staff]
    - id: 第2条
      kind: article
      parent: 第1章
      edition: R7
      abbreviated: true
      text: 本文がある
    """
    with pytest.raises(CatalogError) as caught:
        load_catalog(write(tmp_path, text, "mic.yaml"))
    assert caught.value.errors == (
        "mic.yaml:8: 第1条: every article names its parent",
        "mic.yaml:17: 第2条: an abbreviated entry's text is （略）",
        "mic.yaml:15: 第2条: only the 統一基準 has editions",
    )


# --- checklists ---------------------------------------------------------------------------

SMALL = """\
rulebook: toitsu
title: 小さな目録
org_kinds: [national, independent, designated_listed, designated_other]
entries:
- {id: '2', kind: part, edition: FY2018, title: 枠組み}
- {id: '2.1', kind: section, edition: FY2018, title: 導入}
- {id: 2.1.1, kind: subsection, edition: FY2018, title: 体制}
- {id: 2.1.1(1), kind: group, edition: FY2018, title: 設置}
- {id: 2.1.1(1)(a), kind: requirement, edition: FY2018, text: 全員が守る。, roles: [all_staff]}
- {id: 2.1.1(1)(b), kind: requirement, edition: FY2018, text: 責任者が定める。, roles: [isec_officer]}
- {id: 2.1.1(1)(c), kind: requirement, edition: FY2018, text: 機関等が置く。, roles: [agency]}
- {id: 2.1.1(1)(d), kind: requirement, edition: FY2018, text: 国だけ。, roles: [all_staff], org_kinds: [national]}
- {id: 2.1.1(1)(e), kind: requirement, edition: FY2018, text: （略）, abbreviated: true}
- {id: 2.1.1(1)(f), kind: requirement, edition: R7, text: 課室が確かめる。, roles: [section_isec_officer, isec_officer]}
"""


def test_a_checklist_holds_exactly_the_clauses_for_the_roles_and_kind(tmp_path):
    catalog = load_catalog(write(tmp_path, SMALL))
    assert ids(requirements_for(catalog, set(), "national")) == ["2.1.1(1)(a)", "2.1.1(1)(d)"]
    assert ids(requirements_for(catalog, set(), "independent")) == ["2.1.1(1)(a)"]
    assert ids(requirements_for(catalog, {"isec_officer"}, "independent")) == [
        "2.1.1(1)(a)",
        "2.1.1(1)(b)",
        "2.1.1(1)(f)",
    ]
    # the organisation's own duties go to the officers who answer for it
    assert ids(requirements_for(catalog, {"chief_isec_officer"}, "designated_other")) == [
        "2.1.1(1)(a)",
        "2.1.1(1)(c)",
    ]
    with pytest.raises(ValueError):
        requirements_for(catalog, set(), "planet")


def test_checklists_from_the_real_catalog(toitsu):
    staff = ids(requirements_for(toitsu, set(), "national"))
    assert "3.1.1(6)(b)" in staff and "2.2.1(2)(a)" in staff
    assert "3.1.1(5)(c)" not in staff  # 独立行政法人及び指定法人 only
    assert "2.3.1(1)(b)" not in staff  # the 情報セキュリティ責任者's duty
    assert "2.2.4(2)(b)" not in staff  # abbreviated
    corporate_officer = ids(requirements_for(toitsu, {"isec_officer"}, "independent"))
    assert {"2.3.1(1)(b)", "3.1.1(5)(c)", "3.1.1(6)(b)"} <= set(corporate_officer)
    assert "2.1.1(7)(d)" not in corporate_officer  # CISO, national only
    ciso = ids(requirements_for(toitsu, {"ciso"}, "national"))
    assert {"2.1.1(7)(d)", "2.1.1(1)(b)"} <= set(ciso)  # 2.1.1(1)(b): 機関等は
    assert "2.1.1(1)(b)" not in staff


# --- importing the official catalog -------------------------------------------------------

FULL = """\
rulebook: toitsu
entries:
- id: 2.2.4(2)(b)
  text: 職員等は、情報セキュリティインシデントを認知した場合には、報告すること。
  roles: [all_staff]
  edition: FY2018
- id: 2.2.4(2)(n)
  text: 新しい遵守事項。
  roles: [csirt]
  edition: R7
- {id: 5.2.3, title: 情報システムの運用・保守, edition: FY2018}
- {id: 5.2.3(1), title: 運用・保守時の対策, edition: FY2018}
- {id: 5.2.3(1)(a), text: 情報システムセキュリティ責任者は、確認すること。, roles: [system_sec_officer], edition: FY2018}
"""


def test_a_clean_yaml_import_fills_an_abbreviated_clause_and_adds_missing_ones(toitsu):
    result = parse_import(FULL.encode(), "official.yaml", catalog=toitsu)
    assert result.ok and result.rulebook == "toitsu"
    assert ids(result.entries)[:2] == ["2.2.4(2)(b)", "2.2.4(2)(n)"]
    merged = merge(toitsu, result)
    assert merged.filled == ("2.2.4(2)(b)", "5.2.3")
    assert merged.added == ("2.2.4(2)(n)", "5.2.3(1)", "5.2.3(1)(a)")
    heading = merged.catalog.get("5.2.3")
    assert (heading.title, heading.abbreviated) == ("情報システムの運用・保守", False)
    assert ids(merged.catalog.descendants("5.2.3")) == ["5.2.3(1)", "5.2.3(1)(a)"]
    clause = merged.catalog.get("2.2.4(2)(b)")
    assert not clause.abbreviated and clause.checkable
    assert clause.text.startswith("職員等は、情報セキュリティインシデントを認知した場合")
    assert "2.2.4(2)(b)" in ids(requirements_for(merged.catalog, set(), "national"))
    # the new clause sits under its 項, after its siblings
    assert ids(merged.catalog.children("2.2.4(2)"))[-1] == "2.2.4(2)(n)"
    order = ids(merged.catalog.entries)
    assert order.index("2.2.4(2)(m)") < order.index("2.2.4(2)(n)") < order.index("2.2.4(3)")
    assert order.index("5.2.3") < order.index("5.2.3(1)(a)") < order.index("5.2.4")
    assert len(merged.catalog.entries) == len(toitsu.entries) + 3
    # the committed catalog itself is unchanged
    assert toitsu.get("2.2.4(2)(b)").abbreviated


def test_an_import_never_overwrites_text_the_catalog_already_has(toitsu):
    text = "rulebook: toitsu\nentries:\n- {id: 3.1.1(6)(b), text: 別の文言。, edition: R7}\n"
    merged = merge(toitsu, parse_import(text.encode(), "x.yml", catalog=toitsu))
    assert merged.conflicts == ("3.1.1(6)(b)",) and merged.filled == ()
    assert merged.catalog.get("3.1.1(6)(b)") == toitsu.get("3.1.1(6)(b)")


BAD_IMPORT = """\
rulebook: toitsu
entries:
- id: 2.2.4(2)(b)
  text: 職員等は、報告すること。
  roles: [all_staff]
  edition: FY2018
- id: 2.2.4(2)(c)
  text: 職員等は、確認すること。
  roles: [nobody]
  edition: FY2018
- id: 9.9.9(9)(a)
  text: 親がない。
  edition: R7
"""


def test_a_yaml_import_with_a_bad_row_lists_every_error_and_yields_nothing(toitsu):
    result = parse_import(BAD_IMPORT.encode(), "official.yaml", catalog=toitsu)
    assert not result.ok and result.entries == ()
    assert result.errors == (
        'official.yaml:9: 2.2.4(2)(c): unknown role code "nobody"',
        "official.yaml:11: 9.9.9(9)(a): parent 9.9.9(9) is missing",
    )


def test_an_import_for_another_rulebook_is_refused(toitsu):
    text = "rulebook: mod\nentries:\n- {id: 第1, title: 総則}\n"
    result = parse_import(text.encode(), "mod.yaml", catalog=toitsu)
    assert result.errors == ("mod.yaml:1: this file is for 'mod', not 'toitsu'",)


def xlsx(rows: list[list[object]], sheet: str = "統一基準") -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = ["id", "title", "text", "roles", "org_kinds", "staff_facing", "edition"]


def test_an_excel_import_with_bad_rows_names_sheet_and_row(toitsu):
    data = xlsx(
        [
            HEADER,
            ["2.2.4(2)(b)", None, "職員等は、報告すること。", "all_staff", None, True, "FY2018"],
            ["2.2.4(2)(c)", None, "職員等は、確認すること。", "all_staff, ghost", None, None, "R7"],
            [],
            [
                "2.2.4(2)(d)",
                None,
                "職員等は、記録すること。",
                "all_staff",
                "national, mars",
                "多分",
                "R9",
            ],
        ]
    )
    result = parse_import(data, "official.xlsx", catalog=toitsu)
    assert result.entries == ()
    assert result.errors == (
        '統一基準!3: 2.2.4(2)(c): unknown role code "ghost"',
        "統一基準!5: 2.2.4(2)(d): edition must be one of R7, FY2018",
        '統一基準!5: 2.2.4(2)(d): unknown organisation kind "mars"',
        "統一基準!5: 2.2.4(2)(d): staff_facing must be true or false",
    )


def test_a_clean_excel_import_fills_the_catalog(toitsu):
    data = xlsx(
        [
            HEADER,
            ["2.2.4(2)(b)", None, "職員等は、報告すること。", "all_staff", None, "はい", "FY2018"],
            ["2.2.4", "情報セキュリティインシデントへの対処", None, None, None, None, "FY2018"],
        ]
    )
    result = parse_import(data, "official.xlsx", catalog=toitsu)
    assert result.ok, result.errors
    clause = merge(toitsu, result).catalog.get("2.2.4(2)(b)")
    assert (clause.text, clause.roles, clause.staff_facing) == (
        "職員等は、報告すること。",
        ("all_staff",),
        True,
    )


def test_an_excel_file_with_unknown_columns_or_no_workbook_is_refused(toitsu):
    bad_header = xlsx([["id", "colour"], ["2.2.4(2)(b)", "red"]])
    assert parse_import(bad_header, "a.xlsx", catalog=toitsu).errors == (
        "統一基準!1: unknown columns ['colour']",
    )
    broken = parse_import(b"not a zip", "a.xlsx", catalog=toitsu)
    assert broken.errors[0].startswith("a.xlsx: not a readable .xlsx file")
    assert parse_import(b"x", "a.csv", catalog=toitsu).errors == (
        "a.csv: only .yaml, .yml and .xlsx can be imported",
    )


def test_an_id_yaml_reads_as_a_number_is_refused_not_mangled(toitsu):
    text = "rulebook: toitsu\nentries:\n- id: 3.10\n  title: 見出し\n  edition: R7\n"
    result = parse_import(text.encode(), "ids.yaml", catalog=toitsu)
    assert result.errors == ("ids.yaml:3: id 3.1 must be text: quote it",)


def test_the_exemption_items_keep_one_line_per_listed_field(catalogs):
    # 防衛省通達 第1の3: the application has seven items, the notice six (the 適用除外 forms).
    mod = catalogs["mod"]
    application = mod.get("第1の3(1)").text.splitlines()
    notice = mod.get("第1の3(2)").text.splitlines()
    assert [line[0] for line in application[1:]] == list("①②③④⑤⑥⑦")
    assert [line[0] for line in notice[1:]] == list("①②③④⑤⑥")
    assert application[7] == "⑦ 適用除外を申請する理由"
    assert notice[1] == "① 許可又は不許可の別"
