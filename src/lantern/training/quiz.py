"""Quizzes: drawing an attempt's questions in a shuffled order, checking a submission against them, scoring.

A question counts as right when exactly its correct options are chosen (for multiple choice: all of the
correct ones and none of the others). The score is the percentage of questions right; passing means
reaching the module's pass mark.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .content import Question

QUESTIONS_PER_ATTEMPT = 10


class TamperedSubmission(ValueError):
    """The submission does not match its attempt (another module, other questions or options)."""


@dataclass(frozen=True)
class Marked:
    question: Question
    chosen: tuple[str, ...]
    right: bool


def draw(bank: Mapping[str, Question], rng: random.Random | None = None) -> list[dict[str, Any]]:
    """Up to QUESTIONS_PER_ATTEMPT questions of the bank, each with its options, all in a random order."""
    rng = rng or random.Random(secrets.randbits(64))  # noqa: S311 (order, not a secret)
    ids = list(bank)
    rng.shuffle(ids)
    layout = []
    for question_id in ids[:QUESTIONS_PER_ATTEMPT]:
        options = [o.id for o in bank[question_id].options]
        rng.shuffle(options)
        layout.append({"id": question_id, "options": options})
    return layout


def check_submission(layout: Sequence[Mapping[str, Any]], answers: Mapping[str, Sequence[str]]) -> None:
    """Refuse answers to questions or options that the attempt did not show."""
    shown = {entry["id"]: set(entry["options"]) for entry in layout}
    extra = set(answers) - set(shown)
    if extra:
        raise TamperedSubmission(f"answers to questions not in this attempt: {sorted(extra)}")
    for question_id, chosen in answers.items():
        if not set(chosen) <= shown[question_id]:
            raise TamperedSubmission(f"options not shown for {question_id}")


def mark(
    bank: Mapping[str, Question], layout: Sequence[Mapping[str, Any]], answers: Mapping[str, Sequence[str]]
) -> list[Marked]:
    """Each question of the attempt, in the order shown, with what was chosen and whether it is right."""
    check_submission(layout, answers)
    marked = []
    for entry in layout:
        question = bank[entry["id"]]
        chosen = tuple(answers.get(question.id, ()))
        marked.append(
            Marked(question=question, chosen=chosen, right=frozenset(chosen) == question.correct_ids)
        )
    return marked


def percent_right(marked: Sequence[Marked]) -> int:
    """The share of questions answered right, in whole percent, rounded down (80% needs a full 80)."""
    if not marked:
        return 0
    return sum(m.right for m in marked) * 100 // len(marked)


def passes(percent: int, pass_mark: int) -> bool:
    return percent >= pass_mark
