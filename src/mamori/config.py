"""Reading MAMORI_* environment variables.

Every value is parsed strictly: a typo in production configuration must stop the
process at start-up with a message naming the variable, not surface later as odd
behaviour. Pure Python, so the parsing rules are testable without Django.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path


class ConfigError(ValueError):
    """A MAMORI_* variable holds a value mamori cannot use."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Env:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def raw(self, name: str) -> str | None:
        value = self.environ.get(f"MAMORI_{name}")
        return None if value is None else value.strip()

    def str(self, name: str, default: str) -> str:
        value = self.raw(name)
        return default if value is None or value == "" else value

    def bool(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ConfigError(f"MAMORI_{name}={value!r}: expected true/false, 1/0, yes/no or on/off")

    def int(self, name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
        value = self.raw(name)
        if value is None or value == "":
            return default
        try:
            number = int(value)
        except ValueError:
            raise ConfigError(f"MAMORI_{name}={value!r}: expected a whole number") from None
        if number < minimum or (maximum is not None and number > maximum):
            upper = "" if maximum is None else f" and at most {maximum}"
            raise ConfigError(f"MAMORI_{name}={number}: must be at least {minimum}{upper}")
        return number

    def list(self, name: str, default: list[str]) -> list[str]:
        value = self.raw(name)
        if value is None:
            return list(default)
        return [item.strip() for item in value.split(",") if item.strip()]

    def choice(self, name: str, default: str, choices: set[str]) -> str:
        value = self.str(name, default)
        if value not in choices:
            raise ConfigError(f"MAMORI_{name}={value!r}: expected one of {sorted(choices)}")
        return value


def secret_key(env: Env, *, debug: bool, data_dir: Path) -> str:
    """The signing key: required in production, generated once per machine in debug."""
    key = env.raw("SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ConfigError("MAMORI_SECRET_KEY must be at least 32 characters long")
        return key
    if not debug:
        raise ConfigError("MAMORI_SECRET_KEY is required when MAMORI_DEBUG is off")
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def redact_url(url: str) -> str:
    """The URL with its password replaced, for error messages that reach logs."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        if parts.password:
            netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
            return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        return "<unparseable URL>"
    return url


def email_backend(url: str) -> dict[str, object]:
    """Map MAMORI_EMAIL_URL (smtp://user:pass@host:port, smtps://…, console:, memory:) to settings."""
    from urllib.parse import unquote, urlsplit

    if url in ("console:", "console://"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if url in ("memory:", "locmem:"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps", "smtp+tls") or not parts.hostname:
        raise ConfigError(
            f"MAMORI_EMAIL_URL={redact_url(url)!r}: "
            "expected smtp://host:port, smtps://…, console: or memory:"
        )
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
        "EMAIL_TIMEOUT": 10,
    }
