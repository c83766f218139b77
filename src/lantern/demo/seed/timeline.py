"""A seeded case and its way through the NRM stages, with the competent authority's decisions."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from faker import Faker

from lantern.accounts.models import Organisation, User
from lantern.cases.models import Case, CaseEvent, Decision, Outcome, RiskLevel, Sex, new_reference
from lantern.cases.procedure import deadlines, workflow

from .data import (
    CITIZENSHIPS,
    DECISION_REASONS,
    FORMS,
    LANGUAGES,
    LOCALES,
    NEGATIVE_DECISION,
    NEGATIVE_REASONS,
)
from .rows import Batch
from .world import World


def main_track(profile) -> list:  # type: ignore[no-untyped-def]
    return [s for s in profile.stages if s.track == "main"]


@dataclass(frozen=True)
class Step:
    """A stage the case entered, when, and how (`by` of the profile's transition; "" for the first stage)."""

    stage: Any
    on: dt.date
    by: str = ""
    outcome: str | None = None


def lawful_steps(profile: Any, path: list, can_decide: bool) -> list[Step]:  # type: ignore[type-arg]
    """The planned path as far as the NRM workflow allows each step — `workflow.check_transition`, the rule
    `refer_to_nrm`, `advance_stage` and `record_decision` apply: the step exists, is taken that way, and not
    before a minimum period has run. A refused step ends the path there (the case waits at that stage)."""
    first, entered_on = path[0]
    steps = [Step(first, entered_on)]
    entered = {first.id: entered_on}
    for stage, on in path[1:]:
        source = steps[-1].stage.id
        ways = [t for t in workflow.allowed_transitions(profile, source) if t.target == stage.id]
        if not ways or (ways[0].by == "decision" and not can_decide):
            break
        way = ways[0]
        try:
            workflow.check_transition(
                profile, source, stage.id, by=way.by, outcome=way.outcome, on=on, entered=entered
            )
        except workflow.TransitionError:
            break
        steps.append(Step(stage, on, way.by, way.outcome))
        entered[stage.id] = on
    return steps


def negative_turn(profile: Any, path: list, rng: random.Random, today: dt.date) -> list:  # type: ignore[type-arg]
    """For some cases, the first decision passed was negative: the case left the main track there (to the
    negative stage, and sometimes on to the appeal or reconsideration, awaiting its decision)."""
    for index, (stage, _on) in enumerate(path[:-1]):
        if not stage.is_decision:
            continue
        if rng.random() >= NEGATIVE_DECISION:
            return path
        turn = [t.target for t in profile.transitions if t.source == stage.id and t.outcome == "negative"]
        if not turn:
            return path
        negative = profile.stage(turn[0])
        day = path[index + 1][1]
        turned = [*path[: index + 1], (negative, day)]
        appeal = [t.target for t in profile.transitions if t.source == negative.id and t.by != "decision"]
        if appeal and rng.random() < 0.5:
            turned.append((profile.stage(appeal[0]), min(today, day + dt.timedelta(days=rng.randint(5, 30)))))
        return turned
    return path


def timeline_along(batch: Batch, case: Case, steps: list[Step], world: World, rng: random.Random) -> None:
    """The timeline along the stages passed, as the services write it: opened (`create_case`), referred
    (`refer_to_nrm`), stage steps (`advance_stage`), and the authority's decisions (`record_decision`)."""
    previous = ""
    for step in steps:
        stage = step.stage.id
        if step.by == "decision":
            decided = case.nrm_profile.stage(previous)
            outcome = Outcome(step.outcome)
            decision = Decision(
                case=case,
                stage=decided.id,
                outcome=outcome,
                decided_on=step.on,
                reasons=rng.choice(DECISION_REASONS if outcome == Outcome.POSITIVE else NEGATIVE_REASONS),
                is_appeal=decided.track == "appeal",
                decided_by=world.decider,
            )
            batch.decisions.append(decision)
            batch.event(
                case,
                CaseEvent.Kind.DECISION,
                step.on,
                world.decider,
                lambda d=decision, s=decided.id: {"decision": d.pk, "stage": s, "outcome": str(d.outcome)},
                from_stage=previous,
                to_stage=stage,
            )
        elif step.by == "referral":
            authority = case.referred_to_id
            detail = {"authority": authority}
            batch.event(
                case, CaseEvent.Kind.REFERRED, step.on, case.created_by, lambda d=detail: d, previous, stage
            )
        elif previous:
            detail = {"by": "case_worker" if step.by == "case_worker" else "authority"}
            actor = case.created_by if step.by == "case_worker" else world.decider
            batch.event(
                case, CaseEvent.Kind.STAGE_CHANGED, step.on, actor, lambda d=detail: d, previous, stage
            )
        else:
            batch.event(case, CaseEvent.Kind.CREATED, step.on, case.created_by, to_stage=stage)
        previous = stage


def new_case(
    rng: random.Random,
    fakers: dict[str, Faker],
    owners: list[Organisation],
    workers: dict[int, User],
    authority: Organisation | None,
    decider: User | None,
    profiles: Any,
    today: dt.date,
) -> tuple[Case, list[Step]]:
    forms, weights = zip(*FORMS, strict=True)
    org = rng.choice(owners)
    profile = profiles.for_country(org.country.code)
    locale = rng.choice(LOCALES)
    fake = fakers[locale]
    sex = rng.choices([Sex.FEMALE, Sex.MALE, Sex.UNKNOWN], [62, 36, 2])[0]
    child = rng.random() < 0.18
    age_years = rng.randint(12, 17) if child else rng.randint(18, 55)
    identified = today - dt.timedelta(days=rng.randint(0, 3 * 365))
    born = identified - dt.timedelta(days=age_years * 365 + rng.randint(0, 364))
    citizenship = rng.choice(CITIZENSHIPS)
    stages = main_track(profile)
    reached = rng.choices(range(len(stages)), [30, 18, 12, 14, 10, 10, 3, 3][: len(stages)])[0]
    path, day = [], identified
    for stage in stages[: reached + 1]:
        path.append((stage, day))
        day = min(today, day + dt.timedelta(days=(stage.min_days or rng.randint(1, 20))))
    steps = lawful_steps(profile, negative_turn(profile, path, rng, today), can_decide=decider is not None)
    path = [(step.stage, step.on) for step in steps]
    referred = [step.on for step in steps if step.by == "referral"]
    current, entered = path[-1]
    known_dob = rng.random() < 0.7
    given = fake.first_name_female() if sex == Sex.FEMALE else fake.first_name_male()
    case = Case(
        organisation=org,
        reference=new_reference(),
        profile=profile.id,
        stage=current.id,
        stage_entered_on=entered,
        created_by=workers[org.pk],
        case_worker=workers[org.pk],
        given_names=given,
        family_name=fake.last_name(),
        date_of_birth=born.isoformat() if known_dob else "",
        estimated_age="" if known_dob else str(age_years),
        appears_minor=child and not known_dob,
        sex=sex,
        citizenships=[citizenship],
        languages=[LANGUAGES[citizenship]],
        interpreter_needed=LANGUAGES[citizenship] not in ("en", "el", "fr"),
        exploitation_forms=[rng.choices(forms, weights)[0]],
        recruitment_countries=[citizenship],
        exploitation_countries=[org.country.code],
        identified_on=identified,
        identified_by=org.type,
        immediate_danger=rng.random() < 0.03,
        risk_level=rng.choice(list(RiskLevel)),
        closed_on=entered if current.id == "closed" else None,
        referred_to=authority if referred else None,
        referred_on=referred[0] if referred else None,
    )
    case.treated_as_child = case.child_on(today)
    state = deadlines.CaseState(profile, current.id)
    entries = [deadlines.StageEntry(s.id, on) for s, on in path]
    items = deadlines.due_items(state, entries, today)
    # The dates `cases.services.update_deadlines` stores.
    case.target_due_on, case.period_ends_on = deadlines.stored_dates(items)
    return case, steps
