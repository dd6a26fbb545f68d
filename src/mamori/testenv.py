"""pytest plugin (loaded with -p from pyproject.toml): test-run defaults, set before
pytest-django reads the settings. Real configuration still comes only from MAMORI_*
variables; an explicit variable (for example MAMORI_DATABASE_URL in CI) wins."""

import os
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamori.settings")
os.environ.setdefault("MAMORI_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("MAMORI_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("MAMORI_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("MAMORI_EMAIL_URL", "memory:")
os.environ.setdefault("MAMORI_SECURE_COOKIES", "false")
os.environ.setdefault("MAMORI_STATIC_MANIFEST", "false")
os.environ.setdefault("MAMORI_DATA_DIR", str(Path.cwd() / "var" / "test"))
