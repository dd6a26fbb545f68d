"""`mamori worker`: the background worker, run as one long-lived service.

Each round it
  1. runs the queued background tasks (django-tasks' database worker, in batch mode);
  2. sends the mail that is due from the outbox, retrying earlier failures;
  3. once an hour, expires approvals whose approved period has ended;
then sleeps --interval seconds. SIGTERM or SIGINT stops it cleanly once the step in
progress is done. --once runs a single round and exits, non-zero if a step failed
(for cron and tests).

Several workers may run at once: each step claims its rows, so none is done twice.
"""

from __future__ import annotations

import logging
import math
import os
import signal
import socket
import threading
from datetime import timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from mamori.approvals.services import expire_lapsed
from mamori.notices.services import deliver_due

log = logging.getLogger("mamori.worker")

EXPIRY_EVERY = timedelta(hours=1)
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Command(BaseCommand):
    help = (
        "Run background tasks, deliver queued mail and expire lapsed approvals, "
        "every --interval seconds until stopped (--once: one round)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=5.0,
            help="seconds to sleep between rounds (default: %(default)s)",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="run one round and exit; non-zero exit if a step failed",
        )

    def handle(self, *args, interval: float, once: bool, verbosity: int, **options) -> None:
        if not math.isfinite(interval) or interval < 0:
            raise CommandError(f"--interval {interval}: must be zero or more seconds")
        self.verbosity = verbosity
        self.stopping = threading.Event()
        self.worker_id = f"mamori-{socket.gethostname()}-{os.getpid()}"[:64]
        previous_handlers = self._install_signal_handlers()
        last_expiry = None
        if not once:
            log.info("worker %s started: a round every %ss", self.worker_id, interval)
        try:
            while not self.stopping.is_set():
                expiry_due = last_expiry is None or timezone.now() - last_expiry >= EXPIRY_EVERY
                failures, last_expiry = self.run_round(
                    expire=once or expiry_due, last_expiry=last_expiry
                )
                if once:
                    if failures:
                        raise CommandError(f"worker round failed: {', '.join(failures)}")
                    return
                self.stopping.wait(interval)
        finally:
            self._restore_signal_handlers(previous_handlers)
        log.info("worker %s stopped", self.worker_id)

    # --- one round ----------------------------------------------------------------------

    def run_round(self, *, expire: bool, last_expiry):
        """Run every step once. Returns (names of the steps that failed, last expiry time).
        A failed step is logged and the others still run; the next round tries it again."""
        close_old_connections()  # drop a connection the database has closed meanwhile
        failures: list[str] = []
        done: list[str] = []

        steps = [("tasks", self.run_queued_tasks), ("mail", self.deliver_mail)]
        if expire:
            steps.append(("expiry", self.expire_approvals))
        for name, step in steps:
            if self.stopping.is_set():
                break
            try:
                summary = step()
            except Exception:  # a worker must outlive a database or mail-server hiccup
                log.exception("worker step %r failed", name)
                failures.append(name)
                close_old_connections()
                continue
            if name == "expiry":
                last_expiry = timezone.now()
            if summary:
                done.append(summary)

        if done:
            log.info("worker round: %s", "; ".join(done))
        elif self.verbosity >= 2:
            log.info("worker round: nothing to do")
        close_old_connections()
        return failures, last_expiry

    def run_queued_tasks(self) -> str:
        from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult

        if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            return ""  # another backend (tests: immediate) ran the tasks when they were queued
        ready = DBTaskResult.objects.ready().filter(backend_name=DEFAULT_TASK_BACKEND_ALIAS).count()
        if not ready:
            return ""  # nothing queued: spare the log a start/stop line every round
        try:
            call_command(
                "db_worker",
                batch=True,
                queue_name="*",
                reload=False,
                startup_delay=False,
                backend_name=DEFAULT_TASK_BACKEND_ALIAS,
                worker_id=self.worker_id,
                verbosity=self.verbosity,
            )
        except SystemExit:
            # db_worker installs its own SIGTERM/SIGINT handlers while it runs and leaves
            # with SystemExit on one that arrives between tasks: that is our stop.
            self.stopping.set()
        finally:
            self._take_back_signals()
        return f"{ready} queued task(s) run"

    def deliver_mail(self) -> str:
        sent, failed = deliver_due()
        if not (sent or failed):
            return ""
        return f"{sent} mail(s) sent, {failed} failed (retried later)"

    def expire_approvals(self) -> str:
        expired = expire_lapsed()
        return f"{expired} approval(s) expired" if expired else ""

    # --- signals ------------------------------------------------------------------------

    def _on_stop_signal(self, signum, frame) -> None:
        log.info(
            "worker %s: %s received, stopping after the current step",
            self.worker_id,
            signal.strsignal(signum),
        )
        self.stopping.set()

    def _install_signal_handlers(self) -> dict:
        if threading.current_thread() is not threading.main_thread():
            return {}  # only the main thread may set handlers (e.g. a test in a thread)
        return {signum: signal.signal(signum, self._on_stop_signal) for signum in STOP_SIGNALS}

    def _take_back_signals(self) -> None:
        """Put our handlers back after db_worker replaced them, keeping a stop signal
        that arrived while one of its tasks ran (its handler then only flags its loop)."""
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in STOP_SIGNALS:
            handler = signal.getsignal(signum)
            db_worker = getattr(handler, "__self__", None)
            if (
                db_worker is not None
                and db_worker is not self
                and getattr(db_worker, "running", True) is False
            ):
                self.stopping.set()
            signal.signal(signum, self._on_stop_signal)

    def _restore_signal_handlers(self, previous: dict) -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
