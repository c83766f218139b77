"""Grading a practice case: the trainee's observed indicators and outcome against the expert answer.

Both selections are scored by the screening app's own `score_answers` — the function the web interview and
`lantern screen` use — so the trainee practises on the real rules. Feedback is per dimension: indicators
both chose (hits), the expert saw and the trainee did not (misses), and the trainee chose without support in
the story (false alarms), and whether the dimension came out positive for each.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lantern.screening import selectors as screening_selectors
from lantern.screening.services import score_answers

from .content import PracticeCase


@dataclass(frozen=True)
class DimensionFeedback:
    dimension: str
    hits: tuple[str, ...]
    misses: tuple[str, ...]
    false_alarms: tuple[str, ...]
    trainee_positive: bool
    expert_positive: bool
    note: str

    @property
    def agrees(self) -> bool:
        return not self.misses and not self.false_alarms


@dataclass(frozen=True)
class Grade:
    case: PracticeCase
    trainee_outcome: str
    engine_outcome: str  # what the engine makes of the trainee's indicators
    expert_outcome: str
    dimensions: tuple[DimensionFeedback, ...]

    @property
    def outcome_right(self) -> bool:
        return self.trainee_outcome == self.expert_outcome

    @property
    def indicators_right(self) -> bool:
        return all(d.agrees for d in self.dimensions)


def indicator_ids_for(case: PracticeCase) -> frozenset[str]:
    """The indicators a trainee may choose from: those of the case's population's instruments."""
    return screening_selectors.population_indicator_ids(case.population)


def _score(case: PracticeCase, observed: Iterable[str]) -> dict:
    return score_answers(population=case.population, answers=dict.fromkeys(observed, "yes"))


def _positive_dimensions(scored: dict) -> set[str]:
    return {
        dimension
        for instrument in scored["instruments"].values()
        for dimension, positive in instrument["dimensions"].items()
        if positive
    }


def grade(case: PracticeCase, observed: Iterable[str], outcome: str) -> Grade:
    """Compare the trainee's answer with the expert's, through the screening engine."""
    chosen = frozenset(observed) & indicator_ids_for(case)
    expert = frozenset(case.expert_indicators)
    trainee_scored = _score(case, chosen)
    expert_scored = _score(case, expert)
    trainee_positive = _positive_dimensions(trainee_scored)
    expert_positive = _positive_dimensions(expert_scored)
    catalogue = screening_selectors.catalogue()
    per_dimension = []
    for dimension in catalogue.dimensions:
        ids = {
            i
            for instrument in catalogue.instruments.values()
            if instrument.population == case.population
            for i in instrument.dimensions.get(dimension, {})
        }
        per_dimension.append(
            DimensionFeedback(
                dimension=dimension,
                hits=tuple(sorted(chosen & expert & ids)),
                misses=tuple(sorted((expert - chosen) & ids)),
                false_alarms=tuple(sorted((chosen - expert) & ids)),
                trainee_positive=dimension in trainee_positive,
                expert_positive=dimension in expert_positive,
                note=case.notes.get(dimension, ""),
            )
        )
    return Grade(
        case=case,
        trainee_outcome=outcome,
        engine_outcome=trainee_scored["outcome"],
        expert_outcome=expert_scored["outcome"],
        dimensions=tuple(per_dimension),
    )
