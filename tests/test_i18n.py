"""English is a complete second language: every Japanese source string has a translation."""

from pathlib import Path

import polib

import mamori

CATALOGUE = Path(mamori.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_message_has_an_english_translation():
    catalogue = polib.pofile(str(CATALOGUE))
    missing = [e.msgid for e in catalogue if not e.translated() or "fuzzy" in e.flags]
    assert not missing, f"untranslated in {CATALOGUE.name}: {missing[:10]}"


def test_every_gettext_call_in_templates_is_in_the_catalogue():
    # A string added to a template but never extracted would stay Japanese in English.
    catalogue = {e.msgid for e in polib.pofile(str(CATALOGUE))}
    import re

    pattern = re.compile(r'{%\s*translate\s+"([^"]+)"')
    root = Path(mamori.__file__).parent
    absent = {}
    for template in root.rglob("templates/**/*.html"):
        for msgid in pattern.findall(template.read_text(encoding="utf-8")):
            if msgid not in catalogue:
                absent.setdefault(str(template.relative_to(root)), []).append(msgid)
    assert not absent, f"run `make messages` and translate: {absent}"
