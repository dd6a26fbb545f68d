"""`mamori trail verify` and `mamori trail prune`: messages and exit codes."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mamori import cli
from mamori.trail.models import Event

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("trail", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_verify_reports_ok_with_the_count(events):
    events(1234)
    out, err = run("verify")
    assert out.startswith("OK: ") and "1,234" in out
    assert err == ""


def test_verify_exits_1_and_names_the_event_on_stderr_when_tampered(events):
    events(10)
    Event.objects.filter(seq=7).update(data_json="{}")
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("trail", "verify", stdout=out, stderr=err)
    assert exited.value.code == 1
    assert err.getvalue().startswith("TAMPERED: ") and "#7" in err.getvalue()
    assert out.getvalue() == ""


# Transactional: like any management command run from a shell, the script closes the
# database connections when it ends, which would cut a test's enclosing transaction.
@pytest.mark.django_db(transaction=True)
def test_the_mamori_script_returns_the_exit_codes(events, capsys):
    events(3)
    assert cli.main(["trail", "verify"]) == 0
    assert "OK: " in capsys.readouterr().out
    Event.objects.filter(seq=2).delete()
    assert cli.main(["trail", "verify"]) == 1
    assert "TAMPERED: " in capsys.readouterr().err
    assert cli.main(["trail", "prune", "--before", "2020-02-30"]) == 2
    assert "2020-02-30" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["2020-02-30", "yesterday", "2020/04/01", ""])
def test_prune_rejects_a_bad_date_with_exit_code_2(db, value):
    with pytest.raises(CommandError) as raised:
        run("prune", "--before", value)
    assert raised.value.returncode == 2
    assert "YYYY-MM-DD" in str(raised.value)


def test_prune_dry_run_reports_and_keeps_everything(events, small_segments):
    events(25)
    out, _err = run("prune", "--before", "2999-01-01", "--dry-run")
    assert "#1" in out and "#20" in out
    assert Event.objects.count() == 25


def test_prune_reports_what_it_deleted(events, small_segments):
    events(25)
    out, _err = run("prune", "--before", "2999-01-01")
    assert "#1" in out and "#20" in out
    assert Event.objects.filter(seq__lte=20).count() == 0
    assert Event.objects.filter(action="trail.pruned").count() == 1
    out, _err = run("verify")
    assert out.startswith("OK: ")


def test_prune_with_nothing_due_says_so(events, small_segments):
    events(5)
    out, _err = run("prune", "--before", "2999-01-01")
    assert "2999-01-01" in out
    assert Event.objects.count() == 5


def test_prune_refuses_a_tampered_segment_with_exit_code_1(events, small_segments):
    events(25)
    Event.objects.filter(seq=4).update(actor_label="x")
    with pytest.raises(SystemExit) as exited:
        run("prune", "--before", "2999-01-01")
    assert exited.value.code == 1
    assert Event.objects.count() == 25
