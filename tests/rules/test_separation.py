from hypothesis import given
from hypothesis import strategies as st

from mamori.rules.separation import may_decide


def test_self_approval_is_refused_with_its_clause():
    verdict = may_decide(decider_id=7, applicant_id=7)
    assert not verdict.allowed
    assert verdict.code == "self_approval"
    assert verdict.citation == "統一基準(H30) 2.1.1(8)(a)(ア)"


def test_auditing_ones_own_unit_is_refused():
    verdict = may_decide(
        decider_id=1, applicant_id=2, decider_unit_paths=("/1/4/",), audited_unit_path="/1/4/"
    )
    assert (verdict.allowed, verdict.code) == (False, "own_unit_audit")
    assert "2.1.1(8)(a)(イ)" in verdict.citation


def test_auditing_the_bureau_that_contains_ones_division_is_refused():
    assert not may_decide(
        decider_id=1, applicant_id=2, decider_unit_paths=("/1/4/",), audited_unit_path="/1/"
    ).allowed


def test_auditing_another_unit_is_allowed():
    assert may_decide(
        decider_id=1, applicant_id=2, decider_unit_paths=("/2/9/",), audited_unit_path="/1/4/"
    ).allowed


def test_paths_are_compared_by_whole_ids_not_digits():
    # /1/4/ and /1/40/ are siblings: "/1/4" is a string prefix of "/1/40" but not a unit prefix.
    assert may_decide(
        decider_id=1, applicant_id=2, decider_unit_paths=("/1/40/",), audited_unit_path="/1/4/"
    ).allowed


@given(st.integers(min_value=1), st.integers(min_value=1))
def test_only_self_approval_is_refused_outside_audits(decider, applicant):
    assert may_decide(decider_id=decider, applicant_id=applicant).allowed == (decider != applicant)
