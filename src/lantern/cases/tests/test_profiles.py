"""The profiles file is a usable, lawful stage machine; a broken edit is refused with a clear message."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from lantern.cases.procedure.profiles import PROFILES_FILE, ProfileError, load_profiles, parse_profiles

SHARED_REFERENCE = Path("/work/shared/reference/nrm-profiles.yaml")


def raw() -> dict:
    return yaml.safe_load(PROFILES_FILE.read_text(encoding="utf-8"))


def test_the_shipped_profiles_load() -> None:
    profiles = load_profiles()
    assert {"coe-generic", "uk-style", "greece-style"} <= set(profiles.profiles)
    assert "forced_begging" in profiles.exploitation_forms


def test_every_profile_keeps_a_recovery_period_of_at_least_30_days() -> None:
    for profile in load_profiles().profiles.values():
        assert profile.recovery_stage.min_days >= 30


def test_uk_style_has_a_five_working_day_reasonable_grounds_target_counted_from_referral() -> None:
    stage = load_profiles().get("uk-style").stage("reasonable_grounds")
    assert stage.target_working_days == 5 and stage.clock_starts == "referred"
    assert (
        load_profiles().get("uk-style").stage("conclusive_grounds").not_before_stage_end == "recovery_period"
    )


def test_greece_style_reflection_is_ninety_days_and_marked_for_checking() -> None:
    profile = load_profiles().get("greece-style")
    assert profile.check and profile.stage("reflection_period").min_days == 90
    assert profile.stage("reflection_period").check


def test_children_need_no_consent_for_referral_in_every_shipped_profile() -> None:
    for profile in load_profiles().profiles.values():
        assert profile.consent_required(child=False) and not profile.consent_required(child=True)


def test_default_profile_by_country() -> None:
    profiles = load_profiles()
    assert profiles.for_country("GB").id == "uk-style"
    assert profiles.for_country("gr").id == "greece-style"
    assert profiles.for_country("FR").id == "coe-generic"


@pytest.mark.skipif(not SHARED_REFERENCE.exists(), reason="shared reference not on this machine")
def test_copy_keeps_every_stage_and_rule_of_the_shared_reference() -> None:
    reference = yaml.safe_load(SHARED_REFERENCE.read_text(encoding="utf-8"))
    ours = raw()
    assert ours["exploitation_forms"] == reference["exploitation_forms"]
    for pid, body in reference["profiles"].items():
        mine = ours["profiles"][pid]
        assert mine["consent_required_for_referral"] == body["consent_required_for_referral"]
        for stage in body["stages"]:
            copy_of = next(s for s in mine["stages"] if s["id"] == stage["id"])
            assert {k: v for k, v in copy_of.items() if k in stage} == stage


def test_a_recovery_period_shorter_than_30_days_is_refused() -> None:
    data = raw()
    stages = data["profiles"]["coe-generic"]["stages"]
    next(s for s in stages if s["id"] == "recovery_reflection")["min_days"] = 20
    with pytest.raises(ProfileError, match="at least 30 days"):
        parse_profiles(data)


def test_a_transition_to_an_unknown_stage_is_refused() -> None:
    data = raw()
    data["profiles"]["uk-style"]["transitions"].append(["identified", "nowhere", "case_worker"])
    with pytest.raises(ProfileError, match="unknown stage 'nowhere'"):
        parse_profiles(data)


def test_a_decision_stage_needs_both_outcomes() -> None:
    data = raw()
    transitions = data["profiles"]["uk-style"]["transitions"]
    transitions.remove(["conclusive_grounds", "conclusive_grounds_negative", "decision", "negative"])
    with pytest.raises(ProfileError, match="positive and one negative"):
        parse_profiles(data)


def test_a_decision_stage_cannot_be_left_by_a_plain_stage_change() -> None:
    data = copy.deepcopy(raw())
    data["profiles"]["coe-generic"]["transitions"].append(["reasonable_grounds", "support", "case_worker"])
    with pytest.raises(ProfileError, match="left only by a decision"):
        parse_profiles(data)


def test_unknown_stage_keys_are_refused() -> None:
    data = raw()
    data["profiles"]["coe-generic"]["stages"][0]["mindays"] = 3
    with pytest.raises(ProfileError, match=r"profiles\.coe-generic\.stages\.0\.mindays: Extra inputs"):
        parse_profiles(data)


def test_a_profile_without_sources_is_refused() -> None:
    data = raw()
    del data["profiles"]["uk-style"]["sources"]
    with pytest.raises(ProfileError, match=r"profiles\.uk-style\.sources: Field required"):
        parse_profiles(data)


def test_a_period_without_a_source_is_refused() -> None:
    data = raw()
    stage = next(s for s in data["profiles"]["uk-style"]["stages"] if s["id"] == "recovery_period")
    del stage["sources"]
    with pytest.raises(
        ProfileError, match=r"uk-style\.stages\.5: a stage with a period .* list its `sources`"
    ):
        parse_profiles(data)


def test_a_vague_source_is_refused() -> None:
    data = raw()
    data["profiles"]["greece-style"]["notes"][0]["sources"] = ["the law"]
    with pytest.raises(
        ProfileError, match=r"greece-style\.notes\.0\.sources\.0: a source names the instrument"
    ):
        parse_profiles(data)


def test_every_legal_statement_of_the_shipped_profiles_is_sourced() -> None:
    for profile in load_profiles().profiles.values():
        assert profile.sources, profile.id
        for stage in profile.stages:
            if stage.min_days or stage.target_working_days or stage.child_extension_days or stage.notes:
                assert stage.sources, (profile.id, stage.id)
        assert all(note.sources for note in profile.notes)


def test_greek_reflection_period_is_three_months_plus_two_for_a_minor_under_the_migration_code() -> None:
    stage = load_profiles().get("greece-style").stage("reflection_period")
    assert stage.min_days == 90 and stage.child_extension_days == 60
    assert any("Law 5038/2023" in source and "135" in source for source in stage.sources)
    assert any("third-country nationals" in note for note in stage.notes)


def test_greek_formal_identification_needs_two_specialists_and_not_cooperation() -> None:
    stage = load_profiles().get("greece-style").stage("formal_identification")
    note = " ".join(stage.notes)
    assert "Prosecutor of First Instance" in note and "two specialists" in note
    assert "whether or not the person cooperates" in note


def test_eu_profiles_say_what_directive_2024_1712_changes() -> None:
    for profile_id in ("coe-generic", "greece-style"):
        notes = load_profiles().get(profile_id).notes
        text = " ".join(n.text for n in notes)
        for words in (
            "Forced marriage",
            "surrogacy",
            "national focal point",
            "Knowingly using",
            "15 July 2026",
        ):
            assert words in text, (profile_id, words)
        assert sum(any("2024/1712" in s for s in n.sources) for n in notes) >= 6
