"""`mamori i18n`: compile the translation catalogues (.po → .mo).

Uses polib, a pure-Python library, so a fresh machine needs no GNU gettext to get a
working English interface. The .mo files are build output (gitignored).

    mamori i18n            compile every <locale dir>/*/LC_MESSAGES/*.po
    mamori i18n --check    and fail if a catalogue of a translated language (every
                           language but the source language, ja: so en) has
                           untranslated or fuzzy entries

A translation whose %(name)s placeholders differ from its source text is an error in
both modes: shown to a user it would fail or lose the value.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# A printf-style placeholder as Python's % operator reads it: %(name)s, %s, %05.1f …
_PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
    r"(?P<kind>[diouxXeEfFgGcrsa%])"
)


def placeholders(text: str) -> list[str]:
    """The placeholders of `text`, sorted: names for %(name)s, the bare form for %s."""
    found = []
    for match in _PLACEHOLDER.finditer(text):
        if match["kind"] == "%":
            continue
        found.append(match["name"] if match["name"] is not None else f"%{match['kind']}")
    return sorted(found)


def format_errors(entry: polib.POEntry) -> list[str]:
    """Why the translation of a python-format entry cannot stand in for its source."""
    if "python-format" not in entry.flags or not entry.translated():
        return []
    if entry.msgid_plural:
        # A singular form may leave the count out ("one file"); it may not invent a name.
        allowed = set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural))
        return [
            f"msgstr[{index}] uses {sorted(set(placeholders(text)) - allowed)}"
            for index, text in sorted(entry.msgstr_plural.items())
            if set(placeholders(text)) - allowed
        ]
    expected, actual = placeholders(entry.msgid), placeholders(entry.msgstr)
    if expected != actual:
        return [f"placeholders {actual} instead of {expected}"]
    return []


class Command(BaseCommand):
    help = (
        "Compile the translation catalogues (.po to .mo) with polib; --check also "
        "fails on untranslated or fuzzy English entries."
    )
    requires_system_checks: list[str] = []  # needs neither the database nor the app checks

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="fail if a catalogue of a language other than the source language "
            f"({settings.LANGUAGE_CODE}) has untranslated or fuzzy entries",
        )
        parser.add_argument(
            "--locale-dir",
            action="append",
            dest="locale_dirs",
            type=Path,
            metavar="DIR",
            help="compile the catalogues under DIR instead of settings.LOCALE_PATHS "
            "(may be repeated)",
        )

    def handle(
        self, *args, check: bool, locale_dirs: list[Path] | None, verbosity: int, **options
    ) -> None:
        dirs = locale_dirs or [Path(path) for path in settings.LOCALE_PATHS]
        po_files = sorted(
            path for directory in dirs for path in directory.glob("*/LC_MESSAGES/*.po")
        )
        if not po_files:
            self.stderr.write(f"no .po files under {', '.join(map(str, dirs))}: nothing to do")
            return

        problems: list[str] = []
        incomplete: list[str] = []
        for po_path in po_files:
            language = po_path.parent.parent.name
            label = f"{language}/LC_MESSAGES/{po_path.name}"
            try:
                catalogue = polib.pofile(str(po_path))
            except (OSError, ValueError) as exc:  # polib raises these on a malformed file
                raise CommandError(f"{po_path}: cannot read: {exc}") from None

            for entry in catalogue:
                for error in format_errors(entry):
                    problems.append(f"{label}:{entry.linenum}: {entry.msgid!r}: {error}")

            _write_atomically(po_path.with_suffix(".mo"), catalogue.to_binary())
            if verbosity >= 1:
                self.stdout.write(
                    f"compiled {label} ({len(catalogue.translated_entries())} "
                    f"of {_countable(catalogue)} messages translated)"
                )

            if check and language != settings.LANGUAGE_CODE:
                untranslated = catalogue.untranslated_entries()
                fuzzy = [entry for entry in catalogue.fuzzy_entries() if not entry.obsolete]
                if untranslated or fuzzy:
                    examples = ", ".join(repr(entry.msgid) for entry in [*untranslated, *fuzzy][:5])
                    incomplete.append(
                        f"{label}: {len(untranslated)} untranslated, "
                        f"{len(fuzzy)} fuzzy (e.g. {examples})"
                    )

        if problems:
            raise CommandError(
                "translations that would break at run time:\n  " + "\n  ".join(problems)
            )
        if incomplete:
            raise CommandError("translations incomplete:\n  " + "\n  ".join(incomplete))
        if check and verbosity >= 1:
            self.stdout.write("every translated catalogue is complete")


def _countable(catalogue: polib.POFile) -> int:
    return sum(1 for entry in catalogue if not entry.obsolete)


def _write_atomically(path: Path, data: bytes) -> None:
    # A running server may read the catalogue at any moment: never show it half a file.
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
