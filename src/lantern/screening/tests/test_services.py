"""The rules of a screening, through its services: consent, answers, age, scoring, pause, lock and version."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.authz.gate import Denied
from lantern.screening import services
from lantern.screening.models import AgeGroup, Answer, Screening, Status
from lantern.screening.tests.factories import ScreeningFactory, interviewing

pytestmark = pytest.mark.django_db

# Observed in the adult labour instrument: a recruitment dimension (strong + medium), exploitative
# conditions (strong + medium) and coercion at destination (two strong) — the three the adult rule needs.
PRESUMED_VICTIM = {
    "dr.nature_of_job": "yes",
    "dr.wages": "yes",
    "ex.excessive_hours": "yes",
    "ex.low_no_pay": "yes",
    "cd.documents_confiscated": "yes",
    "cd.debt_bondage": "yes",
}


@pytest.fixture
def screener(personas: Any) -> Any:
    return personas.own[Role.SCREENER]


@pytest.fixture
def colleague(personas: Any) -> Any:
    return personas.own[Role.CASE_WORKER]


def test_a_screening_can_start_anonymously_in_the_screeners_organisation(screener: Any) -> None:
    screening = services.start_screening(actor=screener)
    assert screening.person_reference == ""
    assert screening.organisation_id == screener.organisation_id
    assert screening.status == Status.SETTING
    assert screening.lock_holder() == screener


@pytest.mark.parametrize(
    "role", [Role.STATISTICS_VIEWER, Role.ORG_ADMIN, Role.SYSTEM_ADMIN, Role.LAWYER, Role.NRM_DECISION_MAKER]
)
def test_roles_that_do_not_interview_cannot_start_a_screening(personas: Any, role: str) -> None:
    with pytest.raises(Denied):
        services.start_screening(actor=personas.own[role])


def test_another_organisations_screener_cannot_change_a_screening(personas: Any, screener: Any) -> None:
    screening = ScreeningFactory(created_by=screener)
    with pytest.raises(Denied):
        services.record_first_signs(
            actor=personas.other[Role.SCREENER], screening=screening, version=1, signs=[]
        )


def test_the_setting_moves_the_screening_on_to_consent(screener: Any) -> None:
    screening = services.start_screening(actor=screener)
    screening = services.record_setting(
        actor=screener,
        screening=screening,
        version=screening.version,
        changes={
            "interview_language": "en",
            "screener_language": "en",
            "gender_preference": "not_met",
            "gender_preference_unmet_reason": "No female interpreter today",
            "private_space": True,
        },
    )
    assert screening.status == Status.CONSENT
    assert (
        Screening.objects.get(pk=screening.pk).gender_preference_unmet_reason == "No female interpreter today"
    )


def test_refused_consent_stops_the_interview_and_leaves_only_the_first_signs(screener: Any) -> None:
    screening = ScreeningFactory(created_by=screener)
    screening = services.record_consent(actor=screener, screening=screening, version=1, given=False)
    assert screening.status == Status.STOPPED_NO_CONSENT
    with pytest.raises(services.StepNotAvailable):
        services.record_answers(
            actor=screener, screening=screening, version=screening.version, answers={"dr.wages": "yes"}
        )
    with pytest.raises(services.StepNotAvailable):
        services.record_age(actor=screener, screening=screening, version=screening.version, age_group="adult")
    with pytest.raises(services.StepNotAvailable):
        services.complete(actor=screener, screening=screening, version=screening.version)
    sign = services.selectors.first_sign_ids()[0]
    screening = services.record_first_signs(
        actor=screener, screening=screening, version=screening.version, signs=[sign]
    )
    assert screening.first_signs == [sign]


def test_consent_refused_at_first_can_be_given_later(screener: Any) -> None:
    screening = ScreeningFactory(created_by=screener)
    screening = services.record_consent(actor=screener, screening=screening, version=1, given=False)
    screening = services.record_consent(actor=screener, screening=screening, version=2, given=True)
    assert screening.status == Status.INTERVIEW and screening.consent_at is not None


def test_declined_is_recorded_as_prefers_not_to_say_and_never_counted_as_no(screener: Any) -> None:
    screening = interviewing(screener)
    screening = services.record_answers(
        actor=screener,
        screening=screening,
        version=screening.version,
        answers={**PRESUMED_VICTIM, "cd.debt_bondage": "declined", "cd.isolation": "no"},
    )
    assert screening.answers["cd.debt_bondage"] == Answer.DECLINED
    result = services.score_answers(population="adult", answers=screening.answers)
    assert "cd.debt_bondage" in result["declined"]
    assert "cd.debt_bondage" not in result["observed"]
    assert "cd.isolation" not in result["declined"]


def test_only_yes_counts_as_an_observed_indicator(screener: Any) -> None:
    answers = {"dr.nature_of_job": "unsure", "dr.wages": "declined", "ex.low_no_pay": "no"}
    result = services.score_answers(population="adult", answers=answers)
    assert result["observed"] == []
    assert result["outcome"] == "no-indicators"
    assert result["unsure"] == ["dr.nature_of_job"]


def test_completion_scores_both_instruments_of_the_population_and_keeps_the_most_serious(
    screener: Any,
) -> None:
    screening = interviewing(screener, answers=PRESUMED_VICTIM)
    screening = services.complete(actor=screener, screening=screening, version=screening.version)
    assert screening.status == Status.COMPLETED
    assert set(screening.result["instruments"]) == {"ilo-adult-labour", "ilo-adult-sexual"}
    assert screening.result["instruments"]["ilo-adult-labour"]["outcome"] == "presumed-victim"
    assert screening.outcome == "presumed-victim"
    assert screening.lock_holder() is None
    with pytest.raises(services.StepNotAvailable):
        services.record_answers(actor=screener, screening=screening, version=screening.version, answers={})


@pytest.mark.parametrize("age_group", [AgeGroup.UNDER_18, AgeGroup.APPEARS_MINOR])
def test_presumption_of_minority_selects_the_child_instruments(screener: Any, age_group: str) -> None:
    screening = interviewing(screener, age_group=age_group, answers=PRESUMED_VICTIM)
    screening = services.complete(actor=screener, screening=screening, version=screening.version)
    assert set(screening.result["instruments"]) == {"ilo-child-labour", "ilo-child-sexual"}
    assert screening.result["population"] == "child"


def test_recording_a_possible_minor_switches_child_friendly_mode_on(screener: Any) -> None:
    screening = interviewing(screener, age_group="")
    screening = services.record_age(
        actor=screener, screening=screening, version=screening.version, age_group=AgeGroup.APPEARS_MINOR
    )
    assert screening.child_friendly is True


def test_an_unknown_age_with_a_sign_of_minority_counts_as_a_child_unless_recorded_adult(
    screener: Any,
) -> None:
    minor_signs = [
        s["id"] if isinstance(s, dict) else s.id
        for s in services.selectors.first_signs()
        if (s.get("effect") if isinstance(s, dict) else getattr(s, "effect", None)) == "presumed_minor"
    ]
    if not minor_signs:
        pytest.skip("no first sign carries the presumed_minor effect")
    assert services.population_of(Screening(age_group=AgeGroup.UNKNOWN, first_signs=minor_signs)) == "child"
    assert services.population_of(Screening(age_group="", first_signs=minor_signs)) == "child"
    assert services.population_of(Screening(age_group=AgeGroup.ADULT, first_signs=minor_signs)) == "adult"
    assert services.population_of(Screening(age_group=AgeGroup.UNKNOWN, first_signs=[])) == "adult"


def test_completion_needs_the_age(screener: Any) -> None:
    screening = interviewing(screener, age_group="")
    with pytest.raises(services.StepNotAvailable):
        services.complete(actor=screener, screening=screening, version=screening.version)


def test_an_adult_instrument_is_refused_for_a_person_under_18(screener: Any) -> None:
    screening = interviewing(screener, age_group=AgeGroup.UNDER_18)
    with pytest.raises(services.InvalidInput, match="ilo-child-labour"):
        services.complete(
            actor=screener,
            screening=screening,
            version=screening.version,
            instrument_ids=["ilo-adult-labour"],
        )


def test_unknown_indicators_and_answers_are_refused_naming_what_is_valid(screener: Any) -> None:
    screening = interviewing(screener)
    with pytest.raises(services.InvalidInput, match="xx.nonsense") as unknown:
        services.record_answers(
            actor=screener, screening=screening, version=1, answers={"xx.nonsense": "yes"}
        )
    assert "dr.wages" in str(unknown.value)
    with pytest.raises(services.InvalidInput, match="declined"):
        services.record_answers(actor=screener, screening=screening, version=1, answers={"dr.wages": "maybe"})
    assert Screening.objects.get(pk=screening.pk).answers == {}


def test_a_theme_page_replaces_the_answers_of_its_theme_only(screener: Any) -> None:
    theme_id, theme_ids = services.selectors.themes_for("adult")[0]
    other = next(i for i in services.selectors.population_indicator_ids("adult") if i not in theme_ids)
    screening = interviewing(screener, answers={theme_ids[0]: "yes", other: "no"})
    screening = services.record_answers(
        actor=screener, screening=screening, version=screening.version, answers={}, theme=theme_id
    )
    assert screening.answers == {other: "no"}  # the blank question is now "not asked"
    assert screening.themes_saved == [theme_id]


def test_a_stale_version_is_a_conflict_and_changes_nothing(screener: Any) -> None:
    screening = interviewing(screener)
    services.record_answers(actor=screener, screening=screening, version=1, answers={"dr.wages": "yes"})
    with pytest.raises(services.VersionConflict) as conflict:
        services.record_answers(actor=screener, screening=screening, version=1, answers={"dr.wages": "no"})
    assert conflict.value.current.version == 2
    assert Screening.objects.get(pk=screening.pk).answers == {"dr.wages": "yes"}


def test_a_colleagues_lock_refuses_a_save_and_says_who_and_since_when(screener: Any, colleague: Any) -> None:
    screening = services.start_screening(actor=screener)
    with pytest.raises(services.ScreeningLocked) as locked:
        services.record_first_signs(actor=colleague, screening=screening, version=1, signs=[])
    since = timezone.localtime(screening.locked_at).strftime("%H:%M")
    name = screener.get_full_name()
    assert str(locked.value) == (
        f"{name} is editing this screening since {since}; you can view it, or take over."
    )
    with pytest.raises(services.ScreeningLocked):
        services.resume(actor=colleague, screening=screening)


def test_taking_over_moves_the_lock_without_changing_the_version(screener: Any, colleague: Any) -> None:
    screening = services.start_screening(actor=screener)
    taken = services.resume(actor=colleague, screening=screening, take_over=True)
    assert taken.lock_holder() == colleague and taken.version == 1
    with pytest.raises(services.ScreeningLocked):
        services.record_first_signs(actor=screener, screening=taken, version=1, signs=[])


def test_an_expired_lock_does_not_block_a_colleague(screener: Any, colleague: Any) -> None:
    screening = services.start_screening(actor=screener)
    Screening.objects.filter(pk=screening.pk).update(lock_expires_at=timezone.now() - timedelta(minutes=1))
    saved = services.record_first_signs(actor=colleague, screening=screening, version=1, signs=[])
    assert saved.lock_holder() == colleague


def test_pause_releases_the_lock_and_resume_takes_it_again(screener: Any, colleague: Any) -> None:
    screening = services.start_screening(actor=screener)
    paused = services.save_and_pause(actor=screener, screening=screening)
    assert paused.is_paused and paused.lock_holder() is None
    resumed = services.resume(actor=colleague, screening=paused)
    assert not resumed.is_paused and resumed.lock_holder() == colleague
    assert resumed.version == screening.version  # a form opened before the pause is still valid
