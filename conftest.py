"""Test-run defaults, set before Django reads its settings. Real configuration
still comes only from MAMORI_* variables; these values are for tests alone."""

import os

os.environ.setdefault("MAMORI_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("MAMORI_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("MAMORI_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("MAMORI_EMAIL_URL", "memory:")
os.environ.setdefault("MAMORI_SECURE_COOKIES", "false")
os.environ.setdefault("MAMORI_DATA_DIR", os.path.join(os.path.dirname(__file__), "var", "test"))
