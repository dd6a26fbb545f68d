"""格付 and 取扱制限: levels and categories, definitions by organisation kind, markings,
inheritance, and the restriction vocabulary."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mamori.rules.classification import (
    CORPORATE_KINDS,
    ORG_KINDS,
    Classification,
    Marking,
    MarkingError,
    Restriction,
    categories,
    definition,
    definitions,
    format_marking,
    inherit,
    merge_restrictions,
    parse_marking,
    restriction_vocabulary,
    review_route,
)

# --- levels and categories ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ((1, 1, 1), ()),
        ((2, 1, 1), ("confidential", "protected")),
        ((3, None, None), ("confidential", "protected")),
        ((1, 2, 1), ("integrity_critical", "protected")),
        ((1, 1, 2), ("availability_critical", "protected")),
        ((3, 2, 2), ("confidential", "integrity_critical", "availability_critical", "protected")),
    ],
)
def test_derived_categories(levels, expected):
    assert categories(*levels) == expected
    assert Classification(*levels).is_protected == bool(expected)


def test_paper_has_no_integrity_or_availability_classification():
    assert Classification(2, medium="paper").categories == ("confidential", "protected")
    with pytest.raises(ValueError, match="書面"):
        Classification(1, integrity=2, medium="paper")
    with pytest.raises(ValueError, match="書面"):
        Classification(1, availability=1, medium="paper")


@pytest.mark.parametrize(
    "bad",
    [
        {"confidentiality": 0},
        {"confidentiality": 4},
        {"confidentiality": True},
        {"confidentiality": 1, "integrity": 3},
        {"confidentiality": 1, "availability": 0},
        {"confidentiality": 1, "medium": "vellum"},
    ],
)
def test_levels_out_of_range_are_refused(bad):
    with pytest.raises(ValueError):
        Classification(**bad)


# --- definitions ---------------------------------------------------------------------------------


def test_national_bodies_read_the_information_disclosure_act():
    text = definition("confidentiality", 2, "national").ja
    assert "行政機関の保有する情報の公開に関する法律" in text and "独立行政法人等" not in text
    assert definition("confidentiality", 3, "national").ja.endswith(
        "秘密文書としての取扱いを要する情報"
    )


@pytest.mark.parametrize("kind", ["independent", "designated_listed"])
def test_agencies_and_listed_corporations_read_the_agencies_disclosure_act(kind):
    for level in (1, 2):
        assert (
            "独立行政法人等の保有する情報の公開に関する法律"
            in definition("confidentiality", level, kind).ja
        )


def test_other_designated_corporations_follow_by_analogy():
    for level in (1, 2):
        text = definition("confidentiality", level, "designated_other").ja
        assert text.startswith("別表指定法人以外の指定法人") and text.endswith("準ずる情報")


@pytest.mark.parametrize("kind", sorted(CORPORATE_KINDS))
def test_confidentiality_3_outside_national_bodies_is_by_analogy(kind):
    assert definition("confidentiality", 3, kind).ja.endswith("準ずる情報")


@pytest.mark.parametrize("kind", list(ORG_KINDS))
def test_every_kind_has_seven_definitions_with_help_in_both_languages(kind):
    found = definitions(kind)
    assert [(d.dimension, d.level) for d in found] == [
        ("confidentiality", 3),
        ("confidentiality", 2),
        ("confidentiality", 1),
        ("integrity", 2),
        ("integrity", 1),
        ("availability", 2),
        ("availability", 1),
    ]
    for d in found:
        assert d.ja and d.en and d.help_ja and d.help_en and d.clause == "統一基準(H30) 1.2(1)"
    assert all("書面を除く" in d.ja for d in found if d.dimension != "confidentiality")


def test_unknown_kind_or_level_is_refused():
    with pytest.raises(ValueError):
        definition("confidentiality", 2, "prefecture")
    with pytest.raises(ValueError):
        definition("integrity", 3)


# --- markings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("機密性２", Marking(confidentiality=2)),
        ("機密性2", Marking(confidentiality=2)),
        ("機密性３情報", Marking(confidentiality=3)),
        ("機密性 ３", Marking(confidentiality=3)),
        ("機密性一", Marking(confidentiality=1)),
        ("【機密性２】", Marking(confidentiality=2)),
        ("機密性２・完全性２・可用性２", Marking(2, 2, 2)),
        ("機密性2 完全性1　可用性1", Marking(2, 1, 1)),
        ("要機密", Marking(categories=("confidential",))),
        ("要機密情報・要保全", Marking(categories=("confidential", "integrity_critical"))),
        ("要安定 要保護", Marking(categories=("availability_critical", "protected"))),
        ("複製禁止", Marking(restrictions=(Restriction("copy_prohibited"),))),
        ("人事課限り", Marking(restrictions=(Restriction("viewers_limited", "人事課"),))),
        ("○○担当者限り", Marking(restrictions=(Restriction("viewers_limited", "○○担当者"),))),
        (
            "総務課・人事課限り",
            Marking(restrictions=(Restriction("viewers_limited", "総務課・人事課"),)),
        ),
        (
            "機密性２ 人事課限り 複製禁止",
            Marking(
                2,
                restrictions=(
                    Restriction("viewers_limited", "人事課"),
                    Restriction("copy_prohibited"),
                ),
            ),
        ),
        (
            "機密性３情報、持ち出し禁止、配付禁止",
            Marking(
                3,
                restrictions=(
                    Restriction("takeout_prohibited"),
                    Restriction("distribution_prohibited"),
                ),
            ),
        ),
        (
            "転送禁止/印刷禁止/暗号化必須/読後廃棄/再利用禁止",
            Marking(
                restrictions=tuple(
                    Restriction(c)
                    for c in (
                        "forward_prohibited",
                        "print_prohibited",
                        "encryption_required",
                        "dispose_after_reading",
                        "reuse_prohibited",
                    )
                )
            ),
        ),
        ("複製禁止 複製禁止", Marking(restrictions=(Restriction("copy_prohibited"),))),
    ],
)
def test_parse_accepts_the_usual_ways_of_writing_a_marking(text, expected):
    assert parse_marking(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("機密性４", "no level 4"),
        ("完全性３", "no level 3"),
        ("機密性２ 機密性３", "twice"),
        ("要機密 機密性１", "要機密"),
        ("要保全・完全性１", "要保全"),
        ("要保護 機密性１ 完全性１ 可用性１", "要保護"),
        ("社外秘", "unrecognised"),
        ("機密性２ 限り", "unrecognised"),
    ],
)
def test_parse_refuses_what_it_cannot_read(text, message):
    with pytest.raises(MarkingError, match=message):
        parse_marking(text)


def test_format_writes_the_canonical_form_and_styles_on_request():
    marking = Marking(
        2,
        2,
        None,
        ("confidential",),
        (Restriction("viewers_limited", "人事課"), Restriction("copy_prohibited")),
    )
    assert format_marking(marking) == "機密性２・完全性２・要機密・人事課限り・複製禁止"
    assert format_marking(marking, digits="half", suffix=True, separator=" ") == (
        "機密性2情報 完全性2情報 要機密情報 人事課限り 複製禁止"
    )


def test_format_refuses_what_would_not_parse_back():
    with pytest.raises(MarkingError):
        format_marking(Marking(restrictions=(Restriction("viewers_limited", "要機密担当"),)))
    with pytest.raises(MarkingError):
        format_marking(Marking(restrictions=(Restriction("copy_prohibited", "x"),)))
    with pytest.raises(MarkingError):
        format_marking(Marking(restrictions=(Restriction("unknown_code"),)))
    with pytest.raises(ValueError):
        format_marking(Marking(1), separator="-")


def test_minimum_levels_follow_the_category_words():
    assert parse_marking("要機密 要安定").minimum_levels() == (2, None, 2)
    assert parse_marking("機密性３").minimum_levels() == (3, None, None)


_details = st.text(alphabet="総務人事課係担当者○〇ABC・", min_size=1, max_size=6).filter(
    lambda s: not s.startswith(("要", "・")) and "限り" not in s and not s.endswith("・")
)
_fixed = [code for code, kind in restriction_vocabulary().items() if not kind.takes_detail]


@st.composite
def markings(draw: st.DrawFn) -> Marking:
    def level(top: int) -> int | None:
        return draw(st.one_of(st.none(), st.integers(1, top)))

    c, i, a = level(3), level(2), level(2)
    words = []
    if draw(st.booleans()) and c != 1:
        words.append("confidential")
    if draw(st.booleans()) and i != 1:
        words.append("integrity_critical")
    if draw(st.booleans()) and a != 1:
        words.append("availability_critical")
    if draw(st.booleans()) and (c, i, a) != (1, 1, 1):
        words.append("protected")
    restrictions = [
        Restriction(code)
        for code in draw(st.lists(st.sampled_from(_fixed), unique=True, max_size=4))
    ]
    for detail in draw(st.lists(_details, unique=True, max_size=2)):
        restrictions.insert(
            draw(st.integers(0, len(restrictions))), Restriction("viewers_limited", detail)
        )
    return Marking(c, i, a, tuple(words), tuple(restrictions))


@given(
    markings(),
    st.sampled_from(["full", "half"]),
    st.booleans(),
    st.sampled_from(["・", " ", "　", "、", " / "]),
)
@settings(max_examples=400, deadline=None)
def test_markings_round_trip_exactly(marking, digits, suffix, separator):
    text = format_marking(marking, digits=digits, suffix=suffix, separator=separator)
    assert parse_marking(text) == marking
    canonical = format_marking(marking)
    assert format_marking(parse_marking(canonical)) == canonical
    assert format_marking(parse_marking(text)) == canonical


# --- inheritance ---------------------------------------------------------------------------------


def test_made_from_sources_takes_the_highest_confidentiality_and_every_restriction():
    result = inherit(
        [
            Classification(2, 2, 1, restrictions=(Restriction("copy_prohibited"),)),
            Classification(
                3, medium="paper", restrictions=(Restriction("viewers_limited", "人事課"),)
            ),
            Classification(
                1, restrictions=(Restriction("copy_prohibited"), Restriction("print_prohibited"))
            ),
        ]
    )
    assert result.confidentiality == 3
    assert result.restrictions == (
        Restriction("viewers_limited", "人事課"),
        Restriction("copy_prohibited"),
        Restriction("print_prohibited"),
    )
    assert result.citation == "統一基準(R7) 3.1.1(3)(b)"
    assert (result.review_role, result.review_citation) == ("decider", "統一基準(R7) 3.1.1(3)(c)")
    assert review_route() == ("decider", "統一基準(R7) 3.1.1(3)(c)")


def test_integrity_and_availability_are_decided_anew():
    made = inherit([Classification(2, 2, 2)]).classification()
    assert (made.confidentiality, made.integrity, made.availability) == (2, None, None)
    assert inherit([Classification(1)]).classification(integrity=2).integrity == 2


@given(
    st.lists(
        st.builds(
            Classification,
            st.integers(1, 3),
            restrictions=st.lists(st.sampled_from(_fixed), max_size=3, unique=True).map(
                lambda codes: tuple(Restriction(c) for c in codes)
            ),
        ),
        min_size=1,
        max_size=5,
    ),
    st.randoms(),
)
@settings(max_examples=200, deadline=None)
def test_inheritance_never_lowers_and_ignores_the_order_of_sources(sources, rng):
    result = inherit(sources)
    assert result.confidentiality == max(s.confidentiality for s in sources)
    assert set(result.restrictions) == {r for s in sources for r in s.restrictions}
    shuffled = list(sources)
    rng.shuffle(shuffled)
    assert inherit(shuffled) == result


def test_inheritance_needs_a_source():
    with pytest.raises(ValueError):
        inherit([])


# --- the restriction vocabulary ------------------------------------------------------------------


def test_the_baseline_vocabulary_is_the_contract():
    assert list(restriction_vocabulary()) == [
        "viewers_limited",
        "copy_prohibited",
        "forward_prohibited",
        "distribution_prohibited",
        "takeout_prohibited",
        "print_prohibited",
        "encryption_required",
        "dispose_after_reading",
        "reuse_prohibited",
    ]
    assert restriction_vocabulary()["copy_prohibited"].marking == "複製禁止"
    assert restriction_vocabulary()["viewers_limited"].format("人事課") == "人事課限り"


AGENCY = [
    {
        "code": "board_only",
        "marking": "幹部限定",
        "ja": "幹部限定",
        "en": "Board only",
        "effects": [{"actions": ["provide"], "verdict": "deny"}],
    }
]


def test_an_agency_adds_its_own_restrictions():
    merged = merge_restrictions(restriction_vocabulary(), AGENCY, source="example.yaml")
    assert parse_marking("機密性２ 幹部限定", merged) == Marking(
        2, restrictions=(Restriction("board_only"),)
    )
    assert merged["board_only"].source == "example.yaml"
    with pytest.raises(MarkingError):
        parse_marking("幹部限定")  # not in the baseline vocabulary


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([{**AGENCY[0], "code": "copy_prohibited"}], "already defined"),
        ([{**AGENCY[0], "marking": "複製禁止"}], "used by both"),
        ([{**AGENCY[0], "code": "Board"}], "lower_snake_case"),
        ([{**AGENCY[0], "effects": [{"actions": ["provide"], "verdict": "allow"}]}], "verdict"),
        (
            [{**AGENCY[0], "effects": [{"actions": ["provide"], "verdict": "needs_permission"}]}],
            "permission_from",
        ),
        ([{**AGENCY[0], "colour": "red"}], "unknown keys"),
    ],
)
def test_an_agency_cannot_redefine_or_garble_the_vocabulary(extra, message):
    with pytest.raises(ValueError, match=message):
        merge_restrictions(restriction_vocabulary(), extra, source="example.yaml")
