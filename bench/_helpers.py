"""What the Django benches share: a throwaway database, timing, p95, query counts, main().

Not a bench itself (``make bench`` skips files starting with ``_``). The scripts import it
as ``_helpers`` with this folder on ``sys.path``, so each still runs standalone:
``.venv/bin/python bench/<name>.py``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def configure(
    directory: str, *, tasks_backend: str | None = None, mfa_required_roles: str | None = None
) -> None:
    """Point Django at a fresh SQLite database in ``directory``, set it up and migrate it.

    ``tasks_backend`` replaces the immediate task backend (which the environment may
    otherwise choose); ``mfa_required_roles`` replaces the roles that must sign in with a
    second factor (the test client signs in without one).
    """
    os.environ.setdefault(
        "MAMORI_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789"
    )
    os.environ.setdefault("MAMORI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    if tasks_backend is None:
        os.environ.setdefault(
            "MAMORI_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    else:
        os.environ["MAMORI_TASKS_BACKEND"] = tasks_backend
    os.environ.setdefault("MAMORI_EMAIL_URL", "memory:")
    os.environ.setdefault("MAMORI_SECURE_COOKIES", "false")
    os.environ.setdefault("MAMORI_STATIC_MANIFEST", "false")
    os.environ["MAMORI_DEBUG"] = "false"  # DEBUG would keep every query in memory
    if mfa_required_roles is not None:
        os.environ["MAMORI_MFA_REQUIRED_ROLES"] = mfa_required_roles
    os.environ["MAMORI_DATA_DIR"] = directory
    (Path(directory) / "static").mkdir(exist_ok=True)
    os.environ["MAMORI_DATABASE_URL"] = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "mamori.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

    import django
    from django.core.management import call_command

    django.setup()
    import logging

    for noisy in ("django_tasks", "weasyprint"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)


def timed(function, runs: int, before=None) -> list[float]:
    """Milliseconds of ``runs`` calls of ``function``; ``before`` (untimed) runs before each."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()  # not timed
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(label: str, times: list[float], target: float, width: int = 46) -> bool:
    """Print the median and p95 of ``times`` (ms); true when the p95 is below ``target``."""
    ordered = sorted(times)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    ok = p95 < target
    print(
        f"{label:<{width}} median {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms   "
        f"{'ok' if ok else 'OVER TARGET'}"
    )
    return ok


def count_queries(client, url: str) -> int:
    """The number of queries of one GET of ``url`` (which must answer 200)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured)


def main(doc: str | None, name: str, options: dict[str, int], run, **settings) -> int:
    """Parse the integer ``options`` (``--name`` → default), run ``run(args)`` on a fresh
    database in a temporary directory (``configure(directory, **settings)``), delete it."""
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    for option, default in options.items():
        parser.add_argument(f"--{option}", type=int, default=default)
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix=f"mamori-bench-{name}-")
    try:
        configure(directory, **settings)
        return run(args)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
