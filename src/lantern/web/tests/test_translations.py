"""The site shell's catalogues (web, accounts, audit, authz) in French, Greek and Arabic are sound.

Each check reads the .po files with polib, so it needs neither compiled .mo files nor a database.
"""

import gettext
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.utils import translation

SHELL_APPS = [
    "web",
    "accounts",
    "audit",
    "authz",
    "screening",
    "dedup",
    "insights",
    "releases",
    "public",
    "training",
    "campaigns",
]
NPLURALS = {"fr": 2, "el": 2, "ar": 6}
LANGUAGES = list(NPLURALS)

# A printf-style placeholder as Python's % operator reads it: %(name)s, %s, %5.2f, ... ("%%" is a literal %).
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")


def po_path(app: str, lang: str) -> Path:
    return Path(apps.get_app_config(app).path) / "locale" / lang / "LC_MESSAGES" / "django.po"


def load(app: str, lang: str) -> polib.POFile:
    path = po_path(app, lang)
    assert path.is_file(), f"missing catalogue {path}"
    return polib.pofile(str(path))


def placeholders(text: str) -> Counter[str]:
    return Counter(p for p in PLACEHOLDER.findall(text) if p != "%%")


def single_number_forms(po: polib.POFile) -> set[int]:
    """Plural forms that serve exactly one n (in Arabic: 0, 1 and 2): there the number may be left out."""
    match = re.search(r"plural=(.*?);?\s*$", po.metadata["Plural-Forms"])
    assert match, "Plural-Forms has no plural= expression"
    plural = gettext.c2py(match.group(1))
    served = Counter(plural(n) for n in range(1000))
    return {form for form, count in served.items() if count == 1}


def placeholder_problems(po: polib.POFile) -> list[str]:
    problems = []
    lenient = single_number_forms(po)
    for entry in po:
        if entry.obsolete or "python-format" not in entry.flags:
            continue
        if not entry.msgid_plural:
            if placeholders(entry.msgstr) != placeholders(entry.msgid):
                problems.append(f"{entry.msgid!r} -> {entry.msgstr!r}")
            continue
        expected = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
        for form, text in sorted(entry.msgstr_plural.items()):
            found = placeholders(text)
            missing = expected - found
            extra = found - expected
            # A form used for one n only (Arabic "قيدان", two records) may leave out the count, and only that.
            if extra or (missing and not (form in lenient and sum(missing.values()) == 1)):
                problems.append(f"{entry.msgid_plural!r} -> msgstr[{form}] {text!r}")
    return problems


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("app", SHELL_APPS)
def test_catalogue_is_complete(app: str, lang: str) -> None:
    po = load(app, lang)
    assert po.metadata.get("Language") == lang
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")
    assert f"nplurals={NPLURALS[lang]};" in po.metadata.get("Plural-Forms", "").replace(" ", "")
    assert not po.metadata_is_fuzzy, "the header is marked fuzzy"
    entries = [e for e in po if not e.obsolete]
    assert entries, "the catalogue is empty"
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []
    for entry in entries:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == list(range(NPLURALS[lang])), entry.msgid_plural
            assert all(text.strip() for text in entry.msgstr_plural.values()), entry.msgid_plural
        else:
            assert entry.msgstr.strip(), entry.msgid


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("app", SHELL_APPS)
def test_placeholders_are_kept(app: str, lang: str) -> None:
    assert placeholder_problems(load(app, lang)) == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("app", SHELL_APPS)
def test_msgfmt_accepts_the_catalogue(app: str, lang: str) -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(po_path(app, lang))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_placeholder_check_catches_a_lost_or_extra_placeholder() -> None:
    po = polib.POFile()
    po.metadata = {"Plural-Forms": "nplurals=2; plural=(n != 1);"}
    po.append(polib.POEntry(msgid="Welcome, %(name)s", msgstr="Bienvenue", flags=["python-format"]))
    po.append(polib.POEntry(msgid="Page %(n)s", msgstr="Page %(n)s %(m)s", flags=["python-format"]))
    po.append(
        polib.POEntry(
            msgid="%(n)s record",
            msgid_plural="%(n)s records",
            msgstr_plural={0: "%(n)s εγγραφή", 1: "εγγραφές"},
            flags=["python-format"],
        )
    )
    assert len(placeholder_problems(po)) == 3


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_shell_string_is_translated(lang: str) -> None:
    entry = load("accounts", lang).find("Sign in to Lantern")
    assert entry is not None
    assert entry.msgstr.strip()
    assert entry.msgstr != entry.msgid


def test_arabic_is_right_to_left() -> None:
    with translation.override("ar"):
        assert translation.get_language_bidi() is True
    for lang in ("fr", "el"):
        with translation.override(lang):
            assert translation.get_language_bidi() is False
