"""Quizzes: scoring and pass/fail, shuffled attempts stored server-side, tampered and replayed submissions."""

from __future__ import annotations

import random
from typing import Any

import pytest

from lantern.accounts.roles import Role
from lantern.training import content, quiz, services
from lantern.training.models import Certificate, QuizAttempt

MODULE = "what-is-trafficking"


def right_answers(attempt: QuizAttempt) -> dict[str, list[str]]:
    bank = content.questions(attempt.module_id)
    return {q: sorted(bank[q].correct_ids) for q in attempt.question_ids}


def wrong_answer(question: content.Question) -> list[str]:
    return [next(o.id for o in question.options if not o.correct)]


def test_a_question_is_right_only_with_exactly_its_correct_options() -> None:
    bank = content.questions(MODULE)
    multiple = next(q for q in bank.values() if q.kind == "multiple")
    layout = [{"id": multiple.id, "options": [o.id for o in multiple.options]}]
    all_right = quiz.mark(bank, layout, {multiple.id: sorted(multiple.correct_ids)})
    one_missing = quiz.mark(bank, layout, {multiple.id: sorted(multiple.correct_ids)[1:]})
    one_extra = quiz.mark(bank, layout, {multiple.id: [o.id for o in multiple.options]})
    assert [m.right for m in all_right + one_missing + one_extra] == [True, False, False]


def test_score_is_the_share_of_right_questions_and_the_pass_mark_decides() -> None:
    bank = content.questions(MODULE)
    layout = quiz.draw(bank, random.Random(1))
    answers = {e["id"]: sorted(bank[e["id"]].correct_ids) for e in layout}
    answers[layout[0]["id"]] = wrong_answer(bank[layout[0]["id"]])
    marked = quiz.mark(bank, layout, answers)
    percent = quiz.percent_right(marked)
    assert percent == (len(layout) - 1) * 100 // len(layout)
    assert quiz.passes(percent, 80) is (percent >= 80)
    assert quiz.passes(80, 80) and not quiz.passes(79, 80)


def test_draw_shuffles_questions_and_options_but_keeps_them_all() -> None:
    bank = content.questions(MODULE)
    orders = {tuple(e["id"] for e in quiz.draw(bank, random.Random(seed))) for seed in range(5)}
    assert len(orders) > 1
    layout = quiz.draw(bank, random.Random(3))
    assert {e["id"] for e in layout} == set(bank)
    for entry in layout:
        assert sorted(entry["options"]) == sorted(o.id for o in bank[entry["id"]].options)


@pytest.mark.django_db
def test_passing_attempt_is_scored_and_gets_a_certificate(personas: Any) -> None:
    lawyer = personas.own[Role.LAWYER]
    attempt = services.start_attempt(actor=lawyer, module_id=MODULE, language="en")
    attempt, certificate = services.submit_attempt(
        actor=lawyer, attempt_id=attempt.pk, module_id=MODULE, answers=right_answers(attempt)
    )
    assert attempt.score_percent == 100 and attempt.passed is True
    assert certificate is not None and certificate.user == lawyer and certificate.module_id == MODULE


@pytest.mark.django_db
def test_failing_attempt_is_stored_without_certificate_and_a_retry_is_allowed(personas: Any) -> None:
    screener = personas.own[Role.SCREENER]
    attempt = services.start_attempt(actor=screener, module_id=MODULE, language="en")
    bank = content.questions(MODULE)
    answers = {q: wrong_answer(bank[q]) for q in attempt.question_ids}
    attempt, certificate = services.submit_attempt(
        actor=screener, attempt_id=attempt.pk, module_id=MODULE, answers=answers
    )
    assert attempt.passed is False and attempt.score_percent == 0 and certificate is None
    retry = services.start_attempt(actor=screener, module_id=MODULE, language="en")
    _retry, certificate = services.submit_attempt(
        actor=screener, attempt_id=retry.pk, module_id=MODULE, answers=right_answers(retry)
    )
    assert certificate is not None


@pytest.mark.django_db
def test_replayed_submission_is_refused_and_changes_nothing(personas: Any) -> None:
    screener = personas.own[Role.SCREENER]
    attempt = services.start_attempt(actor=screener, module_id=MODULE, language="en")
    bank = content.questions(MODULE)
    services.submit_attempt(
        actor=screener,
        attempt_id=attempt.pk,
        module_id=MODULE,
        answers={q: wrong_answer(bank[q]) for q in attempt.question_ids},
    )
    with pytest.raises(services.SubmissionRefused, match="already submitted"):
        services.submit_attempt(
            actor=screener, attempt_id=attempt.pk, module_id=MODULE, answers=right_answers(attempt)
        )
    attempt.refresh_from_db()
    assert attempt.passed is False
    assert not Certificate.objects.filter(user=screener).exists()


@pytest.mark.django_db
def test_answers_for_another_module_are_refused_and_nothing_is_stored(personas: Any) -> None:
    screener = personas.own[Role.SCREENER]
    attempt = services.start_attempt(actor=screener, module_id=MODULE, language="en")
    with pytest.raises(services.SubmissionRefused, match="another module"):
        services.submit_attempt(
            actor=screener, attempt_id=attempt.pk, module_id="children", answers=right_answers(attempt)
        )
    other_bank = content.questions("children")
    foreign = {q: sorted(other_bank[q].correct_ids) for q in other_bank}
    with pytest.raises(services.SubmissionRefused, match="do not match"):
        services.submit_attempt(actor=screener, attempt_id=attempt.pk, module_id=MODULE, answers=foreign)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.answers == {}
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_someone_elses_attempt_cannot_be_submitted(personas: Any) -> None:
    from lantern.authz.gate import NotVisible

    attempt = services.start_attempt(actor=personas.own[Role.SCREENER], module_id=MODULE, language="en")
    with pytest.raises(NotVisible):
        services.submit_attempt(
            actor=personas.own[Role.CASE_WORKER],
            attempt_id=attempt.pk,
            module_id=MODULE,
            answers=right_answers(attempt),
        )
