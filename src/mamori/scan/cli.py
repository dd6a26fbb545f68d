"""`mamori scan`: check files and directories for classification markings and Japanese
personal information, without Django or a database.

Exit status: 0 nothing found, 1 findings, 2 usage error. Files that cannot be read are
listed with their reason but are not findings.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from mamori.scan.types import FINDING_TYPES, Limits

_FORMATS = ("text", "json", "sarif")


class _Parser(argparse.ArgumentParser):
    """Raises instead of exiting, so `main` returns 2 to whoever called it."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


class _UsageError(Exception):
    pass


def _parser() -> _Parser:
    parser = _Parser(
        prog="mamori scan",
        description="Find classification markings (機密性２ …) and Japanese personal "
        "information in files: txt csv md html eml docx xlsx pptx pdf zip.",
        epilog="exit status: 0 nothing found, 1 findings, 2 usage error. "
        f"types: {', '.join(FINDING_TYPES)}",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    parser.add_argument("--format", choices=_FORMATS, default="text")
    parser.add_argument("--types", help="comma-separated finding types to look for (default: all)")
    defaults = Limits()
    parser.add_argument(
        "--max-file-mb",
        type=float,
        default=defaults.max_file_bytes / (1024 * 1024),
        help="largest file (or archive member) read, in MB (default: %(default)g)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=defaults.seconds_per_file,
        help="seconds allowed per file given, archives included (default: %(default)g)",
    )
    return parser


def _types(value: str | None) -> list[str] | None:
    if value is None:
        return None
    chosen = [kind.strip() for kind in value.split(",") if kind.strip()]
    unknown = [kind for kind in chosen if kind not in FINDING_TYPES]
    if unknown or not chosen:
        shown = ", ".join(unknown) if unknown else repr(value)
        raise _UsageError(f"unknown finding type: {shown} (choose from {', '.join(FINDING_TYPES)})")
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        types = _types(args.types)
        if args.max_file_mb <= 0 or args.timeout <= 0:
            raise _UsageError("--max-file-mb and --timeout must be positive")
        missing = [path for path in args.paths if not os.path.lexists(path)]
        if missing:
            raise _UsageError(f"no such file or directory: {', '.join(missing)}")
    except _UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"mamori scan: error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2

    from mamori.scan.engine import scan_paths
    from mamori.scan.report import to_json, to_sarif, to_text

    defaults = Limits()
    limits = Limits(
        max_file_bytes=int(args.max_file_mb * 1024 * 1024),
        max_depth=defaults.max_depth,
        max_expansion_ratio=defaults.max_expansion_ratio,
        max_expanded_bytes=max(defaults.max_expanded_bytes, int(args.max_file_mb * 1024 * 1024)),
        seconds_per_file=args.timeout,
    )
    results = []
    for result in scan_paths(args.paths, types, limits):
        result.text = ""  # reports never show it; a large tree need not stay in memory
        results.append(result)
    if args.format == "json":
        output = json.dumps(to_json(results), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "sarif":
        output = json.dumps(to_sarif(results), ensure_ascii=False, indent=2) + "\n"
    else:
        output = to_text(results)
    try:
        sys.stdout.write(output)
        sys.stdout.flush()
    except UnicodeEncodeError:  # a terminal that cannot show Japanese still gets UTF-8
        sys.stdout.buffer.write(output.encode("utf-8"))
        sys.stdout.buffer.flush()
    return 1 if any(result.findings for result in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
