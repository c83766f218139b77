"""The NRM stage machine of a case: which steps a profile allows from a stage, and why a step is refused.

Pure Python (no Django). The steps are the profile's `transitions` (see `data/nrm-profiles.yaml`), plus the
withdrawal step to "closed" from any open stage where the profile allows it. Time rules come from the profile
too: a stage with `min_days` cannot be left for a later stage before its period ends, and a decision stage
with `not_before_stage_end` cannot be decided before that other stage's period ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from .deadlines import stage_period_ends
from .profiles import CLOSED, Profile, Transition

WITHDRAWAL = "case_worker"  # who closes a case on withdrawal


class TransitionError(ValueError):
    """A step the profile does not allow; the message says what is allowed instead."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


def allowed_transitions(profile: Profile, state: str) -> list[Transition]:
    """Every step the profile allows from `state`, decisions and referral included, in profile order."""
    stage = profile.stage(state)
    if stage.id == CLOSED:
        return []
    steps = [t for t in profile.transitions if t.source == state]
    if profile.close_from_any_stage and not any(t.target == CLOSED and t.by == WITHDRAWAL for t in steps):
        steps.append(Transition(source=state, target=CLOSED, by=WITHDRAWAL))
    return steps


def manual_transitions(profile: Profile, state: str, by: str) -> list[Transition]:
    """The steps a person in capacity `by` ("case_worker" or "authority") takes by changing the stage."""
    return [t for t in allowed_transitions(profile, state) if t.by == by]


def _label(profile: Profile, stage_id: str) -> str:
    return profile.stage(stage_id).label if profile.has_stage(stage_id) else stage_id


def check_transition(
    profile: Profile,
    source: str,
    target: str,
    *,
    by: str,
    outcome: str | None = None,
    on: dt.date | None = None,
    entered: Mapping[str, dt.date] | None = None,
) -> Transition:
    """The step `source` → `target` taken by `by` (with `outcome` for decisions), or raise TransitionError.

    `on` is the date of the step; `entered` maps stage ids to the date the case last entered them (for the
    profile's time rules). Without them the time rules are not checked.
    """
    for stage_id in (source, target):
        if not profile.has_stage(stage_id):
            raise TransitionError(
                f"The profile {profile.name!r} has no stage {stage_id!r}.", code="unknown_stage"
            )
    if source == CLOSED:
        raise TransitionError("The case is closed: no further step is possible.", code="closed")
    steps = allowed_transitions(profile, source)
    to_target = [t for t in steps if t.target == target]
    if not to_target:
        allowed = ", ".join(sorted({_label(profile, t.target) for t in steps})) or "none"
        raise TransitionError(
            f"A case at “{_label(profile, source)}” cannot move to “{_label(profile, target)}”. "
            f"Possible next stages: {allowed}.",
            code="not_allowed",
        )
    match = [t for t in to_target if t.by == by and t.outcome == outcome]
    if not match:
        how = to_target[0]
        if how.by == "decision":
            hint = f"record a {how.outcome} decision on “{_label(profile, source)}”"
        elif how.by == "referral":
            hint = "refer the case to the NRM (this checks consent)"
        elif how.by == "authority":
            hint = "the NRM competent authority takes this step"
        else:
            hint = "the case worker of the owning organisation takes this step"
        raise TransitionError(
            f"“{_label(profile, source)}” → “{_label(profile, target)}” is not taken this way: {hint}.",
            code="wrong_way",
        )
    step = match[0]
    if on is not None and entered is not None:
        _check_time_rules(profile, step, on, entered)
    return step


def opens_on(profile: Profile, step: Transition, entered: Mapping[str, dt.date]) -> dt.date | None:
    """The first day the profile's time rules allow `step` (a minimum period of its stage, or the end of the
    period a decision must wait for), or None when no period holds it back."""
    source = profile.stage(step.source)
    dates = []
    started = entered.get(source.id)
    if source.min_days and started is not None and step.target != CLOSED:
        dates.append(stage_period_ends(started, source.min_days))
    if step.by == "decision" and source.not_before_stage_end:
        period = profile.stage(source.not_before_stage_end)
        period_start = entered.get(period.id)
        if period_start is not None and period.min_days:
            dates.append(stage_period_ends(period_start, period.min_days))
    return max(dates, default=None)


def _check_time_rules(
    profile: Profile, step: Transition, on: dt.date, entered: Mapping[str, dt.date]
) -> None:
    source = profile.stage(step.source)
    started = entered.get(source.id)
    if started is not None and on < started:
        raise TransitionError(
            f"The date ({on.isoformat()}) is before the case entered “{source.label}” "
            f"({started.isoformat()}).",
            code="before_stage",
        )
    if source.min_days and started is not None and step.target != CLOSED:
        ends = stage_period_ends(started, source.min_days)
        if on < ends:
            raise TransitionError(
                f"“{source.label}” lasts at least {source.min_days} days: it ends on {ends.isoformat()}. "
                "The case can only be closed (if the person withdraws) before then.",
                code="period_running",
            )
    if step.by == "decision" and source.not_before_stage_end:
        period = profile.stage(source.not_before_stage_end)
        period_start = entered.get(period.id)
        if period_start is not None and period.min_days:
            ends = stage_period_ends(period_start, period.min_days)
            if on < ends:
                raise TransitionError(
                    f"The decision on “{source.label}” cannot be made before “{period.label}” ends "
                    f"({ends.isoformat()}).",
                    code="not_before_period_end",
                )
