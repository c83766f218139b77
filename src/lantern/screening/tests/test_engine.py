"""The scoring engine against the ILO/Delphi rules, written out again here as an oracle from the rule text.

Plain pytest and Hypothesis, no Django. Observations are generated from the real instruments of the packaged
catalogue; the oracle below does not read the catalogue's `rules:` section, so a mistake in how the engine
interprets that section shows up as a disagreement.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from lantern.screening import engine
from lantern.screening.catalogue import DEFAULT_PATH, Instrument, load_catalogue
from lantern.screening.engine import UnknownIndicator, score

CATALOGUE = load_catalogue()
INSTRUMENTS = list(CATALOGUE.instruments.values())
STRENGTHS = ("strong", "medium", "weak")
RECRUITMENT = {"deceptive_recruitment", "coercive_recruitment", "recruitment_abuse_of_vulnerability"}
EXPLOITATION = {"exploitative_conditions"}
DESTINATION = {"coercion_at_destination", "abuse_of_vulnerability_at_destination"}


# The oracle: the rule text of the ILO/EC operational indicators, nothing else -------------------------------


def oracle_dimension_positive(strong: int, medium: int, weak: int) -> bool:
    """At least 2 strong; or 1 strong and 1 medium or weak; or 3 medium; or 2 medium and 1 weak."""
    return strong >= 2 or (strong >= 1 and medium + weak >= 1) or medium >= 3 or (medium >= 2 and weak >= 1)


def oracle_trafficking(population: str, positive: set[str]) -> bool:
    """Adults: recruitment + exploitation + destination; children (no means needed): the first two."""
    act_and_purpose = bool(positive & RECRUITMENT) and bool(positive & EXPLOITATION)
    if population == "child":
        return act_and_purpose
    return act_and_purpose and bool(positive & DESTINATION)


def oracle_fewest_more(counts: dict[str, int], unobserved: dict[str, int]) -> int | None:
    """The fewest further indicators of the dimension that make it positive, by trying every addition.

    No rule asks for more than 3 of one strength, so adding more than 3 of one never helps.
    """
    best = None
    for strong in range(min(unobserved["strong"], 3) + 1):
        for medium in range(min(unobserved["medium"], 3) + 1):
            for weak in range(min(unobserved["weak"], 3) + 1):
                if oracle_dimension_positive(
                    counts["strong"] + strong, counts["medium"] + medium, counts["weak"] + weak
                ):
                    added = strong + medium + weak
                    best = added if best is None else min(best, added)
    return best


def counts_in(instrument: Instrument, dimension: str, observed: set[str]) -> dict[str, int]:
    counts = dict.fromkeys(STRENGTHS, 0)
    for indicator, strength in instrument.dimensions[dimension].items():
        if indicator in observed:
            counts[strength] += 1
    return counts


def pool(instrument: Instrument, dimension: str, strength: str) -> list[str]:
    return [i for i, s in instrument.dimensions[dimension].items() if s == strength]


# Strategies -------------------------------------------------------------------------------------------------


@st.composite
def observations(draw: Any, instruments: list[Instrument] = INSTRUMENTS) -> tuple[Instrument, list[str]]:
    """An instrument and, in each dimension, 0-4 indicators of each strength (duplicates sometimes)."""
    instrument = draw(st.sampled_from(instruments))
    observed = []
    for dimension in instrument.dimensions:
        for strength in STRENGTHS:
            candidates = pool(instrument, dimension, strength)
            if candidates:
                observed += draw(st.lists(st.sampled_from(candidates), unique=True, max_size=4))
    if observed and draw(st.booleans()):
        observed.append(draw(st.sampled_from(observed)))  # a repeated id counts once
    return instrument, draw(st.permutations(observed))


@st.composite
def any_subset(draw: Any) -> tuple[Instrument, list[str]]:
    """An instrument and any subset of its indicators."""
    instrument = draw(st.sampled_from(INSTRUMENTS))
    return instrument, draw(st.lists(st.sampled_from(sorted(instrument.indicator_ids)), unique=True))


def positives(instrument: Instrument, observed: list[str]) -> set[str]:
    return {d for d, positive in score(instrument, observed).dimensions.items() if positive}


# (a) The combination rule and its boundaries ----------------------------------------------------------------


@given(observations())
def test_a_dimension_is_positive_exactly_when_the_rule_text_says_so(
    case: tuple[Instrument, list[str]],
) -> None:
    instrument, observed = case
    result = score(instrument, observed)
    for dimension, positive in result.dimensions.items():
        counts = counts_in(instrument, dimension, set(observed))
        assert positive == oracle_dimension_positive(**counts), (dimension, counts)


@given(any_subset())
def test_any_subset_of_indicators_agrees_with_the_rule_text(case: tuple[Instrument, list[str]]) -> None:
    instrument, observed = case
    for dimension, positive in score(instrument, observed).dimensions.items():
        assert positive == oracle_dimension_positive(**counts_in(instrument, dimension, set(observed)))


BOUNDARIES = [
    # (strong, medium, weak), positive
    pytest.param((1, 0, 0), False, id="one strong alone is not enough"),
    pytest.param((2, 0, 0), True, id="two strong"),
    pytest.param((2, 1, 1), True, id="two strong and anything"),
    pytest.param((1, 1, 0), True, id="one strong and one medium"),
    pytest.param((1, 0, 1), True, id="one strong and one weak"),
    pytest.param((0, 3, 0), True, id="three medium"),
    pytest.param((0, 4, 0), True, id="four medium"),
    pytest.param((0, 2, 0), False, id="two medium are not enough"),
    pytest.param((0, 2, 1), True, id="two medium and one weak"),
    pytest.param((0, 2, 2), True, id="two medium and two weak"),
    pytest.param((0, 1, 1), False, id="one medium and one weak are not enough"),
    pytest.param((0, 1, 2), False, id="one medium and two weak are not enough"),
    pytest.param((0, 0, 3), False, id="three weak are not enough"),
]


def places_with(counts: tuple[int, int, int]) -> list[tuple[Instrument, str]]:
    """Every (instrument, dimension) that has enough indicators of each strength for these counts."""
    return [
        (instrument, dimension)
        for instrument in INSTRUMENTS
        for dimension in instrument.dimensions
        if all(len(pool(instrument, dimension, s)) >= n for s, n in zip(STRENGTHS, counts, strict=True))
    ]


@pytest.mark.parametrize(("counts", "positive"), BOUNDARIES)
@given(data=st.data())
def test_boundaries_of_the_combination_rule(counts: tuple[int, int, int], positive: bool, data: Any) -> None:
    places = places_with(counts)
    assert places, f"no instrument has a dimension with {counts} indicators to test"
    instrument, dimension = data.draw(st.sampled_from(places))
    observed = []
    for strength, n in zip(STRENGTHS, counts, strict=True):
        observed += data.draw(st.permutations(pool(instrument, dimension, strength)))[:n]
    # Indicators of other dimensions never count towards this one.
    others = sorted(instrument.indicator_ids - set(instrument.dimensions[dimension]))
    noise = data.draw(st.lists(st.sampled_from(others), max_size=10))
    result = score(instrument, observed + noise)
    assert result.dimensions[dimension] is positive
    assert oracle_dimension_positive(*counts) is positive


def test_one_strong_and_two_medium_is_met_by_the_strong_plus_medium_or_weak_combination() -> None:
    instrument = CATALOGUE.instrument("ilo-adult-labour")
    result = score(instrument, ["ex.excessive_hours", "ex.low_no_pay", "ex.bad_living"])
    assert result.explanation()["dimensions"]["exploitative_conditions"]["rule_met"] == {
        "strong": 1,
        "medium_or_weak": 1,
    }


# (b) Monotonicity -------------------------------------------------------------------------------------------


@given(observations(), st.data())
def test_observing_more_never_turns_a_positive_dimension_negative(
    case: tuple[Instrument, list[str]], data: Any
) -> None:
    instrument, observed = case
    more = data.draw(st.lists(st.sampled_from(sorted(instrument.indicator_ids)), max_size=15))
    before = score(instrument, observed)
    after = score(instrument, observed + more)
    assert positives(instrument, observed) <= positives(instrument, observed + more)
    assert after.trafficking or not before.trafficking


# (c) Adults and children ------------------------------------------------------------------------------------


@given(observations())
def test_the_verdict_follows_the_population_rule(case: tuple[Instrument, list[str]]) -> None:
    instrument, observed = case
    result = score(instrument, observed)
    assert result.trafficking == oracle_trafficking(instrument.population, positives(instrument, observed))


@given(observations([i for i in INSTRUMENTS if i.population == "child"]))
def test_a_child_needs_no_destination_dimension(case: tuple[Instrument, list[str]]) -> None:
    instrument, observed = case
    at_destination = {i for d in DESTINATION for i in instrument.dimensions[d]}
    without = [i for i in observed if i not in at_destination]
    assert score(instrument, without).trafficking == score(instrument, observed).trafficking


# Deceptive recruitment (strong + medium), exploitative conditions (strong + medium), nothing at destination.
RECRUITED_AND_EXPLOITED = ["dr.nature_of_job", "dr.wages", "ex.excessive_hours", "ex.low_no_pay"]


def test_recruitment_and_exploitation_make_a_child_a_presumed_victim() -> None:
    result = score(CATALOGUE.instrument("ilo-child-labour"), RECRUITED_AND_EXPLOITED)
    assert not result.dimensions["coercion_at_destination"]
    assert not result.dimensions["abuse_of_vulnerability_at_destination"]
    assert result.trafficking
    assert result.outcome == "presumed-victim"


def test_the_same_indicators_for_an_adult_need_further_assessment() -> None:
    result = score(CATALOGUE.instrument("ilo-adult-labour"), RECRUITED_AND_EXPLOITED)
    assert result.dimensions["deceptive_recruitment"]
    assert result.dimensions["exploitative_conditions"]
    assert not result.trafficking
    assert result.outcome == "further-assessment"


def test_an_adult_with_coercion_at_destination_as_well_is_a_presumed_victim() -> None:
    observed = [*RECRUITED_AND_EXPLOITED, "cd.documents_confiscated", "cd.isolation"]
    result = score(CATALOGUE.instrument("ilo-adult-labour"), observed)
    assert result.trafficking
    assert result.outcome == "presumed-victim"


# (d) Outcomes -----------------------------------------------------------------------------------------------


@given(observations())
def test_no_indicators_exactly_when_nothing_was_observed(case: tuple[Instrument, list[str]]) -> None:
    instrument, observed = case
    result = score(instrument, observed)
    assert (result.outcome == "no-indicators") == (not observed)
    assert (result.outcome == "presumed-victim") == result.trafficking
    assert result.outcome in engine.OUTCOMES


@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=lambda i: i.id)
def test_nothing_observed_gives_no_indicators_and_six_negative_dimensions(instrument: Instrument) -> None:
    result = score(instrument, [])
    assert result.outcome == "no-indicators"
    assert list(result.dimensions) == list(CATALOGUE.dimensions)
    assert not any(result.dimensions.values())


# (e) The explanation ----------------------------------------------------------------------------------------


@given(observations())
def test_the_explanation_names_exactly_the_observed_indicators_of_each_dimension(
    case: tuple[Instrument, list[str]],
) -> None:
    instrument, observed = case
    result = score(instrument, observed)
    explained = result.explanation()["dimensions"]
    assert list(explained) == list(CATALOGUE.dimensions)
    for dimension, indicators in instrument.dimensions.items():
        detail = explained[dimension]
        assert detail["positive"] == result.dimensions[dimension]
        assert set(detail["observed"]) == set(STRENGTHS)
        for strength, ids in detail["observed"].items():
            expected = [i for i, s in indicators.items() if s == strength and i in observed]
            assert ids == expected  # each once, in catalogue order, under its own strength


@given(observations())
def test_a_positive_dimension_names_the_combination_it_meets(case: tuple[Instrument, list[str]]) -> None:
    instrument, observed = case
    for detail in score(instrument, observed).explanation()["dimensions"].values():
        counts = {s: len(ids) for s, ids in detail["observed"].items()}
        if detail["positive"]:
            rule = detail["rule_met"]
            assert rule in [c.as_dict() for c in CATALOGUE.rules.positive_if_any]
            met = {k: sum(counts[s] for s in k.split("_or_")) >= n for k, n in rule.items()}
            assert all(met.values()), (rule, counts)
            assert detail["missing"] is None
            assert detail["missing_counts"] is None
        else:
            assert detail["rule_met"] is None


@given(observations())
def test_a_negative_dimension_says_the_smallest_addition_that_would_make_it_positive(
    case: tuple[Instrument, list[str]],
) -> None:
    instrument, observed = case
    for dimension, detail in score(instrument, observed).explanation()["dimensions"].items():
        if detail["positive"]:
            continue
        counts = counts_in(instrument, dimension, set(observed))
        total = {s: len(pool(instrument, dimension, s)) for s in STRENGTHS}
        unobserved = {s: total[s] - counts[s] for s in STRENGTHS}
        fewest = oracle_fewest_more(counts, unobserved)
        assert fewest is not None  # every ILO/Delphi dimension can become positive
        assert sum(detail["missing_counts"].values()) == fewest, (dimension, counts, detail)
        assert detail["missing"].startswith("needs ")


def test_missing_reads_like_a_sentence() -> None:
    result = score(CATALOGUE.instrument("ilo-adult-labour"), ["ex.excessive_hours"])
    detail = result.explanation()["dimensions"]["exploitative_conditions"]
    assert detail["missing"] == "needs 1 more medium or weak indicator (has 1 strong)"
    assert detail["missing_counts"] == {"medium_or_weak": 1}


def test_a_combination_out_of_reach_is_not_suggested() -> None:
    # Only one strong indicator exists in deceptive recruitment for adults: {strong: 2} cannot be met.
    result = score(CATALOGUE.instrument("ilo-adult-labour"), ["dr.nature_of_job"])
    detail = result.explanation()["dimensions"]["deceptive_recruitment"]
    assert detail["missing_counts"] == {"medium_or_weak": 1}


@given(observations())
def test_the_verdict_part_names_the_requirement_groups_met_and_unmet(
    case: tuple[Instrument, list[str]],
) -> None:
    instrument, observed = case
    result = score(instrument, observed)
    verdict = result.explanation()["verdict"]
    assert verdict["rule"] == f"{instrument.population}_trafficking_requires_all"
    assert verdict["met"] == result.trafficking == all(r["met"] for r in verdict["requirements"])
    for requirement in verdict["requirements"]:
        assert requirement["positive"] == [d for d in requirement["any_of"] if result.dimensions[d]]
        assert requirement["met"] == bool(requirement["positive"])
    expected_groups = 2 if instrument.population == "child" else 3
    assert len(verdict["requirements"]) == expected_groups


@given(observations())
def test_the_explanation_is_plain_json(case: tuple[Instrument, list[str]]) -> None:
    instrument, observed = case
    explanation = score(instrument, observed).explanation()
    assert json.loads(json.dumps(explanation)) == explanation


def test_observed_indicators_whose_strength_is_still_to_verify_are_named() -> None:
    result = score(CATALOGUE.instrument("ilo-child-sexual"), ["dr.education", "dr.wages", "ex.low_no_pay"])
    assert result.explanation()["unverified_strengths"] == ["dr.education"]


def test_each_explanation_is_a_fresh_copy() -> None:
    instrument = CATALOGUE.instrument("ilo-adult-labour")
    first = score(instrument, ["ex.excessive_hours"]).explanation()
    first["dimensions"]["exploitative_conditions"]["missing_counts"]["medium_or_weak"] = 99
    second = score(instrument, ["ex.excessive_hours"]).explanation()
    assert second["dimensions"]["exploitative_conditions"]["missing_counts"] == {"medium_or_weak": 1}


def test_score_does_not_build_the_explanation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(result: engine.Result) -> None:
        raise AssertionError("score() built the explanation")

    monkeypatch.setattr(engine, "_explain", refuse)
    assert (
        score(CATALOGUE.instrument("ilo-adult-labour"), ["dr.nature_of_job"]).outcome == "further-assessment"
    )


# Input checks -----------------------------------------------------------------------------------------------


def test_a_repeated_indicator_counts_once() -> None:
    instrument = CATALOGUE.instrument("ilo-adult-labour")
    assert not score(instrument, ["dr.nature_of_job", "dr.nature_of_job"]).dimensions["deceptive_recruitment"]


def test_an_indicator_of_another_instrument_is_refused_with_the_valid_ones() -> None:
    instrument = CATALOGUE.instrument("ilo-child-labour")
    with pytest.raises(UnknownIndicator) as refused:
        score(instrument, ["zz.unknown", "ex.no_social_protection", "dr.wages", "ex.no_social_protection"])
    assert refused.value.invalid == ["ex.no_social_protection", "zz.unknown"]
    assert isinstance(refused.value, ValueError)
    message = str(refused.value)
    assert "ilo-child-labour" in message and "'zz.unknown'" in message
    assert all(i in message for i in instrument.indicator_ids)


def test_a_single_string_is_not_taken_for_a_list_of_letters() -> None:
    with pytest.raises(TypeError):
        score(CATALOGUE.instrument("ilo-adult-labour"), "dr.nature_of_job")


def test_any_iterable_of_ids_will_do() -> None:
    instrument = CATALOGUE.instrument("ilo-adult-labour")
    ids = ("dr.nature_of_job", "dr.wages")
    assert score(instrument, iter(ids)) == score(instrument, frozenset(ids)) == score(instrument, list(ids))


# The rules are data -----------------------------------------------------------------------------------------


def edited_catalogue(tmp_path: Path, **rules: Any) -> Any:
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["rules"].update(rules)
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_catalogue(path)


def test_an_edited_combination_rule_changes_the_result(tmp_path: Path) -> None:
    catalogue = edited_catalogue(tmp_path, dimension_positive_if_any=[{"strong": 1}])
    result = score(catalogue.instrument("ilo-adult-labour"), ["dr.nature_of_job"])
    assert result.dimensions["deceptive_recruitment"]
    assert result.explanation()["dimensions"]["deceptive_recruitment"]["rule_met"] == {"strong": 1}
    # The packaged catalogue is untouched.
    assert not score(CATALOGUE.instrument("ilo-adult-labour"), ["dr.nature_of_job"]).dimensions[
        "deceptive_recruitment"
    ]


def test_counts_are_per_strength_a_strong_indicator_does_not_stand_in_for_a_medium_one(
    tmp_path: Path,
) -> None:
    catalogue = edited_catalogue(tmp_path, dimension_positive_if_any=[{"medium": 3}])
    instrument = catalogue.instrument("ilo-adult-labour")
    result = score(instrument, ["ex.excessive_hours", "ex.low_no_pay", "ex.bad_living"])
    assert not result.dimensions["exploitative_conditions"]
    detail = result.explanation()["dimensions"]["exploitative_conditions"]
    assert detail["missing"] == "needs 1 more medium indicator (has 1 strong, 2 medium)"


def test_an_edited_verdict_rule_changes_the_verdict(tmp_path: Path) -> None:
    catalogue = edited_catalogue(
        tmp_path,
        child_trafficking_requires_all=[
            {"any_of": ["deceptive_recruitment"]},
            {"any_of": ["exploitative_conditions"]},
            {"any_of": ["coercion_at_destination"]},
        ],
    )
    result = score(catalogue.instrument("ilo-child-labour"), RECRUITED_AND_EXPLOITED)
    assert not result.trafficking
    assert len(result.explanation()["verdict"]["requirements"]) == 3
