"""`mamori catalog`: operators check the regulation catalogs, export them as OSCAL and
validate an official catalog before importing it, from the shell."""

import json

import pytest
from django.core.management import call_command
from tests.rules.test_requirements import BAD, write
from trestle.oscal.catalog import Catalog as OscalCatalog


def test_check_reports_every_committed_catalog_clean(capsys):
    call_command("catalog", "check")
    out = capsys.readouterr().out
    for name in ("toitsu.yaml", "mod.yaml", "mic.yaml"):
        assert f"{name}: " in out and "no errors" in out


def test_check_lists_each_error_with_file_and_line_and_fails(tmp_path, capsys):
    path = write(tmp_path, BAD)
    with pytest.raises(SystemExit) as exited:
        call_command("catalog", "check", str(path))
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert 'toitsu.yaml:17: 3.1.1(6)(b): unknown role code "xxx"' in err
    assert "toitsu.yaml:29: 3.1: edition must be one of R7, FY2018" in err


def test_oscal_writes_a_catalog_that_trestle_accepts(tmp_path):
    target = tmp_path / "toitsu-oscal.json"
    call_command("catalog", "oscal", "toitsu", "-o", str(target))
    document = json.loads(target.read_text(encoding="utf-8"))
    OscalCatalog.parse_obj(document["catalog"])
    assert "統一基準" in document["catalog"]["metadata"]["title"]


def test_import_check_refuses_a_file_with_a_bad_row(tmp_path, capsys):
    path = write(tmp_path, BAD)
    with pytest.raises(SystemExit) as exited:
        call_command("catalog", "import-check", str(path))
    assert exited.value.code == 1
    assert "nothing would be imported" in capsys.readouterr().err
