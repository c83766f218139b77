"""The completed screening a seeded case was opened from, scored by the real engine."""

from __future__ import annotations

import random
from typing import Any

from lantern.cases.models import Case

from .data import PRESUMED_VICTIM, SCREENED_AS
from .rows import at
from .world import World


def screening_of(case: Case, form: str, world: World, rng: random.Random) -> Any:
    """The completed screening that led to the case: answers for its population and form, scored."""
    from lantern.screening.models import AgeGroup, Answer, GenderPreference, Screening, Status
    from lantern.screening.models import Consent as ScreeningConsent

    child = case.treated_as_child
    population = "child" if child else "adult"
    instrument = world.catalogue.instrument_for(population, SCREENED_AS.get(form, "labour"))
    presumed = rng.random() < PRESUMED_VICTIM
    answers: dict[str, str] = {}
    for indicators in instrument.dimensions.values():
        ids = sorted(indicators)
        strong = [i for i in ids if indicators[i] == "strong"]
        if presumed or rng.random() < 0.35:  # this dimension's signs were seen
            seen = {rng.choice(strong)} if strong and rng.random() < 0.8 else set()
            seen.update(rng.sample(ids, min(len(ids), rng.randint(1, 2))))
        else:
            seen = set()
        for indicator in rng.sample(ids, min(len(ids), rng.randint(2, 4))):
            answers[indicator] = rng.choices([Answer.NO, Answer.UNSURE, Answer.DECLINED], [80, 12, 8])[0]
        answers.update(dict.fromkeys(seen, Answer.YES))
    answers = {i: str(answers[i]) for i in sorted(answers)}
    result = world.score(population=population, answers=answers)
    result["scored_at"] = at(case.identified_on, 60).isoformat(timespec="seconds")
    interviewed = at(case.identified_on, 0)
    age_group = (
        (AgeGroup.UNDER_18 if case.date_of_birth else AgeGroup.APPEARS_MINOR) if child else AgeGroup.ADULT
    )
    return Screening(
        organisation_id=case.organisation_id,
        created_by=case.created_by,
        status=Status.COMPLETED,
        case_id=case.pk,
        setting_recorded_at=interviewed,
        interview_language=case.languages[0],
        screener_language="el" if rng.random() < 0.6 else "en",
        interpreter_used=case.interpreter_needed,
        gender_preference=rng.choice([GenderPreference.NO_PREFERENCE, GenderPreference.MET]),
        private_space=True,
        child_friendly=child,
        consent=ScreeningConsent.GIVEN,
        consent_at=interviewed,
        age_group=age_group,
        answers=answers,
        result=result,
        outcome=result["outcome"],
        completed_at=at(case.identified_on, 60),
    )
