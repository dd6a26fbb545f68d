"""`mamori scan` as an operator or a CI job runs it: exit codes, the three formats, and
no full number in any of them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from mamori.scan.cli import main

from .files import MY_NUMBER, docx_bytes, flag_encrypted, zip_bytes

TWELVE_DIGITS = re.compile(r"(?<!\d)\d{12}(?!\d)")


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "提出"
    root.mkdir()
    (root / "名簿.csv").write_bytes(f"氏名,個人番号\n山田太郎,{MY_NUMBER}\n".encode("cp932"))
    (root / "報告.docx").write_bytes(docx_bytes(["公開できる本文"], header="機密性２"))
    (root / "暗号.zip").write_bytes(flag_encrypted(zip_bytes({"中身.txt": b"x"}), "中身.txt"))
    return root


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_findings_exit_1_and_json_has_the_agreed_shape(capsys, corpus):
    code, out, err = run(capsys, "--format", "json", str(corpus))
    assert code == 1 and err == ""
    report = json.loads(out)
    assert set(report) == {"files", "summary"}
    files = {os.path.relpath(entry["path"], corpus): entry for entry in report["files"]}
    assert list(files) == ["名簿.csv", "報告.docx", "暗号.zip", "暗号.zip!中身.txt"]
    assert all(set(entry) == {"path", "status", "reason", "findings"} for entry in report["files"])
    assert files["暗号.zip!中身.txt"]["status"] == "unscannable"
    assert files["暗号.zip!中身.txt"]["reason"] == "encrypted"
    marking = files["報告.docx"]["findings"][0]
    assert (marking["type"], marking["where"], marking["line"], marking["label"]) == (
        "classification_marking",
        "ヘッダー",
        1,
        "機密性２",
    )
    my_number = [f for f in files["名簿.csv"]["findings"] if f["type"] == "my_number"]
    assert [(f["line"], f["where"]) for f in my_number] == [(2, "本文")]
    assert report["summary"]["my_number"] == 1
    assert report["summary"]["classification_marking"] == 1


@pytest.mark.parametrize("output_format", ["text", "json", "sarif"])
def test_no_output_format_shows_a_full_twelve_digit_number(capsys, corpus, output_format):
    code, out, _ = run(capsys, "--format", output_format, str(corpus))
    assert code == 1
    assert MY_NUMBER[-4:] in out  # the masked number is there …
    assert MY_NUMBER not in out and not TWELVE_DIGITS.search(out)  # … never the whole


def test_text_output_has_one_line_per_finding_and_unscannable_files(capsys, corpus):
    _, out, _ = run(capsys, str(corpus))
    lines = out.splitlines()
    header = [line for line in lines if "classification_marking" in line and "報告.docx" in line]
    assert len(header) == 1
    assert (
        header[0].endswith("機密性２")
        and "報告.docx:1: [ヘッダー] classification_marking 機密性２ (" in header[0]
    )
    assert any("暗号.zip!中身.txt: unscannable (encrypted)" in line for line in lines)
    assert re.fullmatch(r"4 files, 1 unscannable, \d+ findings \(.*my_number=1.*\)", lines[-1])


def test_sarif_lists_rules_results_and_unscannable_notifications(capsys, corpus):
    _, out, _ = run(
        capsys, "--format", "sarif", "--types", "classification_marking,my_number", str(corpus)
    )
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    assert [rule["id"] for rule in run_["tool"]["driver"]["rules"]] == [
        "classification_marking",
        "my_number",
    ]
    levels = {r["ruleId"]: r["level"] for r in run_["results"]}
    assert levels == {"classification_marking": "error", "my_number": "error"}
    header = next(r for r in run_["results"] if r["ruleId"] == "classification_marking")
    location = header["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("/%E5%A0%B1%E5%91%8A.docx")  # 報告.docx
    assert location["region"] == {"startLine": 1}
    [notification] = run_["invocations"][0]["toolExecutionNotifications"]
    assert notification["descriptor"]["id"] == "encrypted"


def test_nothing_found_exits_0_even_with_unscannable_files(capsys, tmp_path):
    (tmp_path / "clean.txt").write_text("今日は晴れです。", encoding="utf-8")
    (tmp_path / "lock.zip").write_bytes(flag_encrypted(zip_bytes({"a.txt": b"x"}), "a.txt"))
    code, out, _ = run(capsys, str(tmp_path))
    assert code == 0
    assert "unscannable (encrypted)" in out
    assert out.splitlines()[-1] == "3 files, 1 unscannable, 0 findings"


def test_types_limit_the_search(capsys, corpus):
    code, out, _ = run(capsys, "--format", "json", "--types", "handling_marking", str(corpus))
    assert code == 0 and json.loads(out)["summary"] == {}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--types", "my_number,shoe_size", "."], "unknown finding type: shoe_size"),
        (["no/such/file.txt"], "no such file or directory: no/such/file.txt"),
        (["--format", "xml", "."], "invalid choice: 'xml'"),
        (["--max-file-mb", "0", "."], "must be positive"),
        ([], "the following arguments are required: PATH"),
    ],
)
def test_usage_errors_exit_2_with_a_message(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert message in err and "usage: mamori scan" in err


def test_the_max_file_size_option_makes_big_files_unscannable(capsys, tmp_path):
    (tmp_path / "big.txt").write_bytes(b"a" * 2_000_000)
    code, out, _ = run(capsys, "--max-file-mb", "1", str(tmp_path / "big.txt"))
    assert code == 0 and "unscannable (too_large)" in out


def test_the_console_script_scans_without_django_or_a_database(tmp_path):
    (tmp_path / "a.txt").write_text("機密性２の文書", encoding="utf-8")
    probe = (
        "import sys; from mamori.cli import main; code = main(['scan', '--format', 'json', sys.argv[1]]);"
        "print('DJANGO' if any(m.split('.')[0] == 'django' for m in sys.modules) else 'NO-DJANGO');"
        "sys.exit(code)"
    )
    env = {"PATH": "/usr/bin:/bin", "MAMORI_DATABASE_URL": "postgres://nowhere.invalid/none"}
    result = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "a.txt")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    report, _, marker = result.stdout.rpartition("}")
    assert marker.strip() == "NO-DJANGO"
    assert json.loads(report + "}")["summary"] == {"classification_marking": 1}
