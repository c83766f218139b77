"""NRM country profiles: loading `data/nrm-profiles.yaml` and checking it is a usable stage machine.

Pure Python (no Django): the deadline calculator, the workflow and the CLI share it. A profile is data an
administrator can change; `load_profiles` refuses a file that would give a broken or unlawful procedure (for
example a recovery and reflection period shorter than the 30 days of CETS 197 art. 13) with a message that
names the profile and the entry to fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PROFILES_FILE = Path(__file__).parent.parent / "data" / "nrm-profiles.yaml"
DEFAULT_PROFILE = "coe-generic"
MINIMUM_RECOVERY_DAYS = 30  # CETS 197 art. 13
TRANSITION_KINDS = frozenset({"referral", "authority", "case_worker", "decision"})
OUTCOMES = frozenset({"positive", "negative"})
CLOSED = "closed"
_STAGE_KEYS = frozenset(
    {
        "id",
        "label",
        "decided_by",
        "min_days",
        "target_working_days",
        "clock_starts",
        "not_before_stage_end",
        "track",
        "recovery_period",
        "check",
    }
)


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

    @property
    def is_decision(self) -> bool:
        return self.decided_by is not None


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


def _stage(profile_id: str, raw: Any) -> Stage:
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("label"):
        raise ProfileError(f"profile {profile_id!r}: every stage needs an id and a label, got {raw!r}")
    unknown = set(raw) - _STAGE_KEYS
    if unknown:
        raise ProfileError(f"profile {profile_id!r}, stage {raw['id']!r}: unknown keys {sorted(unknown)}")
    for key in ("min_days", "target_working_days"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise ProfileError(
                f"profile {profile_id!r}, stage {raw['id']!r}: {key} must be a whole number ≥ 1"
            )
    if raw.get("track", "main") not in ("main", "appeal"):
        raise ProfileError(f"profile {profile_id!r}, stage {raw['id']!r}: track is 'main' or 'appeal'")
    return Stage(**{key: raw[key] for key in raw})


def _transition(profile_id: str, raw: Any) -> Transition:
    if not isinstance(raw, list) or len(raw) not in (3, 4):
        raise ProfileError(f"profile {profile_id!r}: a transition is [from, to, by(, outcome)], got {raw!r}")
    source, target, by, *rest = raw
    outcome = rest[0] if rest else None
    if by not in TRANSITION_KINDS:
        raise ProfileError(f"profile {profile_id!r}: transition {raw!r} has unknown kind {by!r}")
    if (by == "decision") != (outcome is not None) or (outcome is not None and outcome not in OUTCOMES):
        raise ProfileError(
            f"profile {profile_id!r}: transition {raw!r}: decisions, and only decisions, name an outcome "
            "(positive or negative)"
        )
    return Transition(source=source, target=target, by=by, outcome=outcome)


def _holidays(profile_id: str, raw: Any) -> frozenset[dt.date]:
    try:
        return frozenset(d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)) for d in raw or [])
    except ValueError as exc:
        raise ProfileError(f"profile {profile_id!r}: holidays must be ISO dates: {exc}") from None


def build_profile(profile_id: str, raw: Mapping[str, Any]) -> Profile:
    """One profile from its YAML mapping, checked (see `validate_profile`)."""
    stages = tuple(_stage(profile_id, s) for s in raw.get("stages") or [])
    consent = raw.get("consent_required_for_referral") or {}
    if set(consent) != {"adult", "child"} or not all(isinstance(v, bool) for v in consent.values()):
        raise ProfileError(
            f"profile {profile_id!r}: consent_required_for_referral needs adult: and child: true/false"
        )
    profile = Profile(
        id=profile_id,
        name=str(raw.get("name") or profile_id),
        stages=stages,
        transitions=tuple(_transition(profile_id, t) for t in raw.get("transitions") or []),
        consent_required_for_referral=dict(consent),
        close_from_any_stage=bool(raw.get("close_from_any_stage", False)),
        countries=tuple(str(c).upper() for c in raw.get("countries") or []),
        holidays=_holidays(profile_id, raw.get("holidays")),
        adult_declines_referral=raw.get("adult_declines_referral"),
        appeal=raw.get("appeal"),
        check=bool(raw.get("check", False)),
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
    if not isinstance(raw, Mapping) or not isinstance(raw.get("profiles"), Mapping) or not raw["profiles"]:
        raise ProfileError("the profiles file needs a 'profiles' mapping")
    forms = raw.get("exploitation_forms") or []
    if not forms or len(set(forms)) != len(forms) or not all(isinstance(f, str) for f in forms):
        raise ProfileError("exploitation_forms must be a non-empty list of distinct ids")
    profiles = {pid: build_profile(pid, body) for pid, body in raw["profiles"].items()}
    if DEFAULT_PROFILE not in profiles:
        raise ProfileError(f"the profiles file must keep the {DEFAULT_PROFILE!r} profile (the default)")
    return ProfileSet(profiles=profiles, exploitation_forms=tuple(forms), version=int(raw.get("version", 1)))


@cache
def load_profiles(path: Path = PROFILES_FILE) -> ProfileSet:
    """The profiles shipped with Lantern (or at `path`), parsed and checked once per process."""
    with path.open(encoding="utf-8") as handle:
        return parse_profiles(yaml.safe_load(handle))


def get_profile(profile_id: str) -> Profile:
    return load_profiles().get(profile_id)
