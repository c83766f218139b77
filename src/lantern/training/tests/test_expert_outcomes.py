"""Every practice case's expert outcome holds whichever way the unconfirmed strengths are confirmed.

The sexual-exploitation strengths marked `check: true` in the indicator catalogue are reconstructions, to be
verified against the ILO brochure. A practice case must not teach an outcome that flips when one of them is
confirmed as stronger or weaker: the cases are scored here by the real engine with each such strength set, in
turn, to strong, medium and weak (issue #14, Medium item 8).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from lantern.screening import engine
from lantern.screening.catalogue import load_catalogue
from lantern.screening.content import CATALOGUE_PATH
from lantern.training import content

SEVERITY = ("presumed-victim", "further-assessment", "no-indicators")


def _catalogue_yaml() -> dict[str, Any]:
    return yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))


def _unconfirmed(raw: dict[str, Any], population: str, observed: set[str]) -> list[tuple[str, str, str]]:
    """(instrument, dimension, indicator) for each observed indicator whose strength is marked check: true."""
    found = []
    for instrument_id, body in raw["instruments"].items():
        if body["population"] != population:
            continue
        for dimension, entries in body.items():
            if not isinstance(entries, dict):
                continue
            for indicator, strength in entries.items():
                if indicator in observed and isinstance(strength, dict) and strength.get("check"):
                    found.append((instrument_id, dimension, indicator))
    return found


def _outcome(raw: dict[str, Any], population: str, observed: set[str], tmp_path: Path) -> str:
    path = tmp_path / f"catalogue-{abs(hash(yaml.safe_dump(raw)))}.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    catalogue = load_catalogue(path)
    outcomes = set()
    for exploitation in ("labour", "sexual"):
        instrument = catalogue.instrument_for(population, exploitation)
        outcomes.add(engine.score(instrument, observed & instrument.indicator_ids).outcome)
    return next(o for o in SEVERITY if o in outcomes)


CASES = sorted(content.practice_cases())


@pytest.mark.parametrize("case_id", CASES)
def test_the_expert_outcome_does_not_rest_on_an_unconfirmed_strength(case_id: str, tmp_path: Path) -> None:
    case = content.practice_cases()[case_id]["en"]
    raw = _catalogue_yaml()
    observed = set(case.expert_indicators)
    assert _outcome(raw, case.population, observed, tmp_path) == case.expected_outcome
    for instrument_id, dimension, indicator in _unconfirmed(raw, case.population, observed):
        for strength in ("strong", "medium", "weak"):
            variant = copy.deepcopy(raw)
            variant["instruments"][instrument_id][dimension][indicator] = strength
            got = _outcome(variant, case.population, observed, tmp_path)
            assert got == case.expected_outcome, (case_id, indicator, strength, got)


def test_mira_is_checked_against_her_unconfirmed_strength() -> None:
    case = content.practice_cases()["mira-the-boyfriend"]["en"]
    unconfirmed = _unconfirmed(_catalogue_yaml(), "child", set(case.expert_indicators))
    assert (
        "ilo-child-sexual",
        "recruitment_abuse_of_vulnerability",
        "ar.emotional_dependency",
    ) in unconfirmed
