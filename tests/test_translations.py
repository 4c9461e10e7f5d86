"""The Vietnamese catalog is complete, compiled, and covers every string in the code."""

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

LOCALE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES"
DOMAINS = ["django", "djangojs"]
IGNORE = [".venv", "node_modules", "staticfiles", "tests", "test-artifacts", "media"]


def _entries(po) -> dict:
    return {(entry.msgctxt, entry.msgid): entry for entry in po if not entry.obsolete}


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_has_a_vietnamese_translation(domain):
    po = polib.pofile(str(LOCALE / f"{domain}.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalog_matches_the_source(domain):
    po = _entries(polib.pofile(str(LOCALE / f"{domain}.po")))
    mo = _entries(polib.mofile(str(LOCALE / f"{domain}.mo")))
    assert set(mo) == set(po)
    for key, entry in po.items():
        expected = entry.msgstr_plural.get(0) if entry.msgid_plural else entry.msgstr
        got = mo[key].msgstr_plural.get(0) if entry.msgid_plural else mo[key].msgstr
        assert got == expected, key


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext's xgettext")
@pytest.mark.parametrize("domain", DOMAINS)
def test_the_catalog_covers_every_string_in_the_code(domain, tmp_path, settings):
    # makemessages writes next to the sources, so extract from a copy of the project.
    source = tmp_path / "src"
    shutil.copytree(
        settings.BASE_DIR, source, ignore=shutil.ignore_patterns(*IGNORE, ".git", "*.pyc")
    )
    settings.LOCALE_PATHS = [source / "locale"]
    cwd = os.getcwd()
    os.chdir(source)
    try:
        call_command(
            "makemessages",
            locale=["vi"],
            domain=domain,
            ignore_patterns=IGNORE,
            no_location=True,
            no_obsolete=True,
            verbosity=0,
        )
    finally:
        os.chdir(cwd)
    merged = polib.pofile(str(source / "locale" / "vi" / "LC_MESSAGES" / f"{domain}.po"))
    assert [entry.msgid for entry in merged.untranslated_entries()] == []
