"""The self-check is a pure function of the answers and never gives a verdict."""

from __future__ import annotations

from lantern.public.selfcheck import NONE, SIGNS, UNSURE, assess, clean_answers


def test_one_yes_is_a_sign_that_help_may_be_needed() -> None:
    assert assess({"debt": "yes", "pay": "no"}).kind == SIGNS


def test_only_not_sure_answers_give_the_gentle_unsure_message() -> None:
    assert assess({"debt": "unsure", "pay": "no"}).kind == UNSURE


def test_no_answers_or_only_no_shows_no_usual_signs() -> None:
    assert assess({}).kind == NONE
    assert assess({"documents": "no", "threats": "no"}).kind == NONE


def test_being_hurt_or_threatened_puts_the_emergency_number_first() -> None:
    assert assess({"threats": "yes"}).danger is True
    assert assess({"threats": "unsure", "debt": "yes"}).danger is False


def test_unknown_questions_and_answers_are_ignored() -> None:
    assert clean_answers({"debt": "maybe", "name": "yes", "pay": "yes"}) == {"pay": "yes"}
    assert assess({"debt": "YES", "name": "yes"}).kind == NONE
