"""The interview content: the first-signs checklist and the texts of each language, read from YAML data.

Pure Python (no Django), so that the content can be checked anywhere:

- `data/first-signs.yaml` holds the language-independent checklist: each sign's id, the catalogue
  indicators it suggests, and an optional `effect` (`presumed_minor`).
- `data/i18n/<code>.yaml` holds every text the interview needs in one language, keyed by ids. English
  (`en`) is the source; translations copy its structure.
- `data/sexual-exploitation-prompts.yaml` holds follow-up questions for signs of sexual exploitation, keyed by
  existing indicator ids (a pydantic model, `prompt_problems`).
- `validate_language` (a pydantic model built for the catalogue and checklist, `lantern.datafiles`) and
  `validate_first_signs` list what is wrong with a file, for tests and editors.

Loaded content is cached and shared: treat what the loaders return as read-only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import ConfigDict, Field, ValidationInfo, create_model, field_validator, model_validator

from lantern.datafiles import Strict
from lantern.datafiles import problems as check_schema

DATA_DIR = Path(__file__).resolve().parent / "data"
I18N_DIR = DATA_DIR / "i18n"
FIRST_SIGNS_PATH = DATA_DIR / "first-signs.yaml"
CATALOGUE_PATH = DATA_DIR / "indicators-ilo-delphi.yaml"
SE_PROMPTS_PATH = DATA_DIR / "sexual-exploitation-prompts.yaml"

REFERENCE_LANGUAGE = "en"
STATUSES = ("reviewed", "machine-or-draft")
DIRECTIONS = ("ltr", "rtl")
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "dv", "sd", "ug", "yi"})
SIGN_EFFECTS = ("presumed_minor",)
ANSWERS = ("yes", "no", "unsure", "declined")
OUTCOMES = ("presumed-victim", "further-assessment", "no-indicators")
MAX_QUESTIONS = 2

# Every key of a language file, and the keys of its fixed-shape sections.
TOP_LEVEL_KEYS = (
    "language",
    "name",
    "direction",
    "status",
    "draft_entries",
    "themes",
    "dimensions",
    "indicators",
    "questions",
    "first_signs",
    "answers",
    "outcomes",
    "next_steps",
    "danger_check",
    "consent",
    "setting_help",
    "child_friendly_intro",
)
THEME_KEYS = ("id", "title", "intro", "indicators")
OUTCOME_KEYS = ("title", "summary")
FIXED_SECTIONS = {
    "answers": ANSWERS,
    "danger_check": ("question", "yes_action"),
    "consent": ("script", "given", "refused"),
    "setting_help": ("interpreter_gender", "private_space", "child_friendly"),
}

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


# Loading ------------------------------------------------------------------------------------------------


def _read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def load_first_signs(path: Path = FIRST_SIGNS_PATH) -> tuple[dict[str, Any], ...]:
    """The first signs in checklist order: dicts with `id`, `suggests` (a list) and `effect` (or None)."""
    data = _read_yaml(path) or {}
    signs = data.get("signs") or {}
    found = []
    for sign_id, entry in signs.items():
        entry = entry if isinstance(entry, Mapping) else {}
        suggests = entry.get("suggests")
        found.append(
            {
                "id": sign_id,
                # Anything but a list is kept as it is, for validate_first_signs to report.
                "suggests": []
                if suggests is None
                else list(suggests)
                if isinstance(suggests, list)
                else suggests,
                "effect": entry.get("effect"),
            }
        )
    return tuple(found)


def first_sign_ids() -> list[str]:
    return [sign["id"] for sign in load_first_signs()]


def available_languages() -> list[str]:
    """Codes of the language files present in data/i18n/, the reference language first."""
    codes = sorted(p.stem for p in I18N_DIR.glob("*.yaml") if _LANGUAGE_CODE.match(p.stem))
    return sorted(codes, key=lambda code: code != REFERENCE_LANGUAGE)


@cache
def load_language(code: str) -> dict[str, Any]:
    """Every text of the interview in one language. An unknown code raises KeyError."""
    if not _LANGUAGE_CODE.match(code or "") or code not in available_languages():
        raise KeyError(f"No interview content for language {code!r}")
    data = _read_yaml(I18N_DIR / f"{code}.yaml")
    if not isinstance(data, dict):
        raise ValueError(f"data/i18n/{code}.yaml is not a mapping")
    return data


@cache
def load_catalogue_data(path: Path = CATALOGUE_PATH) -> dict[str, Any]:
    return _read_yaml(path)


def catalogue_indicator_ids(path: Path = CATALOGUE_PATH) -> frozenset[str]:
    """The ids in the catalogue's `indicators:` section."""
    return frozenset(load_catalogue_data(path)["indicators"])


def catalogue_dimension_ids(path: Path = CATALOGUE_PATH) -> frozenset[str]:
    return frozenset(load_catalogue_data(path)["dimensions"])


# Validation ---------------------------------------------------------------------------------------------


Text = Annotated[str, Field(min_length=1, pattern=r"\S")]


class _Keyed(Strict):
    """A mapping with exactly the declared keys (ids as aliases: they contain dots and dashes)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=False)

    @model_validator(mode="before")
    @classmethod
    def _quoted_keys(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and any(isinstance(key, bool) for key in data):
            raise ValueError("a key is true/false: write the key in quotes (YAML reads yes/no as true/false)")
        return data


def _keyed(name: str, keys: Iterable[str], value: Any) -> type[_Keyed]:
    fields = {f"k{n}": (value, Field(alias=key)) for n, key in enumerate(keys)}
    return create_model(name, __base__=_Keyed, **fields)


class _Theme(Strict):
    id: Text
    title: Text
    intro: Text
    indicators: list[str] = Field(min_length=1)


def _check_themes(themes: list[_Theme], catalogue: frozenset[str], reference: Any) -> None:
    """Each catalogue indicator in exactly one theme; a translation keeps the reference's themes in order."""
    problems, placed, seen = [], {}, set()
    for theme in themes:
        if theme.id in seen:
            problems.append(f"themes.{theme.id}: theme id used twice")
        seen.add(theme.id)
        for indicator in theme.indicators:
            if indicator not in catalogue:
                problems.append(f"themes.{theme.id}.indicators: {indicator} is not in the catalogue")
            elif indicator in placed:
                problems.append(
                    f"themes.{theme.id}.indicators: {indicator} is already in themes.{placed[indicator]}"
                )
            else:
                placed[indicator] = theme.id
    problems += [f"themes: {indicator} is in no theme" for indicator in sorted(catalogue - set(placed))]
    if reference is not None:
        expected = [(t.get("id"), list(t.get("indicators") or [])) for t in reference.get("themes") or []]
        if [(t.id, list(t.indicators)) for t in themes] != expected:
            problems.append(
                "the theme ids and their indicators must be the same, in the same order, as in the reference "
                f"language ({REFERENCE_LANGUAGE})"
            )
    if problems:
        raise ValueError("; ".join(problems))


@cache
def _language_model(
    catalogue: frozenset[str], signs: tuple[str, ...], dimension_ids: frozenset[str] | None
) -> type[Strict]:
    """The shape of one language file, for this catalogue and checklist (pydantic, lantern.datafiles)."""
    questions = Annotated[list[Text], Field(min_length=1, max_length=MAX_QUESTIONS)]
    steps = Annotated[list[Text], Field(min_length=1)]
    outcome = _keyed("Outcome", OUTCOME_KEYS, Text)
    dimensions: Any = (
        _keyed("Dimensions", sorted(dimension_ids), Text)
        if dimension_ids is not None
        else Annotated[dict[str, Text], Field(min_length=1)]
    )

    class LanguageFile(Strict):
        language: Text
        name: Text
        direction: Literal[DIRECTIONS]  # type: ignore[valid-type]
        status: Literal[STATUSES]  # type: ignore[valid-type]
        draft_entries: list[str]
        themes: list[_Theme] = Field(min_length=1)
        dimensions: dimensions  # type: ignore[valid-type]
        indicators: _keyed("Indicators", sorted(catalogue), Text)  # type: ignore[valid-type]
        questions: _keyed("Questions", sorted(catalogue), questions)  # type: ignore[valid-type]
        first_signs: _keyed("FirstSigns", signs, Text)  # type: ignore[valid-type]
        answers: _keyed("Answers", ANSWERS, Text)  # type: ignore[valid-type]
        outcomes: _keyed("Outcomes", OUTCOMES, outcome)  # type: ignore[valid-type]
        next_steps: _keyed("NextSteps", OUTCOMES, steps)  # type: ignore[valid-type]
        danger_check: _keyed("DangerCheck", FIXED_SECTIONS["danger_check"], Text)  # type: ignore[valid-type]
        consent: _keyed("Consent", FIXED_SECTIONS["consent"], Text)  # type: ignore[valid-type]
        setting_help: _keyed("SettingHelp", FIXED_SECTIONS["setting_help"], Text)  # type: ignore[valid-type]
        child_friendly_intro: Text

        @field_validator("language")
        @classmethod
        def _the_files_code(cls, language: str, info: ValidationInfo) -> str:
            code = info.context.get("code")
            if not _LANGUAGE_CODE.match(language):
                raise ValueError("must be a language code")
            if code is not None and language != code:
                raise ValueError(f"is {language!r} but the file is for {code!r}")
            return language

        @field_validator("direction")
        @classmethod
        def _right_to_left(cls, direction: str, info: ValidationInfo) -> str:
            language = info.context["raw"].get("language")  # even when `language` itself is refused
            if language in RTL_LANGUAGES and direction != "rtl":
                raise ValueError(f"{language} is written right to left: use rtl")
            return direction

        @field_validator("draft_entries")
        @classmethod
        def _name_entries(cls, drafts: list[str], info: ValidationInfo) -> list[str]:
            unknown = [d for d in drafts if not _entry_exists(info.context["raw"], d)]
            if unknown:
                raise ValueError(f"{', '.join(unknown)} names no entry")
            return drafts

        @field_validator("themes")
        @classmethod
        def _placed_once(cls, themes: list[_Theme], info: ValidationInfo) -> list[_Theme]:
            _check_themes(themes, catalogue, info.context.get("reference"))
            return themes

    return LanguageFile


def _entry_exists(data: Mapping[str, Any], dotted: str) -> bool:
    """Whether a `draft_entries` key names an entry: "questions.dr.wages", "themes.journey", "consent"."""
    section, _, rest = dotted.partition(".")
    if section not in data:
        return False
    if not rest:
        return True
    if section == "themes":
        theme_id, _, key = rest.partition(".")
        for theme in data["themes"] or []:
            if isinstance(theme, Mapping) and theme.get("id") == theme_id:
                return not key or key in ("title", "intro")
        return False
    value = data[section]
    parts = rest.split(".")
    while parts:
        if not isinstance(value, Mapping):
            return False
        # Ids contain dots (dr.wages): take the longest run of parts that is a key.
        for n in range(len(parts), 0, -1):
            key = ".".join(parts[:n])
            if key in value:
                value, parts = value[key], parts[n:]
                break
        else:
            return False
    return True


def validate_language(
    data: Any,
    catalogue_indicator_ids: Iterable[str],
    first_sign_ids: Iterable[str],
    *,
    dimension_ids: Iterable[str] | None = None,
    reference: Mapping[str, Any] | None = None,
    code: str | None = None,
) -> list[str]:
    """What is wrong with one language's content; an empty list when nothing is.

    `dimension_ids` (the catalogue's six dimensions) is checked exactly when given; `reference` (the English
    content) makes a translation keep the same themes in the same order; `code` is the file's language code.
    Each problem reads "<code>: <key path>: <what is expected>".
    """
    if not isinstance(data, Mapping):
        return ["the file must be a mapping of the keys: " + ", ".join(TOP_LEVEL_KEYS)]
    model = _language_model(
        frozenset(catalogue_indicator_ids),
        tuple(first_sign_ids),
        frozenset(dimension_ids) if dimension_ids is not None else None,
    )
    context = {"raw": data, "reference": reference, "code": code}
    return check_schema(model, data, f"{code or data.get('language') or 'i18n'}.yaml", context)


class _FirstSign(Strict):
    id: str
    suggests: list[str]
    effect: Literal[SIGN_EFFECTS] | None = None  # type: ignore[valid-type]

    @field_validator("id")
    @classmethod
    def _prefixed(cls, sign_id: str) -> str:
        if not sign_id.startswith("fs."):
            raise ValueError("a sign id starts with 'fs.'")
        return sign_id

    @field_validator("suggests")
    @classmethod
    def _in_catalogue(cls, suggests: list[str], info: ValidationInfo) -> list[str]:
        unknown = [i for i in suggests if i not in info.context["catalogue"]]
        if unknown:
            raise ValueError(f"{', '.join(unknown)} is not in the catalogue")
        return suggests


def validate_first_signs(
    signs: Iterable[Mapping[str, Any]], catalogue_indicator_ids: Iterable[str]
) -> list[str]:
    """What is wrong with the first signs (as `load_first_signs` returns them): "<sign>: <key>: ..."."""
    context = {"catalogue": frozenset(catalogue_indicator_ids)}
    problems: list[str] = []
    seen: set[Any] = set()
    for sign in signs:
        sign_id = sign.get("id")
        if sign_id in seen:
            problems.append(f"{sign_id}: used twice")
        seen.add(sign_id)
        problems += check_schema(_FirstSign, dict(sign), str(sign_id), context)
    return problems


# Follow-up prompts for signs of sexual exploitation (data/sexual-exploitation-prompts.yaml) ----------------


class _Prompts(Strict):
    version: int
    prompts: dict[str, list[Annotated[str, Field(min_length=1, pattern=r"\S")]]]

    @field_validator("prompts")
    @classmethod
    def _existing_indicators(
        cls, prompts: dict[str, list[str]], info: ValidationInfo
    ) -> dict[str, list[str]]:
        unknown = sorted(set(prompts) - info.context["indicator_ids"])
        if unknown:
            raise ValueError(f"not indicator ids of the catalogue (never invent ids): {unknown}")
        too_many = sorted(i for i, asked in prompts.items() if not 1 <= len(asked) <= MAX_QUESTIONS)
        if too_many:
            raise ValueError(f"1 to {MAX_QUESTIONS} prompts per indicator: {too_many}")
        return prompts


def prompt_problems(data: Any, indicator_ids: frozenset[str]) -> list[str]:
    """What is wrong with the sexual-exploitation prompts file (empty when all is well)."""
    return check_schema(_Prompts, data, SE_PROMPTS_PATH.name, {"indicator_ids": indicator_ids})


@cache
def sexual_exploitation_prompts() -> dict[str, tuple[str, ...]]:
    """Indicator id -> follow-up questions for signs of sexual exploitation."""
    data = yaml.safe_load(SE_PROMPTS_PATH.read_text(encoding="utf-8"))
    return {indicator: tuple(asked) for indicator, asked in (data.get("prompts") or {}).items()}
