"""Configuration comes only from MAMORI_* variables, and a bad value stops start-up with a
message naming the variable (an operator's typo must not become odd behaviour later).

The settings are loaded in a fresh Python process each time, as a server would load them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mamori.config import ConfigError, Env, email_backend

PRODUCTION = {  # a minimal valid production configuration
    "MAMORI_SECRET_KEY": "k" * 40,
    "MAMORI_ALLOWED_HOSTS": "mamori.example.go.jp",
}
SHOW = "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG)"


def load_settings(data_dir: Path, code: str = SHOW, **variables: str | None):
    """Set Django up in a new process with exactly PRODUCTION + `variables` (None: unset)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("MAMORI_")}
    env.update(PRODUCTION, MAMORI_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="mamori.settings")
    for name, value in variables.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_valid_production_configuration_loads(tmp_path):
    result = load_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "False"]


def test_a_postgres_url_selects_postgresql(tmp_path):
    result = load_settings(
        tmp_path, MAMORI_DATABASE_URL="postgres://mamori:pw@db.internal:5432/mamori"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "django.db.backends.postgresql"


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        pytest.param({"MAMORI_DEBUG": "maybe"}, ["MAMORI_DEBUG", "true/false"], id="bad bool"),
        pytest.param(
            {"MAMORI_SESSION_IDLE_MINUTES": "thirty"},
            ["MAMORI_SESSION_IDLE_MINUTES", "whole number"],
            id="bad int",
        ),
        pytest.param(
            {"MAMORI_PASSWORD_MIN_LENGTH": "4"},
            ["MAMORI_PASSWORD_MIN_LENGTH", "at least 8"],
            id="int below range",
        ),
        pytest.param(
            {"MAMORI_UPLOAD_MAX_MB": "5000"},
            ["MAMORI_UPLOAD_MAX_MB", "at most 1024"],
            id="int above range",
        ),
        pytest.param(
            {"MAMORI_SECRET_KEY": None}, ["MAMORI_SECRET_KEY is required"], id="missing secret key"
        ),
        pytest.param(
            {"MAMORI_SECRET_KEY": "too-short"},
            ["MAMORI_SECRET_KEY", "32 characters"],
            id="short secret key",
        ),
        pytest.param(
            {"MAMORI_ALLOWED_HOSTS": ""},
            ["MAMORI_ALLOWED_HOSTS is required"],
            id="no allowed hosts",
        ),
        pytest.param(
            {"MAMORI_EMAIL_URL": "http://mail.example.go.jp"},
            ["MAMORI_EMAIL_URL"],
            id="bad email url",
        ),
        pytest.param(
            {"MAMORI_EMAIL_URL": "smtp://"}, ["MAMORI_EMAIL_URL"], id="email url, no host"
        ),
        pytest.param(
            {"MAMORI_DATABASE_URL": "mysql://mamori@db/mamori"},
            ["MAMORI_DATABASE_URL", "only sqlite:// and postgres://"],
            id="unsupported database",
        ),
        pytest.param(
            {"MAMORI_DATABASE_URL": "not a url"}, ["MAMORI_DATABASE_URL"], id="bad database url"
        ),
        pytest.param(
            {"MAMORI_DATABASE_URL": "postgres://db:port/mamori"},
            ["MAMORI_DATABASE_URL"],
            id="database url, bad port",
        ),
        pytest.param(
            {"MAMORI_LANGUAGES": "en,ja"},
            ["MAMORI_LANGUAGES", "ja first"],
            id="languages not ja first",
        ),
        pytest.param({"MAMORI_LOG_LEVEL": "LOUD"}, ["MAMORI_LOG_LEVEL"], id="bad choice"),
        pytest.param(
            {"MAMORI_TASKS_BACKEND": "celery"}, ["MAMORI_TASKS_BACKEND"], id="unknown tasks backend"
        ),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path, variables, expected):
    result = load_settings(tmp_path, **variables)
    assert result.returncode != 0
    assert "ConfigError" in result.stderr
    for text in expected:
        assert text in result.stderr


def test_debug_generates_one_secret_key_per_machine_and_keeps_it(tmp_path):
    code = "from django.conf import settings as s; print(s.SECRET_KEY)"
    first = load_settings(tmp_path, code, MAMORI_DEBUG="1", MAMORI_SECRET_KEY=None)
    second = load_settings(tmp_path, code, MAMORI_DEBUG="1", MAMORI_SECRET_KEY=None)
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret_key"
    assert first.stdout.strip() == second.stdout.strip() == key_file.read_text().strip()
    assert len(first.stdout.strip()) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600  # only the service account reads it


# --- the parsing rules themselves (pure Python) --------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1", True),
        ("true", True),
        ("YES", True),
        (" on ", True),
        ("0", False),
        ("false", False),
        ("No", False),
        ("off", False),
        ("", False),
    ],
)
def test_bool_accepts_the_usual_spellings(raw, value):
    assert Env({"MAMORI_FLAG": raw}).bool("FLAG", not value) is value


def test_unset_variables_take_their_defaults():
    env = Env({})
    assert env.bool("FLAG", True) is True
    assert env.int("COUNT", 7) == 7
    assert env.str("NAME", "default") == "default"
    assert env.list("ITEMS", ["a"]) == ["a"]


def test_list_ignores_blanks_and_spaces():
    assert Env({"MAMORI_HOSTS": " a.go.jp, ,b.go.jp,"}).list("HOSTS", []) == ["a.go.jp", "b.go.jp"]


def test_int_range_is_inclusive():
    env = Env({"MAMORI_N": "10"})
    assert env.int("N", 1, minimum=10, maximum=10) == 10
    with pytest.raises(ConfigError, match="MAMORI_N=10: must be at least 11"):
        env.int("N", 1, minimum=11)


def test_smtp_url_becomes_mail_settings():
    settings = email_backend("smtp+tls://relay%40agency:p%2Fw@mail.agency.go.jp:587")
    assert settings["EMAIL_HOST"] == "mail.agency.go.jp"
    assert settings["EMAIL_PORT"] == 587
    assert settings["EMAIL_HOST_USER"] == "relay@agency"
    assert settings["EMAIL_HOST_PASSWORD"] == "p/w"
    assert settings["EMAIL_USE_TLS"] is True and settings["EMAIL_USE_SSL"] is False
    assert email_backend("smtps://mail.agency.go.jp")["EMAIL_PORT"] == 465
    assert email_backend("console:")["EMAIL_BACKEND"].endswith("console.EmailBackend")


def test_passwords_in_urls_never_reach_error_messages():
    from mamori.config import ConfigError, email_backend, redact_url

    assert redact_url("postgres://app:s3cret@db:5432/x") == "postgres://app:***@db:5432/x"
    try:
        email_backend("ftp://user:s3cret@mail")
    except ConfigError as exc:
        assert "s3cret" not in str(exc)
    else:
        raise AssertionError("a bad e-mail URL must be refused")
