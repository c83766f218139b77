"""What a country's NRM profile means for a person, as keys of the `rights.facts` texts.

Pure Python (no Django). The periods and steps come from the NRM country profiles loaded by
`lantern.cases.procedure.profiles` (never re-parsed here), so the public pages say what the case workflow
enforces.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lantern.cases.procedure.profiles import Profile, ProfileSet


@dataclass(frozen=True)
class Fact:
    key: str  # a key of `rights.facts` in content/<lang>.yaml
    params: dict[str, int] = field(default_factory=dict)


def profile_for_country(profiles: ProfileSet, country: str) -> Profile:
    """The profile organisations in `country` use by default (`other`: the Council of Europe minimum)."""
    return profiles.for_country("" if country == "other" else country)


def procedure_facts(profile: Profile) -> list[Fact]:
    """The facts about the procedure in this profile that a person should know, in reading order."""
    recovery = profile.recovery_stage
    facts = [Fact("recovery_days", {"days": int(recovery.min_days or 0)})]
    if recovery.child_extension_days:
        facts.append(Fact("child_extension", {"days": recovery.child_extension_days}))
    if recovery.check or profile.check:
        facts.append(Fact("to_be_confirmed"))
    first_decision = next((s for s in profile.stages if s.is_decision and s.track == "main"), None)
    if first_decision is not None and first_decision.target_working_days:
        facts.append(Fact("decision_target", {"days": first_decision.target_working_days}))
    if any(s.not_before_stage_end == recovery.id for s in profile.stages):
        facts.append(Fact("after_recovery"))
    if profile.consent_required(child=False):
        facts.append(Fact("adult_consent"))
    if not profile.consent_required(child=True):
        facts.append(Fact("child_no_consent"))
    if profile.adult_declines_referral == "anonymous_notification":
        facts.append(Fact("anonymous_notification"))
    if profile.appeal or any(s.track == "appeal" for s in profile.stages):
        facts.append(Fact("appeal"))
    return facts
