"""The public pages' texts and helplines, read from YAML data in `content/`.

Pure Python (no Django), so the content can be checked anywhere:

- `content/<code>.yaml` holds every text of the public pages in one language. English (`en`) is the source;
  translations copy its structure (same keys, same order, same `{placeholders}`).
- `content/helplines.yaml` holds the helplines per country.
- `content/sources.yaml` names the legal source of every statement of the rights page (by key).
- `language_problems`, `helpline_problems` and `source_problems` list what is wrong with a file, for tests and
  editors; the shapes are pydantic models (`lantern.datafiles`), a translation's shape derived from English.

Loaded content is cached and shared: treat what the loaders return as read-only.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, Field, create_model, field_validator, model_validator

from lantern.datafiles import LegalSource, Strict, problems

CONTENT_DIR = Path(__file__).resolve().parent / "content"
HELPLINES_PATH = CONTENT_DIR / "helplines.yaml"
SOURCES_PATH = CONTENT_DIR / "sources.yaml"

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


def _no_web_address(text: str) -> str:
    if _WEB_ADDRESS.search(text):
        raise ValueError("contains a web address (the public pages link to no other site)")
    return text


Text = Annotated[str, Field(min_length=1, pattern=r"\S"), AfterValidator(_no_web_address)]
_HEADER = ("language", "name", "direction", "status")


def _text_with(expected: frozenset[str]) -> Any:
    def same_placeholders(text: str) -> str:
        if placeholders(text) != expected:
            raise ValueError(f"must use the placeholders {sorted(expected)}")
        return text

    return Annotated[Text, AfterValidator(same_placeholders)]


def _model_like(name: str, node: Mapping[str, Any]) -> type[Strict]:
    """A model with exactly the keys of the English `node`; a leaf is a text with the same placeholders."""
    fields: dict[str, Any] = {}
    for key, value in node.items():
        if isinstance(value, Mapping):
            fields[str(key)] = (_model_like(f"{name}_{key}", value), ...)
        else:
            fields[str(key)] = (_text_with(frozenset(placeholders(str(value)))), ...)
    return create_model(name, __base__=Strict, **fields)


@cache
def _language_model(reference_items: tuple[tuple[str, Any], ...]) -> type[Strict]:
    reference = _thawed(reference_items)
    body = {k: v for k, v in reference.items() if k not in _HEADER}
    model = _model_like("Texts", body)

    class LanguageFile(model):  # type: ignore[valid-type, misc]
        language: str
        name: Text
        direction: Literal["ltr", "rtl"]
        status: Literal[STATUSES]  # type: ignore[valid-type]

        @model_validator(mode="after")
        def _matches_code(self, info: Any) -> Any:
            code = info.context["code"]
            if self.language != code:
                raise ValueError(f"`language` must be {code!r}")
            if self.direction != direction_of(code):
                raise ValueError(f"`direction` must be {direction_of(code)!r}")
            return self

    return LanguageFile


def _frozen(node: Any) -> Any:
    if isinstance(node, Mapping):
        return tuple((k, _frozen(v)) for k, v in node.items())
    return node


def _thawed(node: Any) -> Any:
    if isinstance(node, tuple):
        return {k: _thawed(v) for k, v in node}
    return node


def language_problems(code: str, data: Any, reference: Any) -> list[str]:
    """What is wrong with one language's texts compared with the English source (empty when all is well)."""
    if not isinstance(data, Mapping):
        return [f"{code}: the file must be a mapping"]
    model = _language_model(tuple((k, _frozen(v)) for k, v in reference.items()))
    found = problems(model, data, code, {"code": code})
    if not found and [k for k, _ in _leaves(data)] != [k for k, _ in _leaves(reference)]:
        found.append(f"{code}: keys must be in the order of en.yaml")
    return found


class Helpline(Strict):
    kind: Literal[HELPLINE_KINDS]  # type: ignore[valid-type]
    name: Text
    number: Text
    dial: str
    status: Literal[HELPLINE_STATUSES]  # type: ignore[valid-type]
    source: Text
    checked: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="when the number was last checked")

    @model_validator(mode="after")
    def _callable_unless_example(self) -> Helpline:
        if self.status == "example":
            if self.dial:
                raise ValueError("an example number must not be callable (leave `dial` empty)")
        elif not _DIAL.match(self.dial):
            raise ValueError("`dial` must be digits (optionally starting with +)")
        return self

    def checked_on(self) -> dt.date:
        year, month = self.checked.split("-")
        return dt.date(int(year), int(month), 1)


class HelplinesFile(Strict):
    version: int
    countries: dict[str, list[Helpline]]

    @field_validator("countries")
    @classmethod
    def _countries(cls, countries: dict[str, list[Helpline]]) -> dict[str, list[Helpline]]:
        if OTHER_COUNTRY not in countries:
            raise ValueError(f"`countries` must include {OTHER_COUNTRY!r}")
        for country, entries in countries.items():
            if country != OTHER_COUNTRY and not re.fullmatch(r"[A-Z]{2}", country):
                raise ValueError(f"{country}: use the two-letter ISO 3166 code")
            if not any(e.number == EMERGENCY_NUMBER for e in entries):
                raise ValueError(f"{country}: list the EU emergency number {EMERGENCY_NUMBER}")
        return countries


def helpline_problems(raw: Any) -> list[str]:
    """What is wrong with the helplines file (empty when all is well)."""
    return problems(HelplinesFile, raw, "helplines")


def stale_helplines(today: dt.date, *, months: int = 12) -> list[tuple[str, Helpline]]:
    """(country, helpline) for every helpline last checked more than `months` months before `today`."""
    parsed = HelplinesFile.model_validate(_read_yaml(HELPLINES_PATH))
    limit = (today.year * 12 + today.month - 1) - months
    return [
        (country, line)
        for country, lines in parsed.countries.items()
        for line in lines
        if line.checked_on().year * 12 + line.checked_on().month - 1 < limit
    ]


# Every statement of the rights page about the law carries its source: the sections' bodies and the procedure
# facts, except the facts that state no law (they say where to ask).
NOT_LEGAL_STATEMENTS = frozenset({"rights.facts.to_be_confirmed"})


def legal_statement_keys(reference: Mapping[str, Any]) -> list[str]:
    """The keys of the English texts that state the law, and so need a source."""
    sections = [f"rights.sections.{name}.body" for name in reference["rights"]["sections"]]
    facts = [f"rights.facts.{name}" for name in reference["rights"]["facts"]]
    return [key for key in sections + facts if key not in NOT_LEGAL_STATEMENTS]


class SourcesFile(Strict):
    version: int
    sources: dict[str, list[LegalSource]]

    @field_validator("sources", mode="before")
    @classmethod
    def _every_statement_sourced(cls, sources: Any, info: Any) -> Any:
        # Before the entries are checked, so that a missing source is reported together with a bad one.
        wanted = info.context["keys"]
        if isinstance(sources, Mapping):
            missing = [key for key in wanted if not sources.get(key)]
            extra = [key for key in sources if key not in wanted]
            if missing or extra:
                raise ValueError(
                    f"every legal statement needs a source: missing {missing}, unknown keys {extra}"
                )
        return sources


def source_problems(raw: Any, reference: Mapping[str, Any]) -> list[str]:
    """What is wrong with `sources.yaml`: a legal statement of the rights page without a source, or a bad
    one."""
    return problems(SourcesFile, raw, "sources.yaml", {"keys": legal_statement_keys(reference)})
