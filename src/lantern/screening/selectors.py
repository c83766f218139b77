"""Reading screenings (always through the gate) and the interview content they are conducted with.

Screenings: `access_screening` (one, or NotVisible → 404) and `screenings_for_list` (scoped in SQL).
Content: the catalogue's ids, the first signs, the themes, and `InterviewTexts` — the entries of one language,
each falling back to English where the translation lacks it, and flagged as a draft where it is one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Q, QuerySet

from lantern.authz.gate import access, visible

from . import content as interview_content
from .catalogue import Catalogue, Instrument, load_catalogue
from .engine import Result
from .models import Screening, Status
from .stream import result_record

REFERENCE_LANGUAGE = "en"

# Screenings -----------------------------------------------------------------------------------------


def access_screening(actor: Any, pk: Any, action: str = "screening.view") -> Screening:
    """One screening the actor may `action`; another organisation's or a missing id raise NotVisible."""
    return access(actor, action, Screening, pk)


def visible_screenings(actor: Any, action: str = "screening.view") -> QuerySet[Screening]:
    return visible(actor, action, Screening)


LIST_GROUPS = {
    "in_progress": Q(paused_at__isnull=True) & ~Q(status__in=[Status.COMPLETED, Status.STOPPED_NO_CONSENT]),
    "paused": Q(paused_at__isnull=False) & ~Q(status=Status.COMPLETED),
    "finished": Q(status__in=[Status.COMPLETED, Status.STOPPED_NO_CONSENT]) & Q(paused_at__isnull=True),
}


def screenings_for_list(actor: Any, group: str, *, mine: bool) -> QuerySet[Screening]:
    """The screenings of a list tab (in progress / paused / finished), newest change first."""
    screenings = visible_screenings(actor).filter(LIST_GROUPS[group])
    if mine:
        screenings = screenings.filter(Q(created_by=actor) | Q(locked_by=actor))
    return screenings.select_related("created_by", "locked_by").order_by("-updated_at", "-pk")


# The catalogue ------------------------------------------------------------------------------------


def catalogue() -> Catalogue:
    return load_catalogue()  # cached by the catalogue module


def _instruments() -> list[Instrument]:
    return list(catalogue().instruments.values())


@cache
def all_indicator_ids() -> frozenset[str]:
    return frozenset().union(*(i.indicator_ids for i in _instruments()))


def all_instrument_ids() -> list[str]:
    return sorted(catalogue().instruments)


def instrument_ids_for(population: str) -> list[str]:
    return sorted(i.id for i in _instruments() if i.population == population)


@cache
def population_indicator_ids(population: str) -> frozenset[str]:
    return frozenset().union(*(i.indicator_ids for i in _instruments() if i.population == population))


# First signs and themes (structure from the reference language) ---------------------------------------


def first_signs() -> tuple[dict[str, Any], ...]:
    return interview_content.load_first_signs()  # cached by the content module


def first_sign_ids() -> list[str]:
    return [sign["id"] for sign in first_signs()]


def first_signs_suggest_minor(ids: Iterable[str]) -> bool:
    chosen = set(ids)
    return any(s["id"] in chosen and s["effect"] == "presumed_minor" for s in first_signs())


def suggested_indicators(ids: Iterable[str]) -> frozenset[str]:
    """Indicators the observed first signs point to: worth asking about with particular care."""
    chosen = set(ids)
    return frozenset(i for s in first_signs() if s["id"] in chosen for i in s["suggests"])


def _language(code: str) -> dict[str, Any]:
    return interview_content.load_language(code)  # cached by the content module


def themes() -> list[dict[str, Any]]:
    return list(_language(REFERENCE_LANGUAGE).get("themes") or [])


def theme_indicator_ids(theme_id: str) -> list[str]:
    for theme in themes():
        if theme.get("id") == theme_id:
            return list(theme.get("indicators") or [])
    raise KeyError(theme_id)


def themes_for(population: str) -> list[tuple[str, list[str]]]:
    """(theme id, indicator ids) of the themes with questions for the population, in interview order."""
    applicable = population_indicator_ids(population)
    found = []
    for theme in themes():
        ids = [i for i in theme.get("indicators") or [] if i in applicable]
        if ids:
            found.append((theme["id"], ids))
    return found


# Texts in one language, English per missing entry --------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """One entry of the interview content, with what a page needs to mark its language (WCAG 3.1.2)."""

    value: Any
    lang: str
    dir: str
    draft: bool  # machine translation, unreviewed entry or English stand-in: shown with a discreet note

    def __str__(self) -> str:
        if isinstance(self.value, list | tuple):
            return " ".join(str(v) for v in self.value)
        return str(self.value)

    @property
    def items(self) -> list[Any]:
        """The entry as a list of paragraphs (questions and next steps are lists)."""
        return list(self.value) if isinstance(self.value, list | tuple) else [self.value]


class InterviewTexts:
    """The interview content in `code`; an entry the language lacks is the English one, marked as a draft."""

    def __init__(self, code: str) -> None:
        available = set(interview_content.available_languages())
        self.code = code if code in available else REFERENCE_LANGUAGE
        self.data = _language(self.code)
        self.reference = _language(REFERENCE_LANGUAGE)
        self.dir = self.data.get("direction") or "ltr"
        self.name = self.data.get("name") or self.code
        self.reviewed = self.data.get("status") == "reviewed"
        self.draft_entries = set(self.data.get("draft_entries") or [])

    def get(self, *path: str) -> Text:
        """The entry at `path` (e.g. "questions", "dr.wages"), or the English one marked as a draft."""
        value = _walk(self.data, path)
        if value in (None, "", [], {}):
            return Text(_walk(self.reference, path) or "", REFERENCE_LANGUAGE, "ltr", True)
        # draft_entries name a section ("questions"), an entry ("questions.dr.wages") or a part of one.
        prefixes = {".".join(path[:n]) for n in range(1, len(path) + 1)}
        draft = not self.reviewed or bool(prefixes & self.draft_entries)
        return Text(value, self.code, self.dir, draft)

    def theme(self, theme_id: str) -> dict[str, Text]:
        """The title and intro of a theme (the reference language's where this one lacks them)."""
        reference = next(t for t in themes() if t.get("id") == theme_id)
        own = next((t for t in self.data.get("themes") or [] if t.get("id") == theme_id), {})
        texts = {}
        for key in ("title", "intro"):
            if own.get(key):
                marked = {f"themes.{theme_id}", f"themes.{theme_id}.{key}"} & self.draft_entries
                texts[key] = Text(own[key], self.code, self.dir, not self.reviewed or bool(marked))
            else:
                texts[key] = Text(reference.get(key) or "", REFERENCE_LANGUAGE, "ltr", True)
        return texts


def _walk(data: Any, path: Iterable[str]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


@dataclass(frozen=True)
class Bilingual:
    """The same entry for the screener and for the person. `same` when both read one language."""

    screener: Text
    person: Text
    untranslated: Text | None = None  # the person's language's name, when the entry is not translated yet

    @property
    def same(self) -> bool:
        return self.screener.lang == self.person.lang

    def split(self) -> tuple[Bilingual, Bilingual]:
        """(the first paragraph, the rest): a question and its follow-ups."""
        heads = [Text(t.items[:1], t.lang, t.dir, t.draft) for t in (self.screener, self.person)]
        tails = [Text(t.items[1:], t.lang, t.dir, False) for t in (self.screener, self.person)]
        return Bilingual(*heads, self.untranslated), Bilingual(*tails)  # one note per question is enough


def bilingual(screener: InterviewTexts, person: InterviewTexts, *path: str) -> Bilingual:
    pair = Bilingual(screener.get(*path), person.get(*path))
    if pair.person.lang != person.code:
        return Bilingual(pair.screener, pair.person, Text(person.name, person.code, person.dir, False))
    return pair


def texts_for(screening: Screening, ui_language: str) -> tuple[InterviewTexts, InterviewTexts]:
    """(screener's texts, person's texts) for a screening; the screener's default to the UI language."""
    screener = InterviewTexts(screening.screener_language or ui_language)
    person = InterviewTexts(screening.interview_language or screener.code)
    return screener, person


def language_choices() -> list[tuple[str, str]]:
    return [
        (code, str(_language(code).get("name") or code)) for code in interview_content.available_languages()
    ]


def result_json(instrument: Instrument, result: Result) -> dict[str, Any]:
    """One engine result as `lantern screen` prints it (less the request's id)."""
    record = result_record(instrument.id, result)
    record["dimensions"] = dict(record["dimensions"])  # stored as JSON: a plain dict
    return record
