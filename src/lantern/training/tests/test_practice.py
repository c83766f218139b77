"""Practice cases graded against the expert answer through the real screening engine."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.accounts.roles import Role
from lantern.screening import services as screening_services
from lantern.training import content, practice

pytestmark = pytest.mark.django_db


def dimension(grade: practice.Grade, name: str) -> practice.DimensionFeedback:
    return next(d for d in grade.dimensions if d.dimension == name)


def test_partial_reading_gets_hits_misses_and_false_alarms_per_dimension() -> None:
    case = content.practice_cases()["elena-promised-waitressing"]["en"]
    chosen = {"dr.nature_of_job", "cd.documents_confiscated", "cd.isolation", "ex.excessive_hours"}
    grade = practice.grade(case, chosen, "presumed-victim")
    coercion = dimension(grade, "coercion_at_destination")
    assert coercion.hits == ("cd.documents_confiscated",)
    assert set(coercion.misses) == {"cd.debt_bondage", "cd.forced_tasks_clients"}
    assert coercion.false_alarms == ("cd.isolation",)
    # Two strong indicators make the dimension positive for the trainee too (the engine's rule).
    assert coercion.trainee_positive and coercion.expert_positive
    exploitation = dimension(grade, "exploitative_conditions")
    assert exploitation.hits == ("ex.excessive_hours",)
    assert not exploitation.trainee_positive and exploitation.expert_positive
    # The engine, given the trainee's indicators, does not reach the verdict the trainee chose.
    assert grade.engine_outcome == "further-assessment"
    assert grade.expert_outcome == "presumed-victim"
    assert grade.outcome_right and not grade.indicators_right
    assert coercion.note and "strong" in coercion.note


def test_the_expert_answer_agrees_with_itself() -> None:
    case = content.practice_cases()["viktor-building-site"]["en"]
    grade = practice.grade(case, case.expert_indicators, case.expected_outcome)
    assert grade.indicators_right and grade.outcome_right
    assert grade.engine_outcome == grade.expert_outcome == "further-assessment"


def test_calling_a_non_trafficking_case_trafficking_is_graded_wrong() -> None:
    case = content.practice_cases()["karim-crossing-paid"]["en"]
    grade = practice.grade(case, {"ar.irregular_status", "cr.debt_bondage"}, "presumed-victim")
    assert not grade.outcome_right and grade.expert_outcome == "no-indicators"
    recruitment = dimension(grade, "coercive_recruitment")
    assert recruitment.false_alarms == ("cr.debt_bondage",)


def test_grading_goes_through_the_screening_services_score_answers(monkeypatch: Any) -> None:
    calls = []
    real = screening_services.score_answers

    def spy(**kwargs: Any) -> Any:
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(practice, "score_answers", spy)
    case = content.practice_cases()["dani-delivering-packages"]["en"]
    practice.grade(case, {"cd.forced_illicit"}, "presumed-victim")
    assert [c["population"] for c in calls] == ["child", "child"]
    assert calls[0]["answers"] == {"cd.forced_illicit": "yes"}


def test_indicator_ids_outside_the_population_are_ignored() -> None:
    case = content.practice_cases()["mira-the-boyfriend"]["en"]
    grade = practice.grade(case, {"not.an.indicator"}, "no-indicators")
    assert all(not d.hits and not d.false_alarms for d in grade.dimensions)


def test_practice_page_grades_a_submission(personas: Any, login_client: Any) -> None:
    client = login_client(personas.own[Role.LAWYER])
    url = "/training/practice/elena-promised-waitressing/"
    page = client.get(url)
    assert page.status_code == 200 and b"Elena" in page.content
    response = client.post(
        url,
        {
            "dim_deceptive_recruitment": ["dr.nature_of_job"],
            "dim_coercion_at_destination": ["cd.documents_confiscated", "cd.debt_bondage"],
            "outcome": "no-indicators",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "How your reading compares" in text
    assert "The expert&#x27;s outcome:" in text or "The expert's outcome:" in text
    assert "Presumed victim: refer for identification" in text


def test_practice_page_without_an_outcome_shows_the_error(personas: Any, login_client: Any) -> None:
    client = login_client(personas.own[Role.SCREENER])
    response = client.post("/training/practice/karim-crossing-paid/", {})
    assert b"There is a problem" in response.content
    assert b"How your reading compares" not in response.content


def test_unknown_practice_case_is_404(personas: Any, login_client: Any) -> None:
    client = login_client(personas.own[Role.SCREENER])
    assert client.get("/training/practice/no-such-case/").status_code == 404


# The sexual-exploitation cases (issue #14): an adult, a child and a case that is not trafficking ------------


@pytest.mark.parametrize(
    ("case_id", "population", "outcome"),
    [
        ("joy-the-oath", "adult", "presumed-victim"),
        ("daria-the-modelling-offer", "child", "presumed-victim"),
        ("sara-assaulted-by-a-client", "adult", "no-indicators"),
    ],
)
def test_sexual_exploitation_cases_are_scored_by_the_engine_as_the_expert_says(
    case_id: str, population: str, outcome: str
) -> None:
    case = content.practice_cases()[case_id]["en"]
    assert case.exploitation == "sexual" and case.population == population
    scored = screening_services.score_answers(
        population=population, answers=dict.fromkeys(case.expert_indicators, "yes")
    )
    assert scored["outcome"] == case.expected_outcome == outcome
    grade = practice.grade(case, case.expert_indicators, outcome)
    assert grade.engine_outcome == grade.expert_outcome == outcome and grade.outcome_right


def test_calling_the_assaulted_sex_worker_trafficked_is_graded_wrong() -> None:
    case = content.practice_cases()["sara-assaulted-by-a-client"]["en"]
    grade = practice.grade(case, {"cd.violence"}, "presumed-victim")
    assert not grade.outcome_right and dimension(grade, "coercion_at_destination").false_alarms == (
        "cd.violence",
    )
