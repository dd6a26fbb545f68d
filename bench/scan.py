"""Content-scanner throughput and accuracy on one core, beside presidio-analyzer in the same run.

    .venv/bin/python bench/scan.py [--mb 100] [--sample-mb 6] [--rounds 3] [--seed 7] [--min-confidence 0.5]

corpus  mamori.scan.corpus documents written as files into a temporary directory (never
        into the repository): mostly plain-text reports with no personal data, as most
        of a file share is, and labelled 報告書 / 申請書 / メール / 議事録 (.txt) and 名簿 (.csv,
        tab or comma tables) with names, addresses, numbers, dates and markings. Each
        file is read back and scanned as the engine would: its name and its text joined
        by PART_SEPARATOR.
ours    mamori.scan.detect.detect on every file of the corpus, then on the sample.
peer    presidio-analyzer's AnalyzerEngine with Japanese PatternRecognizers doing what
        our detectors do (bench/_presidio_peer.py: the same regexes, the same check-digit
        functions in validate_result, the same cue words) and the no-op NLP engine (no
        spaCy model). Presidio is slow, so it scans a sample: every k-th file, up to
        --sample-mb; mamori scans the same sample too, and the ratio compares those two.

Times are CPU time of this one process pinned to one core (time.process_time), so other
work on the machine does not count against either side. Precision and recall are per
type over the sample for both (a finding is right when it overlaps a label of its type),
counting findings at or above --min-confidence: Presidio's scores (0.6, 1.0 when a check
digit validates) are all above it; mamori reports a bare place name, a marking quoted
inside a sentence or a My Number with no cue word below it. No Django is loaded.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from mamori.scan.corpus import Document, Score, evaluate, generate, write_documents  # noqa: E402
from mamori.scan.detect import detect  # noqa: E402
from mamori.scan.types import FINDING_TYPES  # noqa: E402

TARGET_MBPS = 20.0
TARGET_RATIO = 10.0


def build_corpus(mb: float, seed: int, directory: Path) -> list[Document]:
    """Documents until their files hold `mb` megabytes, written to `directory` and read
    back from there."""
    docs: list[Document] = []
    size = 0
    chunk = 0
    while size < mb * 1e6:
        batch = generate(seed * 1000 + chunk, 500, prose_only=0.7, name_prefix=f"{chunk:04d}-")
        docs += batch
        size += sum(len(d.body.encode()) for d in batch)
        chunk += 1
    paths = write_documents(docs, directory)
    for doc, path in zip(docs, paths, strict=True):
        if path.read_text(encoding="utf-8") != doc.body:  # the files are the corpus
            raise SystemExit(f"{path} did not read back as written")
    return docs


def megabytes(docs: Sequence[Document]) -> float:
    return sum(len(d.body.encode()) + len(d.name.encode()) for d in docs) / 1e6


def timed(fn: Callable[[str], Any], docs: Sequence[Document], rounds: int = 1) -> float:
    """CPU seconds for one pass over `docs`, the best of `rounds` passes. The garbage
    collector is paused while timing (as timeit does), for both sides: otherwise its
    passes over the whole corpus held in memory would be charged to whoever allocates."""
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            for doc in docs:
                fn(doc.text)
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def rate_line(label: str, docs: Sequence[Document], seconds: float) -> float:
    mb = megabytes(docs)
    rate = mb / seconds if seconds else float("inf")
    print(
        f"  {label:<34} {mb:>8.1f} MB {len(docs):>7,} files  {seconds:>8.2f} s  "
        f"{rate:>8.2f} MB/s  {1000 * seconds / mb:>8.1f} ms/MB"
    )
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mb", type=float, default=100.0, help="corpus size (default 100)")
    parser.add_argument("--sample-mb", type=float, default=6.0, help="Presidio's sample")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--min-confidence", type=float, default=0.5)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the sample, best kept")
    args = parser.parse_args()
    try:
        import presidio_analyzer  # noqa: F401
        from _presidio_peer import build_analyzer, detect_with
    except ImportError:
        print(
            "bench/scan.py needs presidio-analyzer for the peer: "
            ".venv/bin/pip install -e '.[bench]'",
            file=sys.stderr,
        )
        return 2
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, for both

    with tempfile.TemporaryDirectory(prefix="mamori-scan-bench-") as tmp:
        start = time.perf_counter()
        docs = build_corpus(args.mb, args.seed, Path(tmp))
        built = time.perf_counter() - start
        plain = [d for d in docs if not d.labels and d.name.endswith(".txt")]
        csv = [d for d in docs if d.name.endswith(".csv")]
        print(
            f"corpus: {megabytes(docs):.1f} MB in {len(docs):,} files under {tmp} "
            f"(built in {built:.1f} s): {megabytes(plain):.1f} MB plain text with no personal "
            f"data, {megabytes(csv):.1f} MB csv, the rest labelled .txt; seed {args.seed}, one core"
        )

        print("mamori (pure Python), whole corpus")
        rate_all = rate_line("detect(), every file", docs, timed(detect, docs, args.rounds))
        rate_plain = rate_line(
            "detect(), plain text files", plain, timed(detect, plain, args.rounds)
        )
        rate_line("detect(), csv files", csv, timed(detect, csv, args.rounds))

        step = max(1, round(megabytes(docs) / args.sample_mb))
        sample = docs[::step]
        print(
            f"sample: every {step}th file, {megabytes(sample):.1f} MB in {len(sample):,} files "
            f"(Presidio is too slow for the whole corpus); best of {args.rounds} passes each"
        )
        analyzer = build_analyzer()
        peer = detect_with(analyzer)
        print("mamori, sample")
        ours = rate_line("detect()", sample, timed(detect, sample, args.rounds))
        print(f"presidio-analyzer {_version()}, sample")
        theirs = rate_line("AnalyzerEngine.analyze()", sample, timed(peer, sample, args.rounds))

        ours_scores = evaluate(detect, sample, args.min_confidence)
        peer_scores = evaluate(peer, sample, args.min_confidence)
        full_scores = evaluate(detect, docs, args.min_confidence)

    print_scores(ours_scores, peer_scores, full_scores, args.min_confidence)
    ratio = ours / theirs
    print(f"ratio mamori/presidio on the sample: {ratio:.1f}x")
    worse = [
        t
        for t in FINDING_TYPES
        if ours_scores[t].precision < peer_scores[t].precision
        or ours_scores[t].recall < peer_scores[t].recall
    ]
    print(
        f"target >= {TARGET_MBPS:.0f} MB/s on plain text: "
        f"{'met' if rate_plain >= TARGET_MBPS else 'NOT met'} ({rate_plain:.1f} MB/s; "
        f"{rate_all:.1f} MB/s over the whole corpus)"
    )
    print(
        f"target >= {TARGET_RATIO:.0f}x presidio: {'met' if ratio >= TARGET_RATIO else 'NOT met'} "
        f"({ratio:.1f}x)"
    )
    print(
        "target precision and recall >= presidio's on every type: "
        + ("met" if not worse else "NOT met for " + ", ".join(worse))
    )
    return 0


def print_scores(
    ours: dict[str, Score], peer: dict[str, Score], full: dict[str, Score], threshold: float
) -> None:
    print(f"precision / recall per type on the sample (findings at confidence >= {threshold})")
    print(
        f"  {'type':<24} {'labels':>7}  {'mamori P':>8} {'R':>6}  {'presidio P':>10} {'R':>6}"
        f"   {'mamori, whole corpus P':>22} {'R':>6}"
    )
    for t in FINDING_TYPES:
        a, b, c = ours[t], peer[t], full[t]
        print(
            f"  {t:<24} {a.labels:>7}  {a.precision:>8.3f} {a.recall:>6.3f}  "
            f"{b.precision:>10.3f} {b.recall:>6.3f}   {c.precision:>22.3f} {c.recall:>6.3f}"
        )


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("presidio-analyzer")
    except Exception:  # noqa: BLE001
        return ""


if __name__ == "__main__":
    raise SystemExit(main())
