"""Training content read from files: modules (Markdown with front matter), question banks and practice cases.

Pure Python (no Django), so that editors and tests can check the files anywhere.

- ``content/modules/<id>.<lang>.md``: front matter ``id, title, audience (roles), language, version, minutes``
  and optionally ``order`` and ``pass_mark`` (percent, default 80); ``sources`` names the legal sources of
  each ``##`` section that states the law, ``no_legal_statement`` lists the others (English; see
  `ModuleMeta`). The body is Markdown, rendered with raw HTML disabled.
- ``content/modules/<id>.questions.<lang>.yaml``: the question bank (``single`` or ``multiple`` choice; every
  question has at least one correct option and an explanation shown after answering).
- ``content/cases/<id>.<lang>.yaml``: a fictional practice case with the expert answer (observed indicator
  ids, the expected outcome, a note per dimension).

English is the source. A text missing in another language falls back to English, and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import frontmatter
import yaml
from markdown_it import MarkdownIt
from pydantic import Field, ValidationInfo, field_validator, model_validator

from lantern.datafiles import LegalSource, Strict
from lantern.datafiles import problems as check

CONTENT_DIR = Path(__file__).resolve().parent / "content"
MODULES_DIR = CONTENT_DIR / "modules"
CASES_DIR = CONTENT_DIR / "cases"
SOURCE_LANGUAGE = "en"
DEFAULT_PASS_MARK = 80
QUESTION_KINDS = ("single", "multiple")
POPULATIONS = ("adult", "child")
EXPLOITATION = ("labour", "sexual", "none")


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


# Schema checks (for tests and editors): pydantic models (lantern.datafiles) ---------------------------------

_HEADING = re.compile(r"^## (.+?)\s*$", re.MULTILINE)


def section_headings(body: str) -> list[str]:
    """The module's `## ` section headings, in order."""
    return _HEADING.findall(body)


class ModuleMeta(Strict):
    """A module's front matter. `sources` names, per section heading, the law the section states; a section
    that states no law is listed in `no_legal_statement`. Every section is in exactly one of the two."""

    id: str
    title: str = Field(min_length=1)
    audience: list[str] = Field(min_length=1)
    language: str
    version: int
    minutes: int
    order: int = 100
    pass_mark: int = Field(default=DEFAULT_PASS_MARK, ge=1, le=100)
    sources: dict[str, list[LegalSource]] = {}
    no_legal_statement: list[str] = []

    @field_validator("audience")
    @classmethod
    def _known_roles(cls, audience: list[str], info: ValidationInfo) -> list[str]:
        unknown = sorted(set(audience) - info.context["roles"])
        if unknown:
            raise ValueError(f"audience must name roles; unknown: {unknown}")
        return audience

    @model_validator(mode="after")
    def _matches_file_and_body(self, info: ValidationInfo) -> ModuleMeta:
        if (self.id, self.language) != (info.context["ident"], info.context["lang"]):
            raise ValueError("id and language must match the file name")
        if self.language == SOURCE_LANGUAGE:
            headings = section_headings(info.context["body"])
            sourced, plain = set(self.sources), set(self.no_legal_statement)
            unsourced = [h for h in headings if h not in sourced | plain]
            if unsourced:
                raise ValueError(
                    f"sections without `sources` (or listed in `no_legal_statement`): {unsourced}"
                )
            stale = sorted((sourced | plain) - set(headings))
            if stale or sourced & plain:
                raise ValueError(
                    f"`sources`/`no_legal_statement` name no section, or both: {stale or sourced & plain}"
                )
            empty = [h for h, cited in self.sources.items() if not cited]
            if empty:
                raise ValueError(f"sections with an empty source list: {empty}")
        return self


class OptionSpec(Strict):
    id: str
    text: str = Field(min_length=1)
    correct: bool = False


class QuestionSpec(Strict):
    id: str
    kind: Literal[QUESTION_KINDS]  # type: ignore[valid-type]
    text: str = Field(min_length=1, pattern=r"\S")
    options: list[OptionSpec] = Field(min_length=2)
    explanation: str = Field(min_length=1, pattern=r"\S")

    @model_validator(mode="after")
    def _answer_key(self) -> QuestionSpec:
        ids = [o.id for o in self.options]
        if len(ids) != len(set(ids)):
            raise ValueError("option ids must be unique")
        correct = sum(o.correct for o in self.options)
        if not correct:
            raise ValueError("no correct option")
        if self.kind == "single" and correct != 1:
            raise ValueError("a single-choice question has exactly one correct option")
        return self


class QuestionBankSpec(Strict):
    module: str
    questions: list[QuestionSpec] = Field(min_length=4)

    @model_validator(mode="after")
    def _matches_file(self, info: ValidationInfo) -> QuestionBankSpec:
        if self.module != info.context["ident"]:
            raise ValueError("`module` must match the file name")
        ids = [q.id for q in self.questions]
        if len(ids) != len(set(ids)):
            raise ValueError("question ids are not unique")
        return self


class ExpertSpec(Strict):
    indicators: list[str] = []
    outcome: str
    summary: str = ""
    notes: dict[str, str] = Field(min_length=1)

    @field_validator("indicators")
    @classmethod
    def _known_indicators(cls, indicators: list[str], info: ValidationInfo) -> list[str]:
        unknown = sorted(set(indicators) - info.context["indicator_ids"])
        if unknown:
            raise ValueError(f"unknown indicator ids {unknown}")
        return indicators

    @field_validator("outcome")
    @classmethod
    def _known_outcome(cls, outcome: str, info: ValidationInfo) -> str:
        if outcome not in info.context["outcomes"]:
            raise ValueError(f"outcome must be one of {sorted(info.context['outcomes'])}")
        return outcome


class PracticeCaseSpec(Strict):
    id: str
    title: str = Field(min_length=1)
    population: Literal[POPULATIONS]  # type: ignore[valid-type]
    exploitation: Literal[EXPLOITATION]  # type: ignore[valid-type]
    story: str = Field(min_length=1, pattern=r"\S")
    expert: ExpertSpec

    @model_validator(mode="after")
    def _matches_file(self, info: ValidationInfo) -> PracticeCaseSpec:
        if self.id != info.context["ident"]:
            raise ValueError("id must match the file name")
        return self


def problems(*, indicator_ids: frozenset[str], roles: frozenset[str], outcomes: frozenset[str]) -> list[str]:
    """Everything wrong with the content files, as readable sentences; empty when all is well."""
    found: list[str] = []
    banks = {p.name.split(".")[0] for p in MODULES_DIR.glob("*.questions.en.yaml")}
    for path in sorted(MODULES_DIR.glob("*.md")):
        ident, lang = _split_name(path, ".md")
        post = frontmatter.load(path)
        context = {"roles": roles, "ident": ident, "lang": lang, "body": post.content}
        found += check(ModuleMeta, post.metadata, path.name, context)
        if ident not in banks:
            found.append(f"{path.name}: no English question bank")
    for module_id in modules():
        if SOURCE_LANGUAGE not in modules()[module_id]:
            found.append(f"module {module_id}: no English text")
    for path in sorted(MODULES_DIR.glob("*.questions.*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found += check(QuestionBankSpec, data, path.name, {"ident": path.name.split(".")[0]})
    for path in sorted(CASES_DIR.glob("*.yaml")):
        ident, _lang = _split_name(path, ".yaml")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        context = {"ident": ident, "indicator_ids": indicator_ids, "outcomes": outcomes}
        found += check(PracticeCaseSpec, data, path.name, context)
    return found
