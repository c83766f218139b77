"""Training content read from files: modules (Markdown with front matter), question banks and practice cases.

Pure Python (no Django), so that editors and tests can check the files anywhere.

- ``content/modules/<id>.<lang>.md``: front matter ``id, title, audience (roles), language, version, minutes``
  and optionally ``order`` and ``pass_mark`` (percent, default 80); the body is Markdown, rendered with raw
  HTML disabled.
- ``content/modules/<id>.questions.<lang>.yaml``: the question bank (``single`` or ``multiple`` choice; every
  question has at least one correct option and an explanation shown after answering).
- ``content/cases/<id>.<lang>.yaml``: a fictional practice case with the expert answer (observed indicator
  ids, the expected outcome, a note per dimension).

English is the source. A text missing in another language falls back to English, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from markdown_it import MarkdownIt

CONTENT_DIR = Path(__file__).resolve().parent / "content"
MODULES_DIR = CONTENT_DIR / "modules"
CASES_DIR = CONTENT_DIR / "cases"
SOURCE_LANGUAGE = "en"
DEFAULT_PASS_MARK = 80
QUESTION_KINDS = ("single", "multiple")
POPULATIONS = ("adult", "child")
EXPLOITATION = ("labour", "sexual", "none")
MODULE_KEYS = ("id", "title", "audience", "language", "version", "minutes")


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    audience: tuple[str, ...]
    language: str
    version: int
    minutes: int
    order: int
    pass_mark: int
    body: str

    def html(self) -> str:
        """The body as HTML; raw HTML in the Markdown is shown as text, never passed through."""
        return _markdown().render(self.body)


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    correct: bool


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    text: str
    options: tuple[Option, ...]
    explanation: str

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options if o.correct)

    def option(self, option_id: str) -> Option:
        return next(o for o in self.options if o.id == option_id)


@dataclass(frozen=True)
class PracticeCase:
    id: str
    title: str
    population: str
    exploitation: str
    story: str
    expert_indicators: tuple[str, ...]
    expected_outcome: str
    notes: dict[str, str]
    summary: str


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def _split_name(path: Path, suffix: str) -> tuple[str, str]:
    """``what-is-trafficking.en.md`` → ("what-is-trafficking", "en")."""
    stem = path.name[: -len(suffix)]
    ident, _, lang = stem.rpartition(".")
    return ident, lang


def _module_from(path: Path) -> Module:
    post = frontmatter.load(path)
    meta = post.metadata
    return Module(
        id=str(meta["id"]),
        title=str(meta["title"]),
        audience=tuple(meta.get("audience") or ()),
        language=str(meta["language"]),
        version=int(meta["version"]),
        minutes=int(meta["minutes"]),
        order=int(meta.get("order", 100)),
        pass_mark=int(meta.get("pass_mark", DEFAULT_PASS_MARK)),
        body=post.content,
    )


@cache
def modules() -> dict[str, dict[str, Module]]:
    """Every module: id → language → Module."""
    found: dict[str, dict[str, Module]] = {}
    for path in sorted(MODULES_DIR.glob("*.md")):
        module = _module_from(path)
        found.setdefault(module.id, {})[module.language] = module
    return found


def module_ids() -> list[str]:
    """Module ids in teaching order."""
    return sorted(modules(), key=lambda i: (modules()[i][SOURCE_LANGUAGE].order, i))


def module(module_id: str, language: str) -> tuple[Module, bool]:
    """The module in `language`, else in English; flag: translated. KeyError if unknown."""
    versions = modules()[module_id]
    if language in versions:
        return versions[language], True
    return versions[SOURCE_LANGUAGE], language == SOURCE_LANGUAGE


def _question_from(data: dict[str, Any]) -> Question:
    return Question(
        id=str(data["id"]),
        kind=str(data["kind"]),
        text=str(data["text"]).strip(),
        options=tuple(
            Option(id=str(o["id"]), text=str(o["text"]).strip(), correct=bool(o.get("correct", False)))
            for o in data["options"]
        ),
        explanation=str(data.get("explanation") or "").strip(),
    )


@cache
def _question_bank(module_id: str, language: str) -> tuple[Question, ...] | None:
    path = MODULES_DIR / f"{module_id}.questions.{language}.yaml"
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(_question_from(q) for q in data["questions"])


def questions(module_id: str, language: str = SOURCE_LANGUAGE) -> dict[str, Question]:
    """The module's question bank by id (English where not translated); empty for an unknown module."""
    bank = _question_bank(module_id, language) or _question_bank(module_id, SOURCE_LANGUAGE) or ()
    return {q.id: q for q in bank}


def _case_from(data: dict[str, Any]) -> PracticeCase:
    expert = data["expert"]
    return PracticeCase(
        id=str(data["id"]),
        title=str(data["title"]),
        population=str(data["population"]),
        exploitation=str(data["exploitation"]),
        story=str(data["story"]).strip(),
        expert_indicators=tuple(expert.get("indicators") or ()),
        expected_outcome=str(expert["outcome"]),
        notes={str(k): str(v).strip() for k, v in (expert.get("notes") or {}).items()},
        summary=str(expert.get("summary") or "").strip(),
    )


@cache
def practice_cases() -> dict[str, dict[str, PracticeCase]]:
    """Every practice case: id → language → case."""
    found: dict[str, dict[str, PracticeCase]] = {}
    for path in sorted(CASES_DIR.glob("*.yaml")):
        _ident, lang = _split_name(path, ".yaml")
        case = _case_from(yaml.safe_load(path.read_text(encoding="utf-8")))
        found.setdefault(case.id, {})[lang] = case
    return found


def practice_case(case_id: str, language: str) -> tuple[PracticeCase, bool]:
    versions = practice_cases()[case_id]
    if language in versions:
        return versions[language], True
    return versions[SOURCE_LANGUAGE], language == SOURCE_LANGUAGE


# Schema checks (for tests and editors) ---------------------------------------------------------------------


def problems(*, indicator_ids: frozenset[str], roles: frozenset[str], outcomes: frozenset[str]) -> list[str]:
    """Everything wrong with the content files, as readable sentences; empty when all is well."""
    found: list[str] = []
    for path in sorted(MODULES_DIR.glob("*.md")):
        found += _module_problems(path, roles)
    for module_id in modules():
        if SOURCE_LANGUAGE not in modules()[module_id]:
            found.append(f"module {module_id}: no English text")
    for path in sorted(MODULES_DIR.glob("*.questions.*.yaml")):
        found += _bank_problems(path)
    seen: set[str] = set()
    for path in sorted(CASES_DIR.glob("*.yaml")):
        found += _case_problems(path, indicator_ids, outcomes, seen)
    return found


def _module_problems(path: Path, roles: frozenset[str]) -> list[str]:
    where = path.name
    ident, lang = _split_name(path, ".md")
    meta = frontmatter.load(path).metadata
    found = [f"{where}: missing {key}" for key in MODULE_KEYS if key not in meta]
    if meta.get("id") != ident or meta.get("language") != lang:
        found.append(f"{where}: id and language must match the file name")
    unknown = set(meta.get("audience") or ()) - roles
    if unknown or not meta.get("audience"):
        found.append(f"{where}: audience must name roles; unknown: {sorted(unknown)}")
    if not 1 <= int(meta.get("pass_mark", DEFAULT_PASS_MARK)) <= 100:
        found.append(f"{where}: pass_mark must be a percentage")
    if ident not in {p.name.split(".")[0] for p in MODULES_DIR.glob("*.questions.en.yaml")}:
        found.append(f"{where}: no English question bank")
    return found


def _bank_problems(path: Path) -> list[str]:
    where = path.name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: list[str] = []
    if data.get("module") != path.name.split(".")[0]:
        found.append(f"{where}: `module` must match the file name")
    ids = [q.get("id") for q in data.get("questions", [])]
    if len(ids) != len(set(ids)):
        found.append(f"{where}: question ids are not unique")
    if len(ids) < 4:
        found.append(f"{where}: fewer than 4 questions")
    for q in data.get("questions", []):
        label = f"{where} {q.get('id')}"
        if q.get("kind") not in QUESTION_KINDS:
            found.append(f"{label}: kind must be one of {QUESTION_KINDS}")
        options = q.get("options") or []
        option_ids = [o.get("id") for o in options]
        correct = [o for o in options if o.get("correct")]
        if len(options) < 2 or len(option_ids) != len(set(option_ids)):
            found.append(f"{label}: needs two or more options with unique ids")
        if not correct:
            found.append(f"{label}: no correct option")
        if q.get("kind") == "single" and len(correct) != 1:
            found.append(f"{label}: a single-choice question has exactly one correct option")
        if not str(q.get("explanation") or "").strip() or not str(q.get("text") or "").strip():
            found.append(f"{label}: needs a text and an explanation")
    return found


def _case_problems(
    path: Path, indicator_ids: frozenset[str], outcomes: frozenset[str], seen: set[str]
) -> list[str]:
    where = path.name
    ident, lang = _split_name(path, ".yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: list[str] = []
    if data.get("id") != ident:
        found.append(f"{where}: id must match the file name")
    if (ident, lang) in seen:
        found.append(f"{where}: duplicate id")
    seen.add(f"{ident}.{lang}")
    if data.get("population") not in POPULATIONS or data.get("exploitation") not in EXPLOITATION:
        found.append(f"{where}: population must be one of {POPULATIONS}, exploitation one of {EXPLOITATION}")
    expert = data.get("expert") or {}
    unknown = set(expert.get("indicators") or ()) - indicator_ids
    if unknown:
        found.append(f"{where}: unknown indicator ids {sorted(unknown)}")
    if expert.get("outcome") not in outcomes:
        found.append(f"{where}: outcome must be one of {sorted(outcomes)}")
    if not str(data.get("story") or "").strip() or not expert.get("notes"):
        found.append(f"{where}: needs a story and per-dimension notes")
    return found
