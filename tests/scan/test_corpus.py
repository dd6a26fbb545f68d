"""The labelled corpus generator and the evaluation the benchmark prints."""

from __future__ import annotations

import pytest

from mamori.scan.corpus import Label, evaluate, generate, write_documents
from mamori.scan.detect import detect
from mamori.scan.detect.checkdigits import is_valid_my_number
from mamori.scan.types import FINDING_TYPES, PART_SEPARATOR, Finding


@pytest.fixture(scope="module")
def docs():
    return generate(seed=11, n_docs=250, prose_only=0.2)


def test_the_generator_is_deterministic_for_a_seed():
    a = generate(3, 40)
    b = generate(3, 40)
    assert [(d.name, d.text, d.labels) for d in a] == [(d.name, d.text, d.labels) for d in b]
    assert [d.text for d in generate(4, 40)] != [d.text for d in a]


def test_documents_are_name_and_body_joined_as_the_engine_joins_parts(docs):
    for d in docs:
        assert d.text == d.name + PART_SEPARATOR + d.body
        for lb in d.labels:
            assert 0 <= lb.start < lb.end <= len(d.text)
            assert PART_SEPARATOR not in d.text[lb.start : lb.end]


def test_the_corpus_holds_every_type_and_the_hard_cases(docs):
    types = {lb.type for d in docs for lb in d.labels}
    assert types == set(FINDING_TYPES)
    numbers = [d.text[lb.start : lb.end] for d in docs for lb in d.labels if lb.type == "my_number"]
    assert any("\n" in n for n in numbers), "numbers broken across lines"
    assert any("０" <= ch <= "９" for n in numbers for ch in n), "full-width digits"
    for n in numbers:
        digits = "".join(ch for ch in n if ch.isdigit())
        assert is_valid_my_number(
            digits.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        )
    assert any("\t" in d.body for d in docs) and any(d.name.endswith(".csv") for d in docs)
    assert any(lb.start < len(d.name) for d in docs for lb in d.labels), "markings in file names"


def test_twelve_digit_numbers_with_a_wrong_check_digit_are_present_and_not_labelled(docs):
    import re

    unlabelled_invalid = 0
    for d in docs:
        labelled = {(lb.start, lb.end) for lb in d.labels if lb.type == "my_number"}
        for m in re.finditer(r"(?<![0-9])[0-9]{12}(?![0-9])", d.text):
            if not is_valid_my_number(m.group()):
                assert m.span() not in labelled
                unlabelled_invalid += 1
    assert unlabelled_invalid > 10


def test_evaluate_counts_overlaps_per_type():
    from mamori.scan.corpus import Document

    doc = Document(
        "a.txt", "x", "a.txt" + PART_SEPARATOR + "x", [Label("phone", 0, 5), Label("email", 10, 20)]
    )

    def fake(_text):
        return [
            Finding("phone", 2, 4, 1, "", 0.9),  # right
            Finding("phone", 30, 34, 1, "", 0.9),  # wrong
            Finding("email", 12, 14, 1, "", 0.3),  # below the threshold
        ]

    scores = evaluate(fake, [doc], min_confidence=0.5)
    assert (scores["phone"].tp, scores["phone"].fp, scores["phone"].fn) == (1, 1, 0)
    assert scores["phone"].precision == 0.5 and scores["phone"].recall == 1.0
    assert (scores["email"].tp, scores["email"].fn, scores["email"].recall) == (0, 1, 0.0)


# What the detectors reach on a generated corpus (findings at confidence >= 0.5).
NUMBER_TYPES = (
    "my_number",
    "corporate_number",
    "phone",
    "postal_code",
    "bank_account",
    "passport",
    "drivers_license",
    "residence_card",
    "health_insurance",
)


def test_detectors_reach_their_stated_precision_and_recall(docs):
    scores = evaluate(detect, docs, min_confidence=0.5)
    for t in NUMBER_TYPES:
        assert scores[t].precision >= 0.95, (t, scores[t])
        assert scores[t].recall >= 0.95, (t, scores[t])
    for t in ("classification_marking", "handling_marking", "email", "address", "birth_date"):
        assert scores[t].precision >= 0.95, (t, scores[t])
        assert scores[t].recall >= 0.95, (t, scores[t])
    # Names with no cue word at all are in the corpus on purpose: only NER finds them.
    assert scores["person_name"].precision >= 0.95
    assert scores["person_name"].recall >= 0.9


def test_written_files_hold_the_bodies(tmp_path, docs):
    paths = write_documents(docs[:20], tmp_path)
    assert [p.name for p in paths] == [d.name for d in docs[:20]]
    assert paths[0].read_text(encoding="utf-8") == docs[0].body


def test_office_files_carry_the_same_numbers_through_the_engine(tmp_path):
    from mamori.scan.corpus import write_office
    from mamori.scan.engine import scan_bytes

    docs = generate(21, 12, kinds=["application", "roster"])
    headers = 0
    for doc in docs:
        path = write_office(doc, tmp_path)
        [result, *_] = scan_bytes(path.name, path.read_bytes())
        assert result.status == "scanned", result.message
        for type_ in ("my_number", "phone", "email"):
            want = sorted(f.masked for f in detect(doc.body) if f.type == type_)
            got = sorted(f.masked for f in result.findings if f.type == type_)
            assert got == want, (path.name, type_)
        if doc.body.startswith(("【", "[", "機密")) and path.suffix == ".docx":
            headers += 1
            assert any(
                f.type == "classification_marking" and f.where.startswith("ヘッダー")
                for f in result.findings
            )
    assert headers >= 2  # markings in page headers were checked
