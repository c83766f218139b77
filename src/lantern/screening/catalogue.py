"""The indicator catalogue: instruments, indicators and decision rules, as data a domain expert can edit.

The catalogue file (by default `data/indicators-ilo-delphi.yaml` beside this module) holds the strengths, the
dimensions, the indicators, the rules and the instruments. Nothing here or in the engine hard-codes a rule:
the `rules:` section is parsed into `Combination` and `Requirement` objects that the engine interprets, so an
administrator who edits the rules changes the behaviour (after a restart: the loaded catalogue is cached).

The file is checked as it is loaded; a mistake raises `CatalogueError` (a ValueError) naming the file and the
place in it, e.g. ``instruments/ilo-adult-labour/deceptive_recruitment/dr.foo``. Pure Python: no Django.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "indicators-ilo-delphi.yaml"

# The verdict differs by population (Palermo Protocol art. 3(c): no means needed for a child); each population
# needs a `<population>_trafficking_requires_all` rule.
POPULATIONS = ("adult", "child")
VERDICT_RULE = "{population}_trafficking_requires_all"
POSITIVE_RULE = "dimension_positive_if_any"

# The C loader is the same safe loader (plain data only), about six times faster: it matters for the start-up
# time of `lantern screen`.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CatalogueError(ValueError):
    """The catalogue file is not valid; the message names the file and the place in it."""


class UnknownInstrument(KeyError):
    """No instrument with that id (or for that population and exploitation); the message lists valid ids."""

    def __init__(self, message: str, valid: list[str]):
        super().__init__(message)
        self.message = message
        self.valid = valid

    def __str__(self) -> str:
        # KeyError would print the repr of its argument, quotes and all.
        return self.message


@dataclass(frozen=True)
class Term:
    """One count in a combination: at least `at_least` observed indicators whose strength is in `strengths`.

    `key` is the name as written in the file: a strength (``strong``) or strengths joined by ``_or_``
    (``medium_or_weak``, which counts medium and weak indicators together).
    """

    key: str
    strengths: tuple[str, ...]
    at_least: int


@dataclass(frozen=True)
class Combination:
    """One way for a dimension to be positive: every term met ("at least" counts)."""

    terms: tuple[Term, ...]

    def as_dict(self) -> dict[str, int]:
        """The combination as written in the file, e.g. ``{"strong": 1, "medium_or_weak": 1}``."""
        return {term.key: term.at_least for term in self.terms}

    def shortfall(self, counts: Mapping[str, int]) -> dict[str, int]:
        """How many more indicators each unmet term needs, given observed counts per strength."""
        short = {}
        for term in self.terms:
            have = sum(counts.get(strength, 0) for strength in term.strengths)
            if have < term.at_least:
                short[term.key] = term.at_least - have
        return short

    def is_met(self, counts: Mapping[str, int]) -> bool:
        """Whether observed counts per strength meet every term."""
        return not self.shortfall(counts)


@dataclass(frozen=True)
class Requirement:
    """One group of a verdict rule: met when at least one of its dimensions is positive."""

    any_of: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Rules:
    """The `rules:` section, with the strengths and dimensions (in file order) that give it meaning."""

    strengths: tuple[str, ...]
    dimensions: tuple[str, ...]
    positive_if_any: tuple[Combination, ...]
    requires_all: Mapping[str, tuple[Requirement, ...]]  # population -> requirements


# eq=False: instruments and catalogues compare (and hash) by identity, so the engine can cache per instrument;
# two files with the same ids but different rules must not be confused.
@dataclass(frozen=True, eq=False)
class Instrument:
    """One indicator set, e.g. ``ilo-adult-labour``.

    `dimensions` maps every dimension (in catalogue order) to its indicators (in file order) and strengths;
    `checks` holds the ids whose strength is marked ``check: true`` (to verify against the source).
    """

    id: str
    population: str
    exploitation: str
    dimensions: Mapping[str, Mapping[str, str]]
    checks: frozenset[str]
    rules: Rules = field(repr=False)

    @property
    def verdict_rule(self) -> str:
        """The rule deciding this instrument's verdict, e.g. ``adult_trafficking_requires_all``."""
        return VERDICT_RULE.format(population=self.population)

    @property
    def requires_all(self) -> tuple[Requirement, ...]:
        """The requirement groups of this instrument's verdict rule."""
        return self.rules.requires_all[self.population]

    @functools.cached_property
    def indicator_ids(self) -> frozenset[str]:
        """Every indicator id valid for this instrument."""
        return frozenset(i for indicators in self.dimensions.values() for i in indicators)


@dataclass(frozen=True, eq=False)
class Catalogue:
    """The whole catalogue file, checked and read-only."""

    path: Path
    version: int
    source: str
    strengths: tuple[str, ...]
    dimension_labels: Mapping[str, str]
    indicator_labels: Mapping[str, str]
    rules: Rules
    instruments: Mapping[str, Instrument]

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The dimension ids in catalogue order."""
        return self.rules.dimensions

    def instrument(self, instrument_id: str) -> Instrument:
        """The instrument with that id, or `UnknownInstrument` listing the valid ids."""
        try:
            return self.instruments[instrument_id]
        except (KeyError, TypeError):
            valid = list(self.instruments)
            raise UnknownInstrument(
                f"unknown instrument {instrument_id!r}; valid instruments: {', '.join(valid)}", valid
            ) from None

    def instrument_for(self, population: str, exploitation: str) -> Instrument:
        """The instrument for a population (``adult``/``child``) and exploitation (``labour``/``sexual``)."""
        for instrument in self.instruments.values():
            if instrument.population == population and instrument.exploitation == exploitation:
                return instrument
        valid = [f"{i.population}/{i.exploitation} ({i.id})" for i in self.instruments.values()]
        raise UnknownInstrument(
            f"no instrument for {population!r} and {exploitation!r}; the catalogue has: {', '.join(valid)}",
            list(self.instruments),
        )


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and check the catalogue file (default: the packaged ILO/Delphi catalogue); cached per path.

    Raises `CatalogueError` naming the place of the first mistake found.
    """
    return _load(Path(path).resolve() if path is not None else DEFAULT_PATH)


@functools.cache
def _load(path: Path) -> Catalogue:
    with path.open(encoding="utf-8") as stream:
        data = yaml.load(stream, Loader=_SafeLoader)  # noqa: S506 (a SafeLoader: its C build)  # nosec B506
    return _Reader(path).catalogue(data)


class _Reader:
    """Turns the parsed YAML into a `Catalogue`, raising `CatalogueError` at the first mistake."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, problem: str) -> CatalogueError:
        return CatalogueError(f"{self.path.name}: {where}: {problem}")

    def mapping(self, value: Any, where: str) -> dict[Any, Any]:
        if not isinstance(value, dict) or not value:
            raise self.fail(where, "expected a non-empty mapping")
        return value

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, "expected a non-empty text")
        return value

    def catalogue(self, data: Any) -> Catalogue:
        data = self.mapping(data, "(top level)")
        for key in ("strengths", "dimensions", "rules", "indicators", "instruments"):
            if key not in data:
                raise self.fail(key, "missing section")
        strengths = self.strengths(data["strengths"])
        dimensions = {
            self.text(key, "dimensions"): self.text(label, f"dimensions/{key}")
            for key, label in self.mapping(data["dimensions"], "dimensions").items()
        }
        indicators = {
            self.text(key, "indicators"): self.text(label, f"indicators/{key}")
            for key, label in self.mapping(data["indicators"], "indicators").items()
        }
        rules = self.rules(data["rules"], strengths, tuple(dimensions))
        instruments = {
            self.text(key, "instruments"): self.instrument(key, value, rules, indicators)
            for key, value in self.mapping(data["instruments"], "instruments").items()
        }
        seen: dict[tuple[str, str], str] = {}
        for instrument in instruments.values():
            pair = (instrument.population, instrument.exploitation)
            if pair in seen:
                raise self.fail(
                    f"instruments/{instrument.id}", f"same population and exploitation as {seen[pair]}"
                )
            seen[pair] = instrument.id
        return Catalogue(
            path=self.path,
            version=data.get("version", 1),
            source=str(data.get("source", "")),
            strengths=strengths,
            dimension_labels=MappingProxyType(dimensions),
            indicator_labels=MappingProxyType(indicators),
            rules=rules,
            instruments=MappingProxyType(instruments),
        )

    def strengths(self, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail("strengths", "expected a non-empty list, e.g. [strong, medium, weak]")
        for strength in value:
            # "_or_" joins strengths in rule keys (medium_or_weak), so it cannot be part of a name.
            if not isinstance(strength, str) or not strength or "_or_" in strength:
                raise self.fail("strengths", f"{strength!r} is not a valid strength name")
        if len(set(value)) != len(value):
            raise self.fail("strengths", "a strength is listed twice")
        return tuple(value)

    def rules(self, value: Any, strengths: tuple[str, ...], dimensions: tuple[str, ...]) -> Rules:
        value = self.mapping(value, "rules")
        verdict_keys = {VERDICT_RULE.format(population=p): p for p in POPULATIONS}
        for key in value:
            if key != POSITIVE_RULE and key not in verdict_keys:
                valid = ", ".join([POSITIVE_RULE, *verdict_keys])
                raise self.fail(f"rules/{key}", f"unknown rule; valid rules: {valid}")
        if POSITIVE_RULE not in value:
            raise self.fail(f"rules/{POSITIVE_RULE}", "missing rule")
        combinations = value[POSITIVE_RULE]
        if not isinstance(combinations, list) or not combinations:
            raise self.fail(f"rules/{POSITIVE_RULE}", "expected a non-empty list of combinations")
        positive = tuple(
            self.combination(item, strengths, f"rules/{POSITIVE_RULE}[{n}]")
            for n, item in enumerate(combinations)
        )
        requires_all = {
            population: self.requirements(value[key], dimensions, f"rules/{key}")
            for key, population in verdict_keys.items()
            if key in value
        }
        return Rules(strengths, dimensions, positive, MappingProxyType(requires_all))

    def combination(self, value: Any, strengths: tuple[str, ...], where: str) -> Combination:
        terms = []
        counted: set[str] = set()
        for key, at_least in self.mapping(value, where).items():
            parts = tuple(str(key).split("_or_"))
            for part in parts:
                if part not in strengths:
                    raise self.fail(
                        f"{where}/{key}",
                        f"unknown strength {part!r}; use {', '.join(strengths)} or several joined by _or_",
                    )
            if counted & set(parts):
                # Overlapping terms would make "how many more are needed" ambiguous.
                raise self.fail(f"{where}/{key}", "a strength is counted twice in one combination")
            counted |= set(parts)
            if isinstance(at_least, bool) or not isinstance(at_least, int) or at_least < 1:
                raise self.fail(f"{where}/{key}", f"expected a whole number of at least 1, not {at_least!r}")
            terms.append(Term(str(key), parts, at_least))
        return Combination(tuple(terms))

    def requirements(self, value: Any, dimensions: tuple[str, ...], where: str) -> tuple[Requirement, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail(where, "expected a non-empty list of {any_of: [dimensions]}")
        groups = []
        for n, item in enumerate(value):
            place = f"{where}[{n}]"
            if not isinstance(item, dict) or set(item) != {"any_of"}:
                raise self.fail(place, "expected {any_of: [dimensions]}")
            any_of = item["any_of"]
            if not isinstance(any_of, list) or not any_of:
                raise self.fail(f"{place}/any_of", "expected a non-empty list of dimensions")
            for dimension in any_of:
                if dimension not in dimensions:
                    raise self.fail(
                        f"{place}/any_of", f"unknown dimension {dimension!r}; valid: {', '.join(dimensions)}"
                    )
            groups.append(Requirement(tuple(any_of)))
        return tuple(groups)

    def instrument(
        self, instrument_id: str, value: Any, rules: Rules, indicators: dict[str, str]
    ) -> Instrument:
        where = f"instruments/{instrument_id}"
        value = self.mapping(value, where)
        population = value.get("population")
        if not isinstance(population, str) or population not in rules.requires_all:
            raise self.fail(
                f"{where}/population",
                f"{population!r} is not a population with a verdict rule; "
                f"valid: {', '.join(rules.requires_all)}",
            )
        exploitation = self.text(value.get("exploitation"), f"{where}/exploitation")
        for key in value:
            if key not in ("population", "exploitation") and key not in rules.dimensions:
                raise self.fail(f"{where}/{key}", f"unknown dimension; valid: {', '.join(rules.dimensions)}")
        dimensions: dict[str, Mapping[str, str]] = {}
        checks: set[str] = set()
        placed: dict[str, str] = {}
        for dimension in rules.dimensions:  # catalogue order, whatever the order in the instrument
            if dimension not in value:
                raise self.fail(
                    f"{where}/{dimension}", "missing dimension (every instrument has all of them)"
                )
            entries = {}
            for indicator, entry in self.mapping(value[dimension], f"{where}/{dimension}").items():
                place = f"{where}/{dimension}/{indicator}"
                if indicator not in indicators:
                    raise self.fail(place, "unknown indicator (not listed under indicators:)")
                if indicator in placed:
                    raise self.fail(place, f"already listed under {placed[indicator]}")
                placed[indicator] = dimension
                strength, check = self.entry(entry, rules.strengths, place)
                entries[indicator] = strength
                if check:
                    checks.add(indicator)
            dimensions[dimension] = MappingProxyType(entries)
        return Instrument(
            id=instrument_id,
            population=population,
            exploitation=exploitation,
            dimensions=MappingProxyType(dimensions),
            checks=frozenset(checks),
            rules=rules,
        )

    def entry(self, entry: Any, strengths: tuple[str, ...], place: str) -> tuple[str, bool]:
        """An entry is `strength` or `{strength: ..., check: true}`."""
        check = False
        if isinstance(entry, dict):
            extra = set(entry) - {"strength", "check"}
            if extra:
                raise self.fail(place, f"unexpected keys {sorted(map(str, extra))}; use strength and check")
            check = entry.get("check", False)
            if not isinstance(check, bool):
                raise self.fail(f"{place}/check", f"expected true or false, not {check!r}")
            entry = entry.get("strength")
        if entry not in strengths:
            raise self.fail(place, f"unknown strength {entry!r}; valid: {', '.join(strengths)}")
        return entry, check
