"""`mamori decide`: JSON or JSON Lines in, one decision per line out, exit 2 on a bad
request naming the field and the values it allows."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mamori.rules import handling

C3_OUTSIDE = {
    "org_kind": "national",
    "info": {"confidentiality": 3},
    "action": "process_outside_area",
}
C2_PUBLISH = {"org_kind": "national", "info": {"confidentiality": 2}, "action": "publish"}
SEND = {
    "org_kind": "independent",
    "rulebooks": ["toitsu", "mic_pii"],
    "info": {"confidentiality": 2, "types": ["personal"]},
    "action": "send",
    "context": {"channel": "other_mail", "recipient": "outside_viewers"},
}
BAD = {"org_kind": "national", "info": {"confidentiality": 5}, "action": "publish"}


def run(text, *args):
    out = io.StringIO()
    call_command("decide", *args, stdin=io.StringIO(text), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def lines(*requests):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in requests)


def test_one_request_gives_one_decision():
    (decision,) = run(json.dumps(C3_OUTSIDE))
    assert decision["verdict"] == "needs_permission"
    assert decision["permission_from"] == ["section_isec_officer"]
    assert decision == handling.decide(C3_OUTSIDE)


def test_a_request_written_over_several_lines():
    (decision,) = run("\n" + json.dumps(C2_PUBLISH, indent=2) + "\n")
    assert decision["verdict"] == "deny"
    assert "統一基準(R7) 3.1.1(5)(a)" in decision["citations"]


def test_json_lines_give_one_decision_per_line_in_order():
    decisions = run(lines(C3_OUTSIDE, C2_PUBLISH) + "\n" + lines(SEND))
    assert decisions == [handling.decide(r) for r in (C3_OUTSIDE, C2_PUBLISH, SEND)]


def test_empty_input_decides_nothing():
    assert run("") == []


def test_output_is_unescaped_utf8():
    out = io.StringIO()
    call_command("decide", stdin=io.StringIO(json.dumps(C2_PUBLISH)), stdout=out)
    assert "統一基準" in out.getvalue()


def test_a_file_argument(tmp_path):
    path = tmp_path / "requests.jsonl"
    path.write_text(lines(C3_OUTSIDE, SEND), encoding="utf-8")
    assert [d["verdict"] for d in run("", str(path))] == [
        handling.decide(C3_OUTSIDE)["verdict"],
        handling.decide(SEND)["verdict"],
    ]


def test_a_bad_request_stops_with_exit_2_naming_the_line_field_and_values():
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("decide", stdin=io.StringIO(lines(C3_OUTSIDE, BAD, C2_PUBLISH)), stdout=out)
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert "line 2" in message
    assert "info.confidentiality" in message and "allowed: 1, 2, 3" in message
    # The good line before it was decided; nothing after it.
    assert [json.loads(x)["verdict"] for x in out.getvalue().splitlines()] == ["needs_permission"]


def test_a_line_that_is_not_json_is_exit_2():
    with pytest.raises(CommandError) as caught:
        run(lines(C3_OUTSIDE) + "{not json\n")
    assert caught.value.returncode == 2 and "line 2" in str(caught.value)


def _mamori(tmp_path: Path, *args: str, stdin: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("mamori")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "mamori"]
    env = {"PATH": "/usr/bin:/bin", "MAMORI_DATA_DIR": str(tmp_path), "MAMORI_DEBUG": "true"}
    return subprocess.run(
        [*command, *args], input=stdin, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_console_script_needs_no_database_and_exits_2_on_stderr(tmp_path):
    good = _mamori(tmp_path, "decide", stdin=lines(C3_OUTSIDE, C2_PUBLISH))
    assert good.returncode == 0, good.stderr
    assert [json.loads(x)["verdict"] for x in good.stdout.splitlines()] == [
        "needs_permission",
        "deny",
    ]
    bad = _mamori(tmp_path, "decide", "-", stdin=lines(BAD))
    assert bad.returncode == 2
    assert "info.confidentiality" in bad.stderr and "1, 2, 3" in bad.stderr
    assert not list(tmp_path.glob("*.sqlite3"))  # no database was created or opened


POLICY = """\
agency: 例示省
rules:
  - id: c2-outside-needs-permission
    actions: [process_outside_area]
    when: {confidentiality: [2]}
    verdict: needs_permission
    permission_from: [section_isec_officer]
    citation: 例示省情報セキュリティ対策基準 第12条第2項
    reason: {ja: 機密性２情報も許可が必要です。, en: Confidentiality-2 needs permission too.}
"""


def test_an_agency_policy_tightens_the_answer(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text(POLICY, encoding="utf-8")
    request = {**C3_OUTSIDE, "info": {"confidentiality": 2}}
    (baseline,) = run(json.dumps(request))
    (tightened,) = run(json.dumps(request), "--policy", str(path))
    assert baseline["verdict"] != "needs_permission"
    assert tightened["verdict"] == "needs_permission"
    assert "例示省情報セキュリティ対策基準 第12条第2項" in tightened["citations"]


def test_a_loosening_policy_is_refused_with_exit_2(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text(POLICY.replace("needs_permission", "allow"), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run(json.dumps(C3_OUTSIDE), "--policy", str(path))
    assert caught.value.returncode == 2
