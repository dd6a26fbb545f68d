"""Labelled Japanese test documents for the scanner's tests and benchmark.

    docs = generate(seed=1, n_docs=200)      # deterministic for a seed
    scores = evaluate(detect, docs)          # {type: Score(tp, fp, fn, precision, recall)}
    write_documents(docs, directory)         # .txt (and .csv for rosters)
    write_office(doc, directory)             # .docx (marking in the page header) / .xlsx

Each `Document` is what the engine would hand the detectors: the file name and the body
joined by PART_SEPARATOR (file names carry markings too, 統一基準(R7) 3.1.1(3)). Labels
are the true findings with offsets into that text. The documents are 報告書, 名簿 (tab or
comma tables with a header row), 申請書, メール文面 and 議事録 with names, addresses, phone
numbers, postal codes, e-mail addresses, My Numbers with valid check digits and 12-digit
numbers with wrong ones (which are NOT labelled), corporate numbers, bank accounts,
birth dates in 西暦 and 和暦, markings in headers and file names, full-width digits and
numbers broken across lines. Pure Python.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from pathlib import Path

from mamori.scan.corpus.document import Document, Label, Score
from mamori.scan.corpus.kinds import KINDS, Builder, Values
from mamori.scan.types import FINDING_TYPES, PART_SEPARATOR, Finding

__all__ = ["Document", "Label", "Score", "evaluate", "generate", "write_documents", "write_office"]


def generate(
    seed: int,
    n_docs: int,
    *,
    kinds: Iterable[str] | None = None,
    prose_only: float = 0.0,
    name_prefix: str = "",
) -> list[Document]:
    """`n_docs` documents of the given kinds (all by default), the same for the same
    seed. `prose_only` is the share of documents that are plain prose reports with no
    personal data at all, as most of a real file share is. File names start with
    `name_prefix` (to keep them unique across batches)."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    values = Values(rng)
    chosen = list(kinds or KINDS)
    docs: list[Document] = []
    for i in range(n_docs):
        b = Builder(rng)
        if rng.random() < prose_only:
            b.add(f"{rng.choice(['年次報告', '業務概要', '調達計画'])}\n\n")
            b.prose(rng.randint(30, 120))
            stem, ext = "文書", ".txt"
        else:
            kind = chosen[i % len(chosen)]
            stem = KINDS[kind](b, values, rng)
            ext = ".csv" if kind == "roster" else ".txt"
        name_labels: list[Label] = []
        name = f"{stem}_{i + 1:05d}{ext}"
        if rng.random() < 0.15:
            marking = rng.choice(["機密性２", "機密性3", "要機密"])
            name = f"【{marking}】{name}"
            at = len(name_prefix) + 1
            name_labels.append(Label("classification_marking", at, at + len(marking)))
        name = name_prefix + name
        body = b.text()
        shift = len(name) + len(PART_SEPARATOR)
        labels = name_labels + [Label(lb.type, lb.start + shift, lb.end + shift) for lb in b.labels]
        docs.append(Document(name, body, name + PART_SEPARATOR + body, labels))
    return docs


def evaluate(
    detect_fn: Callable[[str], Iterable[Finding]],
    docs: Iterable[Document],
    min_confidence: float = 0.0,
) -> dict[str, Score]:
    """Per type: a finding is a true positive when it overlaps a label of the same type;
    a label is found when some finding of its type overlaps it."""
    counts = {t: [0, 0, 0, 0] for t in FINDING_TYPES}  # found-true, found-false, labels-hit, labels
    for doc in docs:
        findings = [f for f in detect_fn(doc.text) if f.confidence >= min_confidence]
        by_type: dict[str, list[Label]] = {}
        for lb in doc.labels:
            by_type.setdefault(lb.type, []).append(lb)
        for f in findings:
            right = any(lb.start < f.end and f.start < lb.end for lb in by_type.get(f.type, ()))
            counts[f.type][0 if right else 1] += 1
        for lb in doc.labels:
            c = counts[lb.type]
            c[3] += 1
            if any(f.type == lb.type and f.start < lb.end and lb.start < f.end for f in findings):
                c[2] += 1
    scores: dict[str, Score] = {}
    for t, (tp, fp, hit, total) in counts.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = hit / total if total else 1.0
        scores[t] = Score(tp, fp, total - hit, precision, recall, total)
    return scores


def write_documents(docs: Iterable[Document], directory: Path) -> list[Path]:
    """Each document's body as a UTF-8 file named by its name."""
    directory.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for doc in docs:
        path = directory / doc.name
        path.write_text(doc.body, encoding="utf-8")
        paths.append(path)
    return paths


def write_office(doc: Document, directory: Path) -> Path:
    """The document as an Office file: a roster (.csv) as an Excel sheet with one cell
    per value, anything else as a Word file whose first line, when it is a marking,
    sits in the page header (where 統一基準(R7) 3.1.1(3) puts it) and whose other lines
    are paragraphs. Needs openpyxl and python-docx (imported here only)."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = doc.name.rsplit(".", 1)[0]
    lines = doc.body.split("\n")
    if doc.name.endswith(".csv"):
        from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "名簿"
        delim = "\t" if "\t" in doc.body else ","
        for line in lines:
            sheet.append(line.split(delim) if line else [])
        path = directory / f"{stem}.xlsx"
        book.save(path)
        return path
    from docx import Document as WordDocument

    word = WordDocument()
    if lines and any(m in lines[0] for m in ("機密性", "要機密", "完全性", "可用性")):
        word.sections[0].header.paragraphs[0].text = lines.pop(0)
    for line in lines:
        word.add_paragraph(line)
    path = directory / f"{stem}.docx"
    word.save(str(path))
    return path
