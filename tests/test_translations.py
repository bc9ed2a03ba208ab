"""The Swedish catalogue is complete, compiled, and covers every source string."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "wagtail_dialog"
PO = PACKAGE / "locale" / "sv" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def entries():
    return polib.pofile(str(PO))


def test_every_message_has_a_swedish_translation():
    catalogue = entries()
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    for entry in catalogue:
        if entry.msgid_plural:
            assert all(text.strip() for text in entry.msgstr_plural.values()), entry.msgid
        else:
            assert entry.msgstr.strip(), entry.msgid


def test_the_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in entries():
        if entry.obsolete or entry.msgid_plural:
            continue
        context = entry.msgctxt
        translated = compiled.pgettext(context, entry.msgid) if context else compiled.gettext(entry.msgid)
        assert translated == entry.msgstr, entry.msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_every_source_string_is_in_the_catalogue(tmp_path):
    copy = tmp_path / "wagtail_dialog"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "sv", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        # makemessages needs no project; the test settings module would not import there.
        env={key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"},
    )
    fresh = {entry.msgid for entry in polib.pofile(str(copy / "locale/sv/LC_MESSAGES/django.po"))}
    committed = {entry.msgid for entry in entries() if not entry.obsolete}
    assert fresh - committed == set(), "run `make messages` and translate the new strings"
