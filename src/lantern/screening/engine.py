"""Scoring a screening: which dimensions are positive, whether the verdict rule holds, and why.

`score(instrument, observed)` applies the rules read from the catalogue (`catalogue.Rules`); nothing here
names a dimension, a strength or a count.

A dimension is positive when the indicators observed in it meet at least one combination of
`dimension_positive_if_any`. A combination is met when every one of its counts is reached ("at least"), and
each count is taken literally, per strength: ``{medium: 3}`` counts medium indicators only, a strong one does
not stand in for a medium one; a key joining strengths with ``_or_`` (``medium_or_weak``) counts those
strengths together. With the ILO/Delphi rules this literal reading never changes whether a dimension is
positive (a strong indicator plus any other indicator already meets ``{strong: 1, medium_or_weak: 1}``); it
only decides which combination the explanation names and what it says is missing.

The verdict for the instrument's population (`<population>_trafficking_requires_all`) holds when every one of
its groups has a positive dimension. Outcome: ``presumed-victim`` when the verdict holds, ``no-indicators``
when nothing was observed, otherwise ``further-assessment``. A result supports professional judgement and a
referral for identification; it decides nobody's legal status.

Speed (the bench asks for well over 100,000 screenings a second): each instrument is compiled once into a
table giving every indicator a bit field (dimension x strength) in one integer, so counting is one C-level
`sum`; the positivity of a dimension's counts and the verdict of a set of positive dimensions are memoised.
The explanation is built only when asked for. Pure Python: no Django import.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .catalogue import Combination, Instrument, Requirement

PRESUMED_VICTIM = "presumed-victim"
FURTHER_ASSESSMENT = "further-assessment"
NO_INDICATORS = "no-indicators"
OUTCOMES = (PRESUMED_VICTIM, FURTHER_ASSESSMENT, NO_INDICATORS)


class UnknownIndicator(ValueError):
    """Observed ids that are not indicators of the instrument; `.invalid` is their sorted list."""

    def __init__(self, instrument_id: str, invalid: list[Any], valid: list[str]):
        self.instrument_id = instrument_id
        self.invalid = invalid
        self.valid = valid
        super().__init__(
            f"unknown indicator ids for {instrument_id}: {', '.join(map(repr, invalid))}; "
            f"valid ids: {', '.join(valid)}"
        )


@dataclass(frozen=True, slots=True)
class Result:
    """The result of one screening with one instrument.

    `dimensions` has every dimension in catalogue order; `observed` is the set of observed indicator ids
    (duplicates removed). Call `explanation()` for the reasons, as JSON-able data.
    """

    dimensions: dict[str, bool]
    trafficking: bool
    outcome: str
    instrument: Instrument
    observed: frozenset[str]

    def explanation(self) -> dict[str, Any]:
        """Why each dimension is positive or not, and which verdict requirements are met.

        Machine-readable codes (ids, counts, rule names) for the web app to translate; the ``missing`` and
        ``summary`` texts are English, for convenience. Shape::

            {"dimensions": {<dimension>: {
                 "positive": bool,
                 "observed": {<strength>: [ids in catalogue order], ...every strength},
                 "rule_met": {"strong": 2} | null,           # the first combination met
                 "missing": "needs 1 more medium or weak indicator (has 1 strong)" | null,
                 "missing_counts": {"medium_or_weak": 1} | null},   # the smallest addition, per rule key
                ...every dimension},       # (a dimension that cannot become positive: missing_counts null)
             "verdict": {"rule": "adult_trafficking_requires_all", "population": "adult", "met": bool,
                         "requirements": [{"any_of": [...], "met": bool, "positive": [...]}, ...],
                         "summary": "2 of 3 requirements met; ..."},
             "unverified_strengths": [observed ids whose strength the catalogue marks `check: true`]}
        """
        return _explain(self)


def score(instrument: Instrument, observed: Iterable[str]) -> Result:
    """Score the observed indicator ids (duplicates allowed) with an instrument.

    Raises `UnknownIndicator` when an id is not an indicator of this instrument.
    """
    if isinstance(observed, str):
        # A lone id would otherwise be read as a set of one-letter ids.
        raise TypeError("observed must be a collection of indicator ids, not a single string")
    plan = _plan(instrument)
    ids = observed if type(observed) is frozenset else frozenset(observed)
    try:
        packed = sum(map(plan.increment_of, ids))
    except KeyError:
        invalid = sorted(ids - plan.increments.keys(), key=str)
        raise UnknownIndicator(instrument.id, invalid, sorted(plan.increments)) from None
    positive = plan.positive
    mask = plan.mask
    flags = tuple([positive[(packed >> shift) & mask] for shift in plan.shifts])
    trafficking = plan.verdict[flags]
    if trafficking:
        outcome = PRESUMED_VICTIM
    elif ids:
        outcome = FURTHER_ASSESSMENT
    else:
        outcome = NO_INDICATORS
    return Result(dict(zip(plan.dimensions, flags, strict=True)), trafficking, outcome, instrument, ids)


# The compiled instrument ------------------------------------------------------------------------------------


class _PositiveCounts(dict):
    """Memo: the counts of one dimension, packed in an integer -> is the dimension positive."""

    def __init__(self, combinations: tuple[Combination, ...], strengths: tuple[str, ...], width: int):
        super().__init__()
        self.combinations = combinations
        self.strengths = strengths
        self.width = width

    def __missing__(self, packed: int) -> bool:
        counts = _unpack(packed, self.strengths, self.width)
        positive = any(combination.is_met(counts) for combination in self.combinations)
        self[packed] = positive
        return positive


class _Verdict(dict):
    """Memo: the positive flags of every dimension -> does the verdict rule hold."""

    def __init__(self, requirements: tuple[Requirement, ...], dimensions: tuple[str, ...]):
        super().__init__()
        self.groups = [[dimensions.index(d) for d in group.any_of] for group in requirements]

    def __missing__(self, flags: tuple[bool, ...]) -> bool:
        holds = all(any(flags[index] for index in group) for group in self.groups)
        self[flags] = holds
        return holds


class _Reasons(dict):
    """Memo: (dimension, counts per strength) -> (first combination met, smallest addition, in English)."""

    def __init__(
        self,
        combinations: tuple[Combination, ...],
        strengths: tuple[str, ...],
        totals: dict[str, dict[str, int]],
    ):
        super().__init__()
        self.combinations = combinations
        self.strengths = strengths
        self.totals = totals

    def __missing__(self, key: tuple[str, tuple[int, ...]]) -> tuple[Any, ...]:
        dimension, numbers = key
        counts = dict(zip(self.strengths, numbers, strict=True))
        rule_met = next((c.as_dict() for c in self.combinations if c.is_met(counts)), None)
        missing_counts, missing = (None, None)
        if rule_met is None:
            missing_counts, missing = _smallest_addition(
                counts, self.totals[dimension], self.combinations, self.strengths
            )
        reasons = (rule_met, missing_counts, missing)
        self[key] = reasons
        return reasons


class _VerdictReasons(dict):
    """Memo: positive flags of every dimension -> ((any_of, met, positive dimensions) per group, summary)."""

    def __init__(self, requirements: tuple[Requirement, ...], dimensions: tuple[str, ...]):
        super().__init__()
        self.requirements = requirements
        self.dimensions = dimensions

    def __missing__(self, flags: tuple[bool, ...]) -> tuple[Any, ...]:
        positive = {d for d, flag in zip(self.dimensions, flags, strict=True) if flag}
        groups = []
        for group in self.requirements:
            found = tuple(d for d in group.any_of if d in positive)
            groups.append((group.any_of, bool(found), found))
        summary = f"{sum(1 for g in groups if g[1])} of {len(groups)} requirements met"
        unmet = [any_of for any_of, met, _found in groups if not met]
        if unmet:
            summary += "; still needed: " + "; ".join("a positive " + " or ".join(group) for group in unmet)
        reasons = (tuple(groups), summary)
        self[flags] = reasons
        return reasons


class _Plan:
    """An instrument compiled for scoring: one bit field per (dimension, strength) in a single integer."""

    def __init__(self, instrument: Instrument):
        rules = instrument.rules
        strengths = rules.strengths
        self.dimensions = rules.dimensions
        # A field must hold the number of indicators of one strength in one dimension (ids are deduplicated).
        largest = max(
            sum(1 for s in indicators.values() if s == strength)
            for indicators in instrument.dimensions.values()
            for strength in strengths
        )
        width = max(largest.bit_length(), 1)
        per_dimension = width * len(strengths)
        self.increments: dict[str, int] = {}
        # indicator -> (dimension, strength, position in the file), for the explanation
        self.where: dict[str, tuple[str, str, int]] = {}
        self.totals: dict[str, dict[str, int]] = {}
        for d, (dimension, indicators) in enumerate(instrument.dimensions.items()):
            self.totals[dimension] = dict.fromkeys(strengths, 0)
            for position, (indicator, strength) in enumerate(indicators.items()):
                self.increments[indicator] = 1 << (d * per_dimension + strengths.index(strength) * width)
                self.where[indicator] = (dimension, strength, position)
                self.totals[dimension][strength] += 1
        self.increment_of = self.increments.__getitem__
        self.shifts = tuple(d * per_dimension for d in range(len(self.dimensions)))
        self.mask = (1 << per_dimension) - 1
        self.positive = _PositiveCounts(rules.positive_if_any, strengths, width)
        self.verdict = _Verdict(instrument.requires_all, self.dimensions)
        self.reasons = _Reasons(rules.positive_if_any, strengths, self.totals)
        self.verdict_reasons = _VerdictReasons(instrument.requires_all, self.dimensions)


@functools.lru_cache(maxsize=64)
def _plan(instrument: Instrument) -> _Plan:
    # Instruments hash by identity, so an edited catalogue loaded from another file gets its own plan.
    return _Plan(instrument)


def _unpack(packed: int, strengths: tuple[str, ...], width: int) -> dict[str, int]:
    field_mask = (1 << width) - 1
    return {strength: (packed >> (n * width)) & field_mask for n, strength in enumerate(strengths)}


# The explanation --------------------------------------------------------------------------------------------


def _explain(result: Result) -> dict[str, Any]:
    instrument = result.instrument
    rules = instrument.rules
    plan = _plan(instrument)
    by_dimension: dict[str, list[tuple[int, str, str]]] = {d: [] for d in rules.dimensions}
    for indicator in result.observed:
        dimension, strength, position = plan.where[indicator]
        by_dimension[dimension].append((position, strength, indicator))
    dimensions = {}
    for dimension, found in by_dimension.items():
        observed: dict[str, list[str]] = {strength: [] for strength in rules.strengths}
        if found:
            found.sort()
            for _position, strength, indicator in found:
                observed[strength].append(indicator)
        rule_met, missing_counts, missing = plan.reasons[dimension, tuple(map(len, observed.values()))]
        dimensions[dimension] = {
            "positive": result.dimensions[dimension],
            "observed": observed,
            # Copies: the memo's dicts must not be shared with a caller who might change them.
            "rule_met": dict(rule_met) if rule_met else None,
            "missing": missing,
            "missing_counts": dict(missing_counts) if missing_counts else None,
        }
    return {
        "dimensions": dimensions,
        "verdict": _explain_verdict(result),
        "unverified_strengths": sorted(result.observed & instrument.checks),
    }


def _smallest_addition(
    counts: Mapping[str, int],
    totals: Mapping[str, int],
    combinations: tuple[Combination, ...],
    strengths: tuple[str, ...],
) -> tuple[dict[str, int] | None, str]:
    """The fewest further indicators (per rule key) that would make a dimension positive, and that in English.

    Only combinations this instrument can still reach count (``{strong: 2}`` is out of reach in a dimension
    with one strong indicator); ties go to the first combination in the file. The catalogue forbids a strength
    counted twice in one combination, so the shortfalls of its counts simply add up.
    """
    best: dict[str, int] | None = None
    for combination in combinations:
        short = combination.shortfall(counts)
        reachable = all(
            sum(totals[s] - counts[s] for s in term.strengths) >= short[term.key]
            for term in combination.terms
            if term.key in short
        )
        if reachable and (best is None or sum(short.values()) < sum(best.values())):
            best = short
    if best is None:
        return None, "cannot become positive with this instrument's indicators"
    needs = " and ".join(
        f"{n} more {key.replace('_or_', ' or ')} indicator{'s' if n > 1 else ''}" for key, n in best.items()
    )
    has = ", ".join(f"{counts[s]} {s}" for s in strengths if counts[s]) or "none"
    return best, f"needs {needs} (has {has})"


def _explain_verdict(result: Result) -> dict[str, Any]:
    instrument = result.instrument
    requirements, summary = _plan(instrument).verdict_reasons[tuple(result.dimensions.values())]
    return {
        "rule": instrument.verdict_rule,
        "population": instrument.population,
        "met": result.trafficking,
        "requirements": [
            {"any_of": list(any_of), "met": met, "positive": list(positive)}
            for any_of, met, positive in requirements
        ],
        "summary": summary,
    }
