"""`mamori catalog`: the regulation catalogs (rules/catalogs/requirements/) from the shell.

    mamori catalog check [FILE …]            load the committed catalogs (or the given
                                             files) and list every error as file:line
    mamori catalog oscal RULEBOOK [-o FILE]  the catalog as an OSCAL catalog (JSON)
    mamori catalog import-check FILE         validate an official catalog to import
                                             (.yaml/.xlsx): every error, nothing changed

RULEBOOK is toitsu, mod or mic_pii. Exit 1 when a file has errors.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mamori.rules import requirements
from mamori.rules.oscal import catalog_to_oscal
from mamori.rules.requirements_import import parse_import


class Command(BaseCommand):
    help = "Check regulation catalogs, export them as OSCAL, validate an import file."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="load catalogs and list every error")
        check.add_argument("files", nargs="*", help="catalog YAML files (default: committed)")
        oscal = sub.add_parser("oscal", help="write a catalog as an OSCAL catalog (JSON)")
        oscal.add_argument("rulebook", choices=sorted(requirements.FILES))
        oscal.add_argument("-o", "--output", help="file to write (default: standard output)")
        imported = sub.add_parser("import-check", help="validate an official catalog file")
        imported.add_argument("file")
        imported.add_argument("--rulebook", choices=sorted(requirements.FILES))

    def handle(self, *args, action: str, **options) -> None:
        if action == "check":
            self.check(options["files"])
        elif action == "oscal":
            self.oscal(options["rulebook"], options.get("output"))
        else:
            self.import_check(options["file"], options.get("rulebook"))

    def check(self, files: list[str]) -> None:
        paths = [Path(f) for f in files] or [
            requirements.CATALOG_DIR / name for name in requirements.FILES.values()
        ]
        failed = False
        for path in paths:
            try:
                catalog = requirements.load_catalog(path)
            except requirements.CatalogError as error:
                failed = True
                for line in error.errors:
                    self.stderr.write(line)
                continue
            except OSError as error:
                raise CommandError(f"{path}: {error.strerror}") from error
            self.stdout.write(f"{path.name}: {len(catalog.entries)} entries, no errors")
        if failed:
            sys.exit(1)

    def oscal(self, rulebook: str, output: str | None) -> None:
        catalog = requirements.load_all()[rulebook]
        text = json.dumps(catalog_to_oscal(catalog), ensure_ascii=False, indent=2) + "\n"
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {output} ({len(catalog.entries)} entries)")
        else:
            self.stdout.write(text, ending="")

    def import_check(self, file: str, rulebook: str | None) -> None:
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        current = requirements.load_all().get(rulebook) if rulebook else None
        result = parse_import(data, path.name, rulebook=rulebook, catalog=current)
        if result.errors:
            for line in result.errors:
                self.stderr.write(line)
            self.stderr.write(f"{len(result.errors)} error(s): nothing would be imported")
            sys.exit(1)
        self.stdout.write(f"{path.name}: {len(result.entries)} entries, no errors")
