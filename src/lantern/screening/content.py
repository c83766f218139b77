"""The interview content: the first-signs checklist and the texts of each language, read from YAML data.

Pure Python (no Django), so that the content can be checked anywhere:

- `data/first-signs.yaml` holds the language-independent checklist: each sign's id, the catalogue
  indicators it suggests, and an optional `effect` (`presumed_minor`).
- `data/i18n/<code>.yaml` holds every text the interview needs in one language, keyed by ids. English
  (`en`) is the source; translations copy its structure.
- `data/sexual-exploitation-prompts.yaml` holds follow-up questions for signs of sexual exploitation, keyed by
  existing indicator ids (a pydantic model, `prompt_problems`).
- `validate_language` and `validate_first_signs` list what is wrong with a file, for tests and editors.

Loaded content is cached and shared: treat what the loaders return as read-only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import Field, ValidationInfo, field_validator

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


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _check_texts(
    problems: list[str], section: str, value: Any, expected: Iterable[str], what: str = "text"
) -> None:
    """`section` must map exactly the `expected` keys to non-empty strings."""
    if not isinstance(value, Mapping):
        problems.append(f"{section}: must be a mapping of id to {what}")
        return
    expected = list(expected)
    for key in expected:
        if key not in value:
            problems.append(f"{section}.{key}: missing")
        elif not _is_text(value[key]):
            problems.append(f"{section}.{key}: must be a non-empty string")
    for key in value:
        if key not in expected:
            hint = (
                " (write the key in quotes: YAML reads yes/no as true/false)" if isinstance(key, bool) else ""
            )
            problems.append(f"{section}.{key}: unknown key{hint}")


def _check_themes(
    problems: list[str],
    themes: Any,
    catalogue: frozenset[str],
    reference: Mapping[str, Any] | None,
) -> None:
    if not isinstance(themes, list) or not themes:
        problems.append("themes: must be a non-empty list")
        return
    seen_ids: set[str] = set()
    placed: dict[str, str] = {}
    for n, theme in enumerate(themes):
        if not isinstance(theme, Mapping):
            problems.append(f"themes[{n}]: must be a mapping with {', '.join(THEME_KEYS)}")
            continue
        theme_id = theme.get("id")
        where = f"themes.{theme_id}" if _is_text(theme_id) else f"themes[{n}]"
        if not _is_text(theme_id):
            problems.append(f"{where}.id: missing")
        elif theme_id in seen_ids:
            problems.append(f"{where}: theme id used twice")
        else:
            seen_ids.add(theme_id)
        for key in ("title", "intro"):
            if not _is_text(theme.get(key)):
                problems.append(f"{where}.{key}: must be a non-empty string")
        for key in theme:
            if key not in THEME_KEYS:
                problems.append(f"{where}.{key}: unknown key")
        indicators = theme.get("indicators")
        if not isinstance(indicators, list) or not indicators:
            problems.append(f"{where}.indicators: must be a non-empty list of indicator ids")
            continue
        for indicator in indicators:
            if indicator not in catalogue:
                problems.append(f"{where}.indicators: {indicator} is not in the catalogue")
            elif indicator in placed:
                problems.append(f"{where}.indicators: {indicator} is already in themes.{placed[indicator]}")
            else:
                placed[indicator] = str(theme_id)
    for indicator in sorted(catalogue - set(placed)):
        problems.append(f"themes: {indicator} is in no theme")
    if reference is not None:
        expected = [(t.get("id"), list(t.get("indicators") or [])) for t in reference.get("themes") or []]
        found = [(t.get("id"), list(t.get("indicators") or [])) for t in themes if isinstance(t, Mapping)]
        if found != expected:
            problems.append(
                "themes: the theme ids and their indicators must be the same, in the same order, as in the "
                f"reference language ({REFERENCE_LANGUAGE})"
            )


def _check_questions(problems: list[str], questions: Any, catalogue: frozenset[str]) -> None:
    if not isinstance(questions, Mapping):
        problems.append("questions: must be a mapping of indicator id to a list of questions")
        return
    for indicator in sorted(catalogue):
        asked = questions.get(indicator)
        if indicator not in questions:
            problems.append(f"questions.{indicator}: missing (every indicator needs a question)")
        elif not isinstance(asked, list) or not asked:
            problems.append(f"questions.{indicator}: must be a list of 1 to {MAX_QUESTIONS} questions")
        else:
            if len(asked) > MAX_QUESTIONS:
                problems.append(f"questions.{indicator}: at most {MAX_QUESTIONS} questions")
            for n, question in enumerate(asked):
                if not _is_text(question):
                    problems.append(f"questions.{indicator}[{n}]: must be a non-empty string")
    for indicator in questions:
        if indicator not in catalogue:
            problems.append(f"questions.{indicator}: not in the catalogue")


def _check_next_steps(problems: list[str], next_steps: Any) -> None:
    if not isinstance(next_steps, Mapping):
        problems.append("next_steps: must be a mapping of outcome to a list of steps")
        return
    for outcome in OUTCOMES:
        steps = next_steps.get(outcome)
        if not isinstance(steps, list) or not steps:
            problems.append(f"next_steps.{outcome}: must be a non-empty list of steps")
            continue
        for n, step in enumerate(steps):
            if not _is_text(step):
                problems.append(f"next_steps.{outcome}[{n}]: must be a non-empty string")
    for outcome in next_steps:
        if outcome not in OUTCOMES:
            problems.append(f"next_steps.{outcome}: unknown outcome")


def _check_outcomes(problems: list[str], outcomes: Any) -> None:
    if not isinstance(outcomes, Mapping):
        problems.append("outcomes: must be a mapping of outcome to title and summary")
        return
    for outcome in OUTCOMES:
        if outcome not in outcomes:
            problems.append(f"outcomes.{outcome}: missing")
        else:
            _check_texts(problems, f"outcomes.{outcome}", outcomes[outcome], OUTCOME_KEYS)
    for outcome in outcomes:
        if outcome not in OUTCOMES:
            problems.append(f"outcomes.{outcome}: unknown outcome")


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
    """
    if not isinstance(data, Mapping):
        return ["the file must be a mapping of the keys: " + ", ".join(TOP_LEVEL_KEYS)]
    catalogue = frozenset(catalogue_indicator_ids)
    signs = list(first_sign_ids)
    problems: list[str] = []

    for key in TOP_LEVEL_KEYS:
        if key not in data:
            problems.append(f"{key}: missing")
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            problems.append(f"{key}: unknown key")

    language = data.get("language")
    if "language" in data and not _is_text(language):
        problems.append("language: must be a language code")
    elif code is not None and language is not None and language != code:
        problems.append(f"language: is {language!r} but the file is for {code!r}")
    if "name" in data and not _is_text(data.get("name")):
        problems.append("name: must be the language's own name")
    if "direction" in data and data.get("direction") not in DIRECTIONS:
        problems.append(f"direction: must be one of {', '.join(DIRECTIONS)}, not {data.get('direction')!r}")
    elif language in RTL_LANGUAGES and data.get("direction") != "rtl":
        problems.append(f"direction: {language} is written right to left: use rtl")
    if "status" in data and data.get("status") not in STATUSES:
        problems.append(f"status: must be one of {', '.join(STATUSES)}, not {data.get('status')!r}")

    drafts = data.get("draft_entries", [])
    if not isinstance(drafts, list) or not all(isinstance(d, str) for d in drafts):
        problems.append("draft_entries: must be a list of dotted keys (may be empty)")
    else:
        for dotted in drafts:
            if not _entry_exists(data, dotted):
                problems.append(f"draft_entries: {dotted} names no entry")

    if "themes" in data:
        _check_themes(problems, data["themes"], catalogue, reference)
    if "dimensions" in data:
        dims = data["dimensions"]
        if dimension_ids is not None:
            _check_texts(problems, "dimensions", dims, sorted(dimension_ids), "label")
        elif not isinstance(dims, Mapping) or not dims or not all(_is_text(v) for v in dims.values()):
            problems.append("dimensions: must map each dimension id to a non-empty label")
    if "indicators" in data:
        _check_texts(problems, "indicators", data["indicators"], sorted(catalogue), "label")
    if "questions" in data:
        _check_questions(problems, data["questions"], catalogue)
    if "first_signs" in data:
        _check_texts(problems, "first_signs", data["first_signs"], signs)
    if "outcomes" in data:
        _check_outcomes(problems, data["outcomes"])
    if "next_steps" in data:
        _check_next_steps(problems, data["next_steps"])
    for section, keys in FIXED_SECTIONS.items():
        if section in data:
            _check_texts(problems, section, data[section], keys)
    if "child_friendly_intro" in data and not _is_text(data["child_friendly_intro"]):
        problems.append("child_friendly_intro: must be a non-empty string")
    return problems


def validate_first_signs(
    signs: Iterable[Mapping[str, Any]], catalogue_indicator_ids: Iterable[str]
) -> list[str]:
    """What is wrong with the first-signs structure (as `load_first_signs` returns it)."""
    catalogue = frozenset(catalogue_indicator_ids)
    problems: list[str] = []
    seen: set[str] = set()
    for sign in signs:
        sign_id = sign.get("id")
        if not isinstance(sign_id, str) or not sign_id.startswith("fs."):
            problems.append(f"{sign_id!r}: a sign id starts with 'fs.'")
        if sign_id in seen:
            problems.append(f"{sign_id}: used twice")
        seen.add(sign_id)
        suggests = sign.get("suggests")
        if not isinstance(suggests, list):
            problems.append(f"{sign_id}.suggests: must be a list of indicator ids (may be empty)")
        else:
            for indicator in suggests:
                if indicator not in catalogue:
                    problems.append(f"{sign_id}.suggests: {indicator} is not in the catalogue")
        effect = sign.get("effect")
        if effect is not None and effect not in SIGN_EFFECTS:
            problems.append(f"{sign_id}.effect: must be one of {', '.join(SIGN_EFFECTS)}, not {effect!r}")
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
