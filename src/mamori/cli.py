"""The `mamori` console script.

`mamori <command> [args]` runs the Django management command of that name with
mamori's settings, so the CLI, views and the API share one code path: every
state change goes through the apps' service functions. Examples:

    mamori migrate            mamori demo            mamori run
    mamori trail verify       mamori trail prune --before 2020-04-01
    mamori worker             mamori i18n            mamori createsuperuser
    mamori scan [--format text|json|sarif] [--types …] PATH…

`mamori scan` is the content scanner (markings and personal information in files); it
runs without Django or a database, so it is quick to start in CI and on mail gateways.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "scan":
        from mamori.scan.cli import main as scan_main

        return scan_main(argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamori.settings")
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    from mamori.config import ConfigError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["mamori", *argv])
    except ConfigError as exc:
        print(f"mamori: configuration error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
