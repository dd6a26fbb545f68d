"""`mamori decide [FILE]`: handling decisions on the command line, for scripts, mail
gateways and DLP tools. The same engine as the page and the API; no database needed."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import get_language

from mamori.rules import handling
from mamori.rules.policy import PolicyError, load_policy_file

HELP = """\
Decide what may be done with information, by the handling rules (統一基準 and the
rulebooks named in each request), and print each decision as one JSON line.

Input (FILE, or standard input when FILE is omitted or "-") is either one JSON request
(an object, which may span several lines) or JSON Lines: one request per line; blank
lines are skipped. A request looks like
  {"org_kind": "national", "info": {"confidentiality": 3}, "action": "process_outside_area"}

Output: one decision per request, in order, each on its own line (UTF-8, not escaped):
  {"verdict": ..., "permission_from": [...], "measures": [...], "citations": [...],
   "reason": {"ja": ..., "en": ...}}

Errors: a request that is not valid JSON or does not fit the contract stops the run with
exit status 2 and a message on standard error naming the line, each bad field and the
values it allows. The decisions for the lines before it have already been written;
nothing after it is decided. Exit status 0 means every request was decided.
"""


class Command(BaseCommand):
    help = HELP
    requires_system_checks: list[str] = []  # reads no model and needs no database
    requires_migrations_checks = False
    stealth_options = ("stdin",)  # call_command(..., stdin=io.StringIO(...)) in tests

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", default="-", help='requests to decide ("-" or none: stdin)'
        )
        parser.add_argument(
            "--policy",
            metavar="YAML",
            help="an agency policy file that tightens the baseline rules",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        policy = settings.HANDLING_POLICY  # the agency's, unless --policy names another
        if options.get("policy"):
            try:
                policy = load_policy_file(options["policy"])
            except (OSError, PolicyError) as exc:
                raise CommandError(f"policy {options['policy']}: {exc}", returncode=2) from exc
        source: str = options["file"]
        if source == "-":
            stream = options.get("stdin") or sys.stdin
            self._run(stream, policy)
            return
        try:
            with open(source, encoding="utf-8") as stream:
                self._run(stream, policy)
        except OSError as exc:
            raise CommandError(f"{source}: {exc.strerror or exc}", returncode=2) from exc

    def _run(self, stream: TextIO, policy: Any) -> None:
        write = self.stdout.write
        for line_number, request in _requests(stream):
            try:
                decision = handling.decide(request, policy)
            except handling.InvalidRequest as exc:
                self.stdout.flush()
                raise CommandError(_describe(line_number, exc.errors), returncode=2) from exc
            write(json.dumps(decision, ensure_ascii=False))
        self.stdout.flush()


def _requests(stream: Iterable[str]) -> Iterator[tuple[int, Any]]:
    """(line number, request) pairs, read as they come: JSON Lines, or one JSON object
    written over several lines (its first line alone is not JSON)."""
    lines = iter(stream)
    number = 0
    for line in lines:
        number += 1
        if line.strip():
            first = line
            break
    else:
        return
    try:
        request = json.loads(first)
    except json.JSONDecodeError as exc:
        text = first + "".join(lines)
        try:
            request = json.loads(text)
        except json.JSONDecodeError:
            raise _not_json(number, exc) from exc
        yield number, request
        return
    yield number, request
    for line in lines:
        number += 1
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _not_json(number, exc) from exc
        yield number, request


def _not_json(number: int, exc: json.JSONDecodeError) -> CommandError:
    return CommandError(
        f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})", returncode=2
    )


def _describe(line_number: int, errors: list) -> str:
    """One line per bad field: the field, why (in the active language, Japanese unless
    English is chosen) and the values it allows."""
    english = (get_language() or "ja").startswith("en")
    lines = [f"line {line_number}: invalid request"]
    for error in errors:
        allowed = ", ".join("null" if value is None else str(value) for value in error.allowed)
        message = error.en if english else error.ja  # names its field
        lines.append(f"  {message} [allowed: {allowed}]")
    return "\n".join(lines)
