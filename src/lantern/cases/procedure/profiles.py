"""NRM country profiles: loading `data/nrm-profiles.yaml` and checking it is a usable stage machine.

Pure Python (no Django): the deadline calculator, the workflow and the CLI share it. A profile is data an
administrator can change; `load_profiles` refuses a file that would give a broken or unlawful procedure (for
example a recovery and reflection period shorter than the 30 days of CETS 197 art. 13) with a message that
names the profile and the entry to fix. The file's shape is declared as pydantic models (`ProfilesFileSpec`);
every profile, and every stage with a period or a target, names the legal sources it rests on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, PositiveInt, ValidationError, model_validator

from lantern.datafiles import LegalSource, Strict, describe

PROFILES_FILE = Path(__file__).parent.parent / "data" / "nrm-profiles.yaml"
DEFAULT_PROFILE = "coe-generic"
MINIMUM_RECOVERY_DAYS = 30  # CETS 197 art. 13
TRANSITION_KINDS_ORDERED = ("referral", "authority", "case_worker", "decision")
TRANSITION_KINDS = frozenset(TRANSITION_KINDS_ORDERED)
OUTCOMES = frozenset({"positive", "negative"})
CLOSED = "closed"


class ProfileError(ValueError):
    """The profiles file is not usable; the message says which profile and entry."""


@dataclass(frozen=True)
class Stage:
    id: str
    label: str
    decided_by: str | None = None
    min_days: int | None = None
    target_working_days: int | None = None
    clock_starts: str | None = None
    not_before_stage_end: str | None = None
    track: str = "main"
    recovery_period: bool = False
    check: bool = False
    child_extension_days: int | None = None  # e.g. Greece: extendable by two months for a minor
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def is_decision(self) -> bool:
        return self.decided_by is not None


@dataclass(frozen=True)
class Note:
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    by: str
    outcome: str | None = None


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    stages: tuple[Stage, ...]
    transitions: tuple[Transition, ...]
    consent_required_for_referral: Mapping[str, bool]
    close_from_any_stage: bool = False
    countries: tuple[str, ...] = ()
    holidays: frozenset[dt.date] = frozenset()
    adult_declines_referral: str | None = None
    appeal: str | None = None
    check: bool = False
    sources: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()
    _by_id: Mapping[str, Stage] = field(default_factory=dict, repr=False, compare=False)

    @property
    def first_stage(self) -> Stage:
        return self.stages[0]

    def stage(self, stage_id: str) -> Stage:
        try:
            return self._by_id[stage_id]
        except KeyError:
            raise ProfileError(f"profile {self.id!r} has no stage {stage_id!r}") from None

    def has_stage(self, stage_id: str) -> bool:
        return stage_id in self._by_id

    def consent_required(self, *, child: bool) -> bool:
        return bool(self.consent_required_for_referral["child" if child else "adult"])

    @property
    def recovery_stage(self) -> Stage:
        return next(s for s in self.stages if s.recovery_period)


@dataclass(frozen=True)
class ProfileSet:
    profiles: Mapping[str, Profile]
    exploitation_forms: tuple[str, ...]
    version: int

    def get(self, profile_id: str) -> Profile:
        try:
            return self.profiles[profile_id]
        except KeyError:
            known = ", ".join(sorted(self.profiles))
            raise ProfileError(f"unknown NRM profile {profile_id!r}; known profiles: {known}") from None

    def for_country(self, country_code: str) -> Profile:
        """The profile used by default for an organisation in `country_code` (else the CoE minimum)."""
        for profile in self.profiles.values():
            if country_code and country_code.upper() in profile.countries:
                return profile
        return self.get(DEFAULT_PROFILE)


# The file's shape as pydantic models (lantern.datafiles); the stage machine's rules are in validate_profile.


class StageSpec(Strict):
    id: str = Field(min_length=1)
    label: str = Field(min_length=1)
    decided_by: str | None = None
    min_days: PositiveInt | None = None
    target_working_days: PositiveInt | None = None
    clock_starts: str | None = None
    not_before_stage_end: str | None = None
    track: Literal["main", "appeal"] = "main"
    recovery_period: bool = False
    check: bool = False
    child_extension_days: PositiveInt | None = None
    notes: list[str] = []
    sources: list[LegalSource] = []

    @model_validator(mode="after")
    def _periods_are_sourced(self) -> StageSpec:
        if (self.min_days or self.target_working_days or self.child_extension_days) and not self.sources:
            raise ValueError("a stage with a period or a target states the law: list its `sources`")
        return self


class TransitionSpec(Strict):
    source: str
    target: str
    by: Literal[TRANSITION_KINDS_ORDERED]  # type: ignore[valid-type]
    outcome: Literal["positive", "negative"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_row(cls, raw: Any) -> Any:
        if not isinstance(raw, list) or len(raw) not in (3, 4):
            raise ValueError(f"a transition is [from, to, by(, outcome)], got {raw!r}")
        return dict(zip(("source", "target", "by", "outcome"), raw, strict=False))

    @model_validator(mode="after")
    def _only_decisions_have_outcomes(self) -> TransitionSpec:
        if (self.by == "decision") != (self.outcome is not None):
            raise ValueError(
                f"transition {self.source} → {self.target}: decisions, and only decisions, name an outcome "
                "(positive or negative)"
            )
        return self


class ConsentSpec(Strict):
    adult: bool
    child: bool


class NoteSpec(Strict):
    """A statement about the law around the procedure (e.g. what Directive (EU) 2024/1712 changes)."""

    text: str = Field(min_length=1)
    sources: list[LegalSource] = Field(min_length=1)


class ProfileSpec(Strict):
    name: str = Field(min_length=1)
    check: bool = False
    countries: list[Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]] = []
    holidays: list[Annotated[dt.date, Field(strict=False)]] = []
    stages: list[StageSpec] = Field(min_length=2)
    transitions: list[TransitionSpec] = []
    close_from_any_stage: bool = False
    consent_required_for_referral: ConsentSpec
    adult_declines_referral: Literal["anonymous_notification"] | None = None
    appeal: str | None = None
    sources: list[LegalSource] = Field(min_length=1)
    notes: list[NoteSpec] = []


class ProfilesFileSpec(Strict):
    version: int = 1
    profiles: dict[str, ProfileSpec] = Field(min_length=1)
    exploitation_forms: list[str] = Field(min_length=1)
    age_groups_eurostat: list[str] = []
    age_bands_ctdc: list[str] = []
    citizenship_groups_eurostat: list[str] = []

    @model_validator(mode="after")
    def _distinct_forms(self) -> ProfilesFileSpec:
        if len(set(self.exploitation_forms)) != len(self.exploitation_forms):
            raise ValueError("exploitation_forms must be distinct ids")
        return self


def _refuse(error: ValidationError, where: str) -> ProfileError:
    return ProfileError("\n".join(describe(error, where)))


def build_profile(profile_id: str, raw: Mapping[str, Any]) -> Profile:
    """One profile from its YAML mapping, checked (see `validate_profile`)."""
    try:
        spec = ProfileSpec.model_validate(raw)
    except ValidationError as error:
        raise _refuse(error, f"profile {profile_id!r}") from None
    return _profile_from(profile_id, spec)


def _profile_from(profile_id: str, spec: ProfileSpec) -> Profile:
    stages = tuple(
        Stage(
            **stage.model_dump(exclude={"notes", "sources"}),
            notes=tuple(stage.notes),
            sources=tuple(stage.sources),
        )
        for stage in spec.stages
    )
    profile = Profile(
        id=profile_id,
        name=spec.name,
        stages=stages,
        transitions=tuple(Transition(**t.model_dump()) for t in spec.transitions),
        consent_required_for_referral=spec.consent_required_for_referral.model_dump(),
        close_from_any_stage=spec.close_from_any_stage,
        countries=tuple(c.upper() for c in spec.countries),
        holidays=frozenset(spec.holidays),
        adult_declines_referral=spec.adult_declines_referral,
        appeal=spec.appeal,
        check=spec.check,
        sources=tuple(spec.sources),
        notes=tuple(Note(text=n.text, sources=tuple(n.sources)) for n in spec.notes),
        _by_id={s.id: s for s in stages},
    )
    validate_profile(profile)
    return profile


def validate_profile(profile: Profile) -> None:
    """Raise ProfileError unless the profile is a usable, lawful stage machine."""
    where = f"profile {profile.id!r}"
    ids = [s.id for s in profile.stages]
    if len(ids) < 2 or len(set(ids)) != len(ids):
        raise ProfileError(f"{where}: needs at least two stages with distinct ids, got {ids}")
    if CLOSED not in ids:
        raise ProfileError(f"{where}: needs a '{CLOSED}' stage")
    for stage in profile.stages:
        for ref in (stage.clock_starts, stage.not_before_stage_end):
            if ref is not None and ref not in ids:
                raise ProfileError(f"{where}, stage {stage.id!r}: refers to unknown stage {ref!r}")
        if stage.not_before_stage_end and not profile.stage(stage.not_before_stage_end).min_days:
            raise ProfileError(
                f"{where}, stage {stage.id!r}: not_before_stage_end needs a stage with min_days"
            )
        if stage.target_working_days and not stage.is_decision:
            raise ProfileError(f"{where}, stage {stage.id!r}: only decision stages have a target")
    recovery = [s for s in profile.stages if s.recovery_period]
    if len(recovery) != 1:
        raise ProfileError(f"{where}: mark exactly one stage recovery_period: true (CETS 197 art. 13)")
    if (recovery[0].min_days or 0) < MINIMUM_RECOVERY_DAYS:
        raise ProfileError(
            f"{where}: the recovery and reflection period ({recovery[0].id!r}) must last at least "
            f"{MINIMUM_RECOVERY_DAYS} days (CETS 197 art. 13); set min_days: {MINIMUM_RECOVERY_DAYS} or more"
        )
    for t in profile.transitions:
        for end in (t.source, t.target):
            if end not in ids:
                raise ProfileError(f"{where}: transition {t.source} → {t.target} names unknown stage {end!r}")
        if t.source == CLOSED:
            raise ProfileError(f"{where}: '{CLOSED}' is final; no transition may leave it")
        if (t.by == "decision") != profile.stage(t.source).is_decision:
            raise ProfileError(
                f"{where}: {t.source} → {t.target}: a decision stage is left only by a decision, "
                "and only a decision stage by a decision"
            )
    for stage in profile.stages:
        if stage.is_decision:
            outcomes = {t.outcome for t in profile.transitions if t.source == stage.id}
            if outcomes != OUTCOMES:
                raise ProfileError(
                    f"{where}, stage {stage.id!r}: needs one positive and one negative outcome"
                )
        elif stage.id != CLOSED and not any(t.source == stage.id for t in profile.transitions):
            if not profile.close_from_any_stage:
                raise ProfileError(f"{where}, stage {stage.id!r}: no way out (add a transition)")
    reachable, frontier = {ids[0]}, [ids[0]]
    while frontier:
        here = frontier.pop()
        for t in profile.transitions:
            if t.source == here and t.target not in reachable:
                reachable.add(t.target)
                frontier.append(t.target)
    unreachable = [i for i in ids if i not in reachable and i != CLOSED]
    if unreachable:
        raise ProfileError(f"{where}: stages no transition leads to: {unreachable}")


def parse_profiles(raw: Mapping[str, Any]) -> ProfileSet:
    """A checked ProfileSet from the parsed YAML document."""
    try:
        spec = ProfilesFileSpec.model_validate(raw)
    except ValidationError as error:
        raise _refuse(error, PROFILES_FILE.name) from None
    profiles = {pid: _profile_from(pid, body) for pid, body in spec.profiles.items()}
    if DEFAULT_PROFILE not in profiles:
        raise ProfileError(f"the profiles file must keep the {DEFAULT_PROFILE!r} profile (the default)")
    return ProfileSet(
        profiles=profiles, exploitation_forms=tuple(spec.exploitation_forms), version=spec.version
    )


@cache
def load_profiles(path: Path = PROFILES_FILE) -> ProfileSet:
    """The profiles shipped with Lantern (or at `path`), parsed and checked once per process."""
    with path.open(encoding="utf-8") as handle:
        return parse_profiles(yaml.safe_load(handle))


def get_profile(profile_id: str) -> Profile:
    return load_profiles().get(profile_id)
