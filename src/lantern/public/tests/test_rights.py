"""The rights pages take their periods and steps from the NRM country profiles."""

from __future__ import annotations

from lantern.cases.procedure.profiles import load_profiles
from lantern.public.rights import procedure_facts, profile_for_country


def _facts(country: str) -> dict[str, dict[str, int]]:
    return {f.key: f.params for f in procedure_facts(profile_for_country(load_profiles(), country))}


def test_other_countries_get_the_council_of_europe_minimum_of_30_days() -> None:
    facts = _facts("other")
    assert facts["recovery_days"] == {"days": 30}
    assert "decision_target" not in facts
    assert "anonymous_notification" not in facts
    assert {"adult_consent", "child_no_consent", "appeal"} <= set(facts)


def test_the_uk_profile_gives_the_5_working_day_target_and_the_duty_to_notify() -> None:
    facts = _facts("GB")
    assert facts["recovery_days"] == {"days": 30}
    assert facts["decision_target"] == {"days": 5}
    assert {"after_recovery", "anonymous_notification", "appeal"} <= set(facts)
    assert "to_be_confirmed" not in facts


def test_the_greek_profile_gives_90_days_marked_as_to_be_confirmed() -> None:
    facts = _facts("GR")
    assert facts["recovery_days"] == {"days": 90}
    assert "to_be_confirmed" in facts


def test_the_greek_page_says_a_child_may_get_two_more_months() -> None:
    # Law 5038/2023 arts 135-142: extendable by two months for a minor (issue #14, Medium item 5).
    assert _facts("GR")["child_extension"] == {"days": 60}
    assert "child_extension" not in _facts("GB") and "child_extension" not in _facts("other")
