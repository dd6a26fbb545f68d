"""The pure rule that flags a 対策基準 item weaker than the requirement it maps to."""

from __future__ import annotations

import pytest

from mamori.rules.policy_coverage import (
    CITATION,
    is_obligation,
    softening_phrases,
    subject_of,
    weaker_findings,
)

REQ_CISO = "最高情報セキュリティ責任者は、情報セキュリティ対策推進体制の責任者を定めること。"
REQ_EDU = (
    "課室情報セキュリティ責任者は、教育実施計画に基づき、職員等に対して、"
    "情報セキュリティ関係規程に係る教育を適切に受けさせること。"
)
REQ_STAFF = "職員等は、情報セキュリティ関係規程への重大な違反を知った場合は、情報セキュリティ責任者にその旨を報告すること。"
REQ_OR = (
    "情報セキュリティ責任者又は課室情報セキュリティ責任者は、職員等から情報セキュリティ関係規程に係る"
    "課題及び問題点の報告を受けた場合は、統括情報セキュリティ責任者に報告すること。"
)


def codes(findings):
    return [(f.code, f.detail) for f in findings]


def test_the_same_obligation_is_not_weaker():
    item = "最高情報セキュリティ責任者は、当省の情報セキュリティ対策推進体制の責任者を定めること。"
    assert weaker_findings(REQ_CISO, item) == []


@pytest.mark.parametrize(
    ("item", "phrase"),
    [
        ("課室情報セキュリティ責任者は、職員に対して教育を受けさせるよう努める。", "努める"),
        ("課室情報セキュリティ責任者は、職員に教育を受けさせるよう努めること。", "努めること"),
        ("課室情報セキュリティ責任者は、職員に教育を受けさせることが望ましい。", "望ましい"),
        ("課室情報セキュリティ責任者は、可能な限り職員に教育を受けさせること。", "可能な限り"),
        ("課室情報セキュリティ責任者は、原則として職員に教育を受けさせること。", "原則として"),
        ("課室情報セキュリティ責任者は、できる限り職員に教育を受けさせること。", "できる限り"),
        ("課室情報セキュリティ責任者は、職員に教育を受けさせることを推奨する。", "推奨"),
    ],
)
def test_a_softened_obligation_is_flagged_with_the_phrase(item, phrase):
    findings = weaker_findings(REQ_EDU, item)
    assert codes(findings) == [("softened", phrase)]
    assert findings[0].citation == CITATION == "統一基準(H30) 2.1.2(1)(a)"


def test_an_item_that_drops_the_subject_is_flagged():
    item = "教育実施計画に基づき、職員に対して教育を受けさせること。"
    assert codes(weaker_findings(REQ_EDU, item)) == [
        ("subject_missing", "課室情報セキュリティ責任者")
    ]


def test_both_problems_are_reported_together():
    item = "職員に対しては、できる限り教育を行うよう努めるものとする。"
    assert codes(weaker_findings(REQ_EDU, item)) == [
        ("softened", "努めるものとする"),
        ("softened", "できる限り"),
        ("subject_missing", "課室情報セキュリティ責任者"),
    ]


def test_staff_named_as_shokuin_count_as_the_subject():
    item = "職員は、規程への重大な違反を知った場合は、情報セキュリティ責任者に報告すること。"
    assert weaker_findings(REQ_STAFF, item) == []


def test_a_joined_subject_is_named_by_either_member():
    item = (
        "課室情報セキュリティ責任者は、報告を受けた課題を統括情報セキュリティ責任者に報告すること。"
    )
    assert weaker_findings(REQ_OR, item) == []
    assert subject_of(REQ_OR) == "情報セキュリティ責任者又は課室情報セキュリティ責任者"


def test_an_organisation_subject_is_not_a_role():
    text = "機関等は、最高情報セキュリティ責任者を置くこと。"
    assert subject_of(text) is None
    assert weaker_findings(text, "最高情報セキュリティ責任者を置く。") == []


def test_a_softener_the_requirement_itself_uses_is_not_held_against_the_item():
    requirement = "統括情報セキュリティ責任者は、必要に応じて、可能な限り速やかに報告すること。"
    item = (
        "統括情報セキュリティ責任者は、可能な限り速やかに最高情報セキュリティ責任者に報告すること。"
    )
    assert weaker_findings(requirement, item) == []


def test_a_requirement_that_obliges_nothing_flags_nothing():
    assert not is_obligation("情報セキュリティ対策の基本的な考え方を示す。")
    assert weaker_findings("情報セキュリティ対策の基本的な考え方を示す。", "努める。") == []
    assert softening_phrases("努めるものとする") == ["努めるものとする"]
