"""The stage machine: every step not in the profile is refused, with a message that says what to do."""

from __future__ import annotations

import datetime as dt

import pytest

from lantern.cases.procedure.profiles import load_profiles
from lantern.cases.procedure.workflow import TransitionError, allowed_transitions, check_transition, opens_on

PROFILES = sorted(load_profiles().profiles)
WAYS = [
    ("referral", None),
    ("authority", None),
    ("case_worker", None),
    ("decision", "positive"),
    ("decision", "negative"),
]


@pytest.mark.parametrize("profile_id", PROFILES)
def test_every_illegal_transition_is_refused(profile_id: str) -> None:
    profile = load_profiles().get(profile_id)
    for source in profile.stages:
        allowed = {(t.target, t.by, t.outcome) for t in allowed_transitions(profile, source.id)}
        for target in profile.stages:
            for by, outcome in WAYS:
                if (target.id, by, outcome) in allowed:
                    assert check_transition(profile, source.id, target.id, by=by, outcome=outcome)
                else:
                    with pytest.raises(TransitionError):
                        check_transition(profile, source.id, target.id, by=by, outcome=outcome)


@pytest.mark.parametrize("profile_id", PROFILES)
def test_closed_is_final(profile_id: str) -> None:
    profile = load_profiles().get(profile_id)
    assert allowed_transitions(profile, "closed") == []
    with pytest.raises(TransitionError, match="closed"):
        check_transition(profile, "closed", "identified", by="case_worker")


def test_the_uk_path_from_identification_to_move_on_support() -> None:
    profile = load_profiles().get("uk-style")
    path = [
        ("identified", "referred", "referral", None),
        ("referred", "reasonable_grounds", "authority", None),
        ("reasonable_grounds", "recovery_period", "decision", "positive"),
        ("recovery_period", "conclusive_grounds", "authority", None),
        ("conclusive_grounds", "move_on", "decision", "positive"),
        ("move_on", "closed", "case_worker", None),
    ]
    for source, target, by, outcome in path:
        check_transition(profile, source, target, by=by, outcome=outcome)


def test_a_negative_decision_can_be_reconsidered() -> None:
    profile = load_profiles().get("uk-style")
    check_transition(
        profile, "reasonable_grounds", "reasonable_grounds_negative", by="decision", outcome="negative"
    )
    check_transition(
        profile, "reasonable_grounds_negative", "reasonable_grounds_reconsideration", by="case_worker"
    )
    check_transition(
        profile, "reasonable_grounds_reconsideration", "recovery_period", by="decision", outcome="positive"
    )


def test_skipping_the_decision_says_to_record_one() -> None:
    profile = load_profiles().get("coe-generic")
    with pytest.raises(TransitionError, match="record a positive decision") as caught:
        check_transition(profile, "reasonable_grounds", "recovery_reflection", by="authority")
    assert caught.value.code == "wrong_way"


def test_an_unlisted_step_names_the_possible_next_stages() -> None:
    profile = load_profiles().get("coe-generic")
    with pytest.raises(TransitionError, match="Possible next stages: .*Referred to the NRM") as caught:
        check_transition(profile, "identified", "support", by="case_worker")
    assert caught.value.code == "not_allowed"


def test_the_recovery_period_cannot_be_left_early_except_by_closing() -> None:
    profile = load_profiles().get("coe-generic")
    start = dt.date(2025, 3, 1)
    entered = {"recovery_reflection": start}
    with pytest.raises(TransitionError, match="ends on 2025-03-31") as caught:
        check_transition(
            profile,
            "recovery_reflection",
            "formal_identification",
            by="authority",
            on=dt.date(2025, 3, 30),
            entered=entered,
        )
    assert caught.value.code == "period_running"
    check_transition(
        profile,
        "recovery_reflection",
        "formal_identification",
        by="authority",
        on=dt.date(2025, 3, 31),
        entered=entered,
    )
    check_transition(
        profile, "recovery_reflection", "closed", by="case_worker", on=dt.date(2025, 3, 2), entered=entered
    )


def test_uk_conclusive_grounds_not_before_the_recovery_period_ends() -> None:
    profile = load_profiles().get("uk-style")
    entered = {"recovery_period": dt.date(2025, 1, 10), "conclusive_grounds": dt.date(2025, 1, 10)}
    with pytest.raises(TransitionError, match="cannot be made before") as caught:
        check_transition(
            profile,
            "conclusive_grounds",
            "move_on",
            by="decision",
            outcome="positive",
            on=dt.date(2025, 2, 8),
            entered=entered,
        )
    assert caught.value.code == "not_before_period_end"
    check_transition(
        profile,
        "conclusive_grounds",
        "move_on",
        by="decision",
        outcome="positive",
        on=dt.date(2025, 2, 9),
        entered=entered,
    )


def test_a_step_dated_before_the_stage_began_is_refused() -> None:
    profile = load_profiles().get("greece-style")
    with pytest.raises(TransitionError, match="before the case entered"):
        check_transition(
            profile,
            "identified",
            "referred",
            by="referral",
            on=dt.date(2025, 1, 1),
            entered={"identified": dt.date(2025, 2, 1)},
        )


def test_unknown_stage_is_refused() -> None:
    with pytest.raises(TransitionError, match="no stage 'limbo'"):
        check_transition(load_profiles().get("coe-generic"), "limbo", "closed", by="case_worker")


def test_opens_on_gives_the_first_day_the_time_rules_allow_a_step() -> None:
    profile = load_profiles().get("uk-style")
    entered = {"recovery_period": dt.date(2025, 1, 10), "conclusive_grounds": dt.date(2025, 1, 12)}
    steps = {(t.source, t.target): t for t in allowed_transitions(profile, "recovery_period")}
    assert opens_on(profile, steps["recovery_period", "conclusive_grounds"], entered) == dt.date(2025, 2, 9)
    assert opens_on(profile, steps["recovery_period", "closed"], entered) is None
    decide = next(t for t in allowed_transitions(profile, "conclusive_grounds") if t.target == "move_on")
    assert opens_on(profile, decide, entered) == dt.date(2025, 2, 9)
