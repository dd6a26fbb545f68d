"""Audit-trail throughput, each figure beside a peer measured in the same run.

    .venv/bin/python bench/trail.py [--appends 5000] [--events 200000]

appends   record(): one event per transaction, chained under the head lock.
          peer: Event.objects.create of an unchained row, one per transaction.
verify    verify(): every event streamed from the database and its hash recomputed.
          peer: the same hashing over rows already in memory, no database (upper bound).

It uses a throwaway SQLite database in a temporary directory (never MAMORI_DATABASE_URL
from the environment), migrates it, and deletes it at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

APPEND_TARGET = 2_000
VERIFY_TARGET = 200_000


def configure(directory: str) -> None:
    # The same test-run defaults as the root conftest.py, and a database of our own.
    os.environ.setdefault(
        "MAMORI_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789"
    )
    os.environ.setdefault("MAMORI_ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ.setdefault(
        "MAMORI_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
    )
    os.environ.setdefault("MAMORI_EMAIL_URL", "memory:")
    os.environ.setdefault("MAMORI_SECURE_COOKIES", "false")
    os.environ.setdefault("MAMORI_STATIC_MANIFEST", "false")
    os.environ["MAMORI_DEBUG"] = "false"  # DEBUG would keep every query in memory
    os.environ["MAMORI_DATA_DIR"] = directory
    os.environ["MAMORI_DATABASE_URL"] = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "mamori.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def bench_appends(count: int, rounds: int) -> tuple[float, float]:
    """Best round of each, the peer and record() taking turns so that both see the
    same load on the machine."""
    from django.db import transaction
    from django.utils import timezone

    from mamori.trail.models import Event
    from mamori.trail.services import record

    per_round = max(1, count // rounds)
    ours, peer = 0.0, 0.0
    for r in range(rounds):
        start = time.perf_counter()
        for i in range(per_round):
            with transaction.atomic():
                Event.objects.create(
                    seq=10**15 + r * per_round + i,
                    segment=-1,
                    at=timezone.now(),
                    actor_label="system",
                    organization_id=1,
                    action="bench.peer",
                    data_json=f'{{"i":{i}}}',
                    prev_hash="",
                    hash="",
                )
        peer = max(peer, rate(per_round, time.perf_counter() - start))
        start = time.perf_counter()
        for i in range(per_round):
            record("bench.append", data={"i": i}, organization_id=1)
        ours = max(ours, rate(per_round, time.perf_counter() - start))
    Event.objects.filter(action="bench.peer").delete()
    return ours, peer


def extend_chain(count: int) -> None:
    """Append `count` correctly chained events straight into the table, fast."""
    from django.conf import settings
    from django.db import connection, transaction

    from mamori.trail.chain import canonical_json, event_hash
    from mamori.trail.models import Checkpoint, Event, TrailHead

    size = settings.TRAIL_SEGMENT_SIZE
    adapt = connection.ops.adapt_datetimefield_value
    columns = (
        "seq",
        "segment",
        "at",
        "actor_id",
        "actor_label",
        "organization_id",
        "action",
        "object_type",
        "object_id",
        "object_label",
        "data_json",
        "prev_hash",
        "hash",
    )
    sql = (
        f"INSERT INTO {Event._meta.db_table} ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with transaction.atomic():
        head = TrailHead.objects.select_for_update().get(pk=1)
        at = datetime.now(UTC) - timedelta(seconds=count)
        rows, checkpoints = [], []
        first_prev, first_at = Event.objects.filter(seq=head.segment_first_seq).values_list(
            "prev_hash", "at"
        ).first() or (None, None)
        for i in range(count):
            seq = head.last_seq + 1
            # Some whole seconds too: SQLite stores those without the fraction.
            at += timedelta(microseconds=1_000_000 if i % 97 == 0 else 1_013)
            if i % 97 == 0:
                at = at.replace(microsecond=0)
            actor_label = f"職員 {i % 50}号"
            data_json = canonical_json({"i": i, "reason": "ベンチマーク", "ok": i % 2 == 0})
            object_id = str(i % 500)
            digest = event_hash(
                head.last_hash,
                seq,
                at,
                i % 50 or None,
                actor_label,
                1,
                "bench.verify",
                "approvals.request",
                object_id,
                f"申請 {object_id}",
                data_json,
            )
            rows.append(
                (
                    seq,
                    head.segment,
                    adapt(at),
                    i % 50 or None,
                    actor_label,
                    1,
                    "bench.verify",
                    "approvals.request",
                    object_id,
                    f"申請 {object_id}",
                    data_json,
                    head.last_hash,
                    digest,
                )
            )
            if seq == head.segment_first_seq:
                first_prev, first_at = head.last_hash, at
            head.last_seq, head.last_hash = seq, digest
            if seq - head.segment_first_seq + 1 >= size:
                checkpoints.append(
                    Checkpoint(
                        segment=head.segment,
                        first_seq=head.segment_first_seq,
                        last_seq=seq,
                        start_hash=first_prev,
                        end_hash=digest,
                        first_at=first_at,
                        last_at=at,
                    )
                )
                head.segment, head.segment_first_seq = head.segment + 1, seq + 1
        with connection.cursor() as cursor:
            for i in range(0, len(rows), 10_000):
                cursor.executemany(sql, rows[i : i + 10_000])
        Checkpoint.objects.bulk_create(checkpoints)
        head.save()


def bench_verify(rounds: int) -> tuple[float, float, int]:
    """Best of `rounds` runs of verify() and of the in-memory peer, taking turns."""
    from django.db import connection

    from mamori.trail.chain import time_text
    from mamori.trail.models import Event
    from mamori.trail.verify import verify

    # The peer: the same rows, already in memory with `at` in its hashed form.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT seq, CAST(at AS TEXT), actor_id, actor_label, organization_id, "
            f"action, object_type, object_id, object_label, data_json, prev_hash, "
            f"hash FROM {Event._meta.db_table} ORDER BY seq"
        )
        rows = [
            (
                str(seq),
                time_text(at),
                "" if actor is None else str(actor),
                label,
                "" if org is None else str(org),
                action,
                otype,
                oid,
                olabel,
                data,
                prev,
                digest,
            )
            for (
                seq,
                at,
                actor,
                label,
                org,
                action,
                otype,
                oid,
                olabel,
                data,
                prev,
                digest,
            ) in cursor.fetchall()
        ]
    sha256, sep = hashlib.sha256, "\x1f"
    ours, peer, checked = 0.0, 0.0, 0
    for _round in range(rounds):
        start = time.perf_counter()
        result = verify()
        seconds = time.perf_counter() - start
        if not result.ok:
            raise SystemExit(f"verify failed on the benchmark chain: {result.reason}")
        ours, checked = max(ours, rate(result.checked, seconds)), result.checked

        start = time.perf_counter()
        bad = 0
        for seq, at, actor, label, org, action, otype, oid, olabel, data, prev, digest in rows:
            body = sep.join((prev, seq, at, actor, label, org, action, otype, oid, olabel, data))
            if sha256(body.encode("utf-8")).hexdigest() != digest:
                bad += 1
        peer = max(peer, rate(len(rows), time.perf_counter() - start))
        if bad:
            raise SystemExit(f"peer found {bad} bad rows: the benchmark chain is wrong")
    return ours, peer, checked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appends", type=int, default=5_000)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="measure in turns and keep each side's best (default 5)",
    )
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="mamori-bench-trail-")
    try:
        configure(directory)
        appended, appended_peer = bench_appends(args.appends, args.rounds)
        start = time.perf_counter()
        extend_chain(args.events)
        setup = time.perf_counter() - start
        verified, verified_peer, checked = bench_verify(max(1, args.rounds // 2 + 1))
    finally:
        shutil.rmtree(directory, ignore_errors=True)

    import django

    print(
        f"mamori trail benchmark — Python {sys.version.split()[0]}, Django {django.__version__},"
        f" SQLite (WAL, synchronous=NORMAL)"
    )
    print(f"setup: {args.events:,} chained events bulk-inserted in {setup:.1f} s")
    header = f"{'measure':<34}{'mamori':>14}{'peer':>14}{'target':>14}  result"
    print(header)
    print("-" * len(header))
    for name, ours, peer, target in (
        (f"appends/s  record(), n={args.appends:,}", appended, appended_peer, APPEND_TARGET),
        (f"verified/s verify(), n={checked:,}", verified, verified_peer, VERIFY_TARGET),
    ):
        verdict = "meets target" if ours >= target else "BELOW target"
        print(f"{name:<34}{ours:>14,.0f}{peer:>14,.0f}{'≥ ' + format(target, ','):>14}  {verdict}")
    print(
        f"best of {args.rounds} rounds for appends, {max(1, args.rounds // 2 + 1)} for verify;"
        f" load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
    )
    print("peers: appends = Event.objects.create of an unchained row per transaction;")
    print("       verified = join + sha256 over the same rows already in memory (upper bound)")


if __name__ == "__main__":
    main()
