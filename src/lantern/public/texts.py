"""The public pages' texts and helplines, read from YAML data in `content/`.

Pure Python (no Django), so the content can be checked anywhere:

- `content/<code>.yaml` holds every text of the public pages in one language. English (`en`) is the source;
  translations copy its structure (same keys, same order, same `{placeholders}`).
- `content/helplines.yaml` holds the helplines per country.
- `language_problems` and `helpline_problems` list what is wrong with a file, for tests and editors.

Loaded content is cached and shared: treat what the loaders return as read-only.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CONTENT_DIR = Path(__file__).resolve().parent / "content"
HELPLINES_PATH = CONTENT_DIR / "helplines.yaml"

REFERENCE_LANGUAGE = "en"
# The same eight languages as the screening interview; the order is the order of the language list.
LANGUAGES = ("en", "fr", "es", "el", "uk", "ar", "fa", "ti")
RTL_LANGUAGES = frozenset({"ar", "fa"})
STATUSES = ("reviewed", "machine-or-draft")
HELPLINE_KINDS = ("emergency", "trafficking", "children", "support")
HELPLINE_STATUSES = ("verified", "check", "example")
OTHER_COUNTRY = "other"
EMERGENCY_NUMBER = "112"  # the EU-wide emergency number, listed for every country

_WEB_ADDRESS = re.compile(r"https?://|www\.", re.IGNORECASE)
_DIAL = re.compile(r"^\+?[0-9]{3,15}$")


def _read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def load_language(code: str) -> Mapping[str, Any]:
    """The texts of one language (`code` must be one of LANGUAGES)."""
    if code not in LANGUAGES:
        raise KeyError(f"no public-page texts for language {code!r}")
    return _read_yaml(CONTENT_DIR / f"{code}.yaml")


@cache
def load_helplines(path: Path = HELPLINES_PATH) -> Mapping[str, tuple[Mapping[str, Any], ...]]:
    """Helplines per country code (and `other`), in the order they are listed."""
    raw = _read_yaml(path)
    return {code: tuple(entries) for code, entries in raw["countries"].items()}


def helplines_for(country: str) -> tuple[Mapping[str, Any], ...]:
    helplines = load_helplines()
    return helplines.get(country, helplines[OTHER_COUNTRY])


def direction_of(code: str) -> str:
    return "rtl" if code in RTL_LANGUAGES else "ltr"


# Checking -------------------------------------------------------------------------------------------------


def _leaves(node: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from _leaves(value, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, node


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def language_problems(code: str, data: Any, reference: Any) -> list[str]:
    """What is wrong with one language's texts compared with the English source (empty when all is well)."""
    if not isinstance(data, Mapping):
        return [f"{code}: the file must be a mapping"]
    problems = []
    if data.get("language") != code:
        problems.append(f"{code}: `language` must be {code!r}")
    if data.get("direction") != direction_of(code):
        problems.append(f"{code}: `direction` must be {direction_of(code)!r}")
    if data.get("status") not in STATUSES:
        problems.append(f"{code}: `status` must be one of {STATUSES}")
    own = dict(_leaves(data))
    source = dict(_leaves(reference))
    if list(own) != list(source):
        missing = [k for k in source if k not in own]
        extra = [k for k in own if k not in source]
        problems.append(f"{code}: keys differ from en.yaml (missing {missing}, extra {extra}, or order)")
    for key, text in own.items():
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{code}: {key} must be a non-empty text")
            continue
        if _WEB_ADDRESS.search(text):
            problems.append(f"{code}: {key} contains a web address (the public pages link to no other site)")
        if key in source and isinstance(source[key], str) and placeholders(text) != placeholders(source[key]):
            problems.append(f"{code}: {key} must use the placeholders {sorted(placeholders(source[key]))}")
    return problems


def helpline_problems(raw: Any) -> list[str]:
    """What is wrong with the helplines file (empty when all is well)."""
    countries = raw.get("countries") if isinstance(raw, Mapping) else None
    if not isinstance(countries, Mapping) or OTHER_COUNTRY not in countries:
        return [f"helplines: `countries` must be a mapping that includes {OTHER_COUNTRY!r}"]
    problems = []
    for country, entries in countries.items():
        where = f"helplines, {country}"
        if country != OTHER_COUNTRY and not re.fullmatch(r"[A-Z]{2}", str(country)):
            problems.append(f"{where}: use the two-letter ISO 3166 code")
        if not entries or not any(e.get("number") == EMERGENCY_NUMBER for e in entries):
            problems.append(f"{where}: list the EU emergency number {EMERGENCY_NUMBER}")
        for entry in entries or []:
            if entry.get("kind") not in HELPLINE_KINDS:
                problems.append(f"{where}: kind must be one of {HELPLINE_KINDS}: {entry!r}")
            if entry.get("status") not in HELPLINE_STATUSES:
                problems.append(f"{where}: status must be one of {HELPLINE_STATUSES}: {entry!r}")
            if not entry.get("name") or not entry.get("number") or not entry.get("source"):
                problems.append(f"{where}: every helpline needs a name, a number and a source: {entry!r}")
            if entry.get("status") == "example":
                if entry.get("dial"):
                    problems.append(f"{where}: an example number must not be callable (leave `dial` empty)")
            elif not _DIAL.match(str(entry.get("dial", ""))):
                problems.append(f"{where}: `dial` must be digits (optionally starting with +): {entry!r}")
            if any(_WEB_ADDRESS.search(str(v)) for v in entry.values()):
                problems.append(f"{where}: no web addresses: {entry!r}")
    return problems
