"""The `mamori` console script and the commands an operator runs: run, worker, i18n."""

from __future__ import annotations

import gettext
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks import task


def mamori_command() -> list[str]:
    """The installed console script beside this Python, else `python -m mamori`."""
    script = Path(sys.executable).with_name("mamori")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mamori"]


def clean_env(tmp_path: Path, **variables: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("MAMORI_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(MAMORI_DATA_DIR=str(tmp_path), **variables)
    return env


def mamori(tmp_path: Path, *args: str, **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*mamori_command(), *args],
        env=clean_env(tmp_path, **variables),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- the console script ---------------------------------------------------------------------


def test_help_prints_usage(tmp_path):
    result = mamori(tmp_path, "--help")
    assert result.returncode == 0
    assert "mamori <command>" in result.stdout
    assert "mamori migrate" in result.stdout and "mamori worker" in result.stdout


def test_a_bad_setting_exits_2_with_a_configuration_error(tmp_path):
    result = mamori(tmp_path, "check", MAMORI_DEBUG="maybe")
    assert result.returncode == 2
    assert "mamori: configuration error: MAMORI_DEBUG='maybe'" in result.stderr
    assert "Traceback" not in result.stderr  # an operator gets a sentence, not a stack


def test_an_unknown_command_fails(tmp_path):
    result = mamori(tmp_path, "no-such-command", MAMORI_DEBUG="1")
    assert result.returncode != 0
    assert "Unknown command" in result.stderr


# --- mamori run -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_run_serves_the_application_on_the_printed_url(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [*mamori_command(), "run", "--port", str(port)],
        env=clean_env(tmp_path, MAMORI_DEBUG="1"),
        cwd=tmp_path,
        # Ctrl+C as a terminal delivers it, even when this test itself was started in the
        # background (a shell then passes SIGINT on as ignored, and Python keeps it so).
        preexec_fn=default_sigint,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        printed = server.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in printed
        # The JavaScript catalogue needs no database, so an empty one will do.
        body = None
        for _attempt in range(600):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/jsi18n/", timeout=5) as reply:
                    body = reply.read().decode()
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.stdout.read()
                time.sleep(0.1)
        assert body is not None and "django.catalog" in body
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        finally:
            server.kill()
    assert server.returncode == 0  # Ctrl+C is a normal stop


def test_run_refuses_to_serve_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="gunicorn"):
        call_command("run")


# --- mamori worker ----------------------------------------------------------------------------


class WentOn(BaseException):
    """Raised where a stopped worker should never get: not an Exception, so the worker's
    step guard does not swallow it, and the test fails instead of sleeping forever."""


def queue_mail(to: str, *, due_in: timedelta = timedelta(0)):
    from mamori.notices.models import Outbox

    return Outbox.objects.create(
        to=to,
        subject="[mamori] 申請が承認されました",
        body="本文",
        next_attempt_at=timezone.now() + due_in,
    )


@pytest.fixture
def lapsed_approval(person_with, units):
    from mamori.approvals.models import Request
    from mamori.approvals.workflow import State

    applicant = person_with(unit="d1")
    today = timezone.localdate()
    return Request.objects.create(
        organization=applicant.organization,
        unit=units["d1"],
        kind="general.permission",
        applicant=applicant,
        title="USBメモリの使用",
        state=State.APPROVED,
        period_start=today - timedelta(days=30),
        period_end=today - timedelta(days=1),
    )


@pytest.mark.django_db(transaction=True)
def test_worker_once_sends_due_mail_and_expires_lapsed_approvals(lapsed_approval):
    due = queue_mail("staff@test.go.jp")
    later = queue_mail("later@test.go.jp", due_in=timedelta(hours=1))

    call_command("worker", once=True)

    assert [message.to for message in mail.outbox] == [["staff@test.go.jp"]]
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.sent_at is not None and later.sent_at is None
    lapsed_approval.refresh_from_db()
    assert lapsed_approval.state == "expired"


@pytest.mark.django_db(transaction=True)
def test_worker_once_runs_queued_background_tasks(settings):
    from django_tasks_db.models import DBTaskResult

    from mamori.notices.tasks import deliver_outbox

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queue_mail("staff@test.go.jp")
    queued = deliver_outbox.enqueue()
    assert DBTaskResult.objects.get(pk=queued.id).status == "READY"

    call_command("worker", once=True)

    result = DBTaskResult.objects.get(pk=queued.id)
    assert result.status == "SUCCESSFUL"
    assert result.return_value == {"sent": 1, "failed": 0}
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_worker_once_fails_when_a_step_fails(monkeypatch):
    def mail_server_down():
        raise ConnectionRefusedError("connection refused by mail server")

    monkeypatch.setattr("mamori.web.management.commands.worker.deliver_due", mail_server_down)
    with pytest.raises(CommandError, match="mail"):
        call_command("worker", once=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_worker_stops_cleanly_on_a_stop_signal(monkeypatch, signum):
    """A signal during a round lets the round finish and ends the loop: no second round,
    no sleep, a normal return (systemd's stop, Ctrl+C)."""
    from mamori.notices.services import deliver_due

    rounds = []

    def deliver_then_signal():
        rounds.append(1)
        if len(rounds) > 1:
            raise WentOn("the worker went on after the stop signal")
        os.kill(os.getpid(), signum)
        return deliver_due()

    monkeypatch.setattr("mamori.web.management.commands.worker.deliver_due", deliver_then_signal)
    before = signal.getsignal(signum)
    call_command("worker", interval=0.01)
    assert rounds == [1]
    assert signal.getsignal(signum) is before  # the caller's handler is back


@task()
def stop_the_worker() -> str:
    """A background task during which systemd stops the service."""
    os.kill(os.getpid(), signal.SIGTERM)
    return "finished"


@pytest.mark.django_db(transaction=True)
def test_worker_stops_after_the_task_during_which_the_stop_signal_came(settings, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queued = stop_the_worker.enqueue()

    def went_on():
        raise WentOn("the worker went on to the mail after the stop signal")

    monkeypatch.setattr("mamori.web.management.commands.worker.deliver_due", went_on)
    call_command("worker", interval=3600)

    assert DBTaskResult.objects.get(pk=queued.id).status == "SUCCESSFUL"  # not cut short


# --- mamori i18n ------------------------------------------------------------------------------

PO_HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

"""


def write_catalogue(root: Path, language: str, body: str) -> Path:
    path = root / language / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    path.write_text(PO_HEADER + body, encoding="utf-8")
    return path


def test_i18n_compiles_catalogues_that_gettext_reads(tmp_path):
    write_catalogue(
        tmp_path,
        "en",
        """
#, python-format
msgid "%(reference)s を承認しました。"
msgstr "Approved %(reference)s."

msgid "申請"
msgstr "Request"

#, fuzzy
msgid "却下"
msgstr "Rejected?"
""",
    )
    call_command("i18n", locale_dirs=[tmp_path], verbosity=0)

    with (tmp_path / "en" / "LC_MESSAGES" / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    assert catalogue.gettext("申請") == "Request"
    assert (
        catalogue.gettext("%(reference)s を承認しました。") % {"reference": "R-000001"}
        == "Approved R-000001."
    )
    assert catalogue.gettext("却下") == "却下"  # a fuzzy guess is not shown to users


def test_i18n_check_fails_on_untranslated_or_fuzzy_english(tmp_path):
    write_catalogue(
        tmp_path,
        "en",
        """
msgid "申請"
msgstr "Request"

msgid "承認"
msgstr ""

#, fuzzy
msgid "却下"
msgstr "Rejected?"
""",
    )
    write_catalogue(tmp_path, "ja", 'msgid "承認"\nmsgstr ""\n')  # the source language

    with pytest.raises(CommandError) as failure:
        call_command("i18n", locale_dirs=[tmp_path], check=True, verbosity=0)
    message = str(failure.value)
    assert "en/LC_MESSAGES/django.po: 1 untranslated, 1 fuzzy" in message
    assert "ja/" not in message


def test_i18n_check_passes_a_complete_catalogue(tmp_path):
    write_catalogue(tmp_path, "en", 'msgid "申請"\nmsgstr "Request"\n')
    call_command("i18n", locale_dirs=[tmp_path], check=True, verbosity=0)
    assert (tmp_path / "en" / "LC_MESSAGES" / "django.mo").exists()


def test_i18n_refuses_a_translation_with_different_placeholders(tmp_path):
    write_catalogue(
        tmp_path,
        "en",
        """
#, python-format
msgid "%(reference)s を承認しました。"
msgstr "Approved %(ref)s."
""",
    )
    with pytest.raises(CommandError, match=r"placeholders \['ref'\] instead of \['reference'\]"):
        call_command("i18n", locale_dirs=[tmp_path], verbosity=0)
