"""The public pages' texts and helplines are data: every language has every page and every key."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from lantern.public import texts
from lantern.public.selfcheck import ANSWERS, QUESTIONS


def _english() -> Any:
    return texts.load_language(texts.REFERENCE_LANGUAGE)


def test_there_are_eight_languages_two_of_them_right_to_left() -> None:
    assert len(texts.LANGUAGES) == 8
    assert {lang for lang in texts.LANGUAGES if texts.direction_of(lang) == "rtl"} == {"ar", "fa"}
    assert sorted(p.stem for p in texts.CONTENT_DIR.glob("*.yaml") if p.stem != "helplines") == sorted(
        texts.LANGUAGES
    )


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_every_language_has_every_page_and_key(lang: str) -> None:
    assert texts.language_problems(lang, texts.load_language(lang), _english()) == []


@pytest.mark.parametrize("lang", [lang for lang in texts.LANGUAGES if lang != "en"])
def test_translations_are_marked_as_not_yet_reviewed(lang: str) -> None:
    # None has been checked by a native speaker yet; flip a file to "reviewed" only after such a review.
    assert texts.load_language(lang)["status"] == "machine-or-draft"


def test_the_self_check_questions_and_answers_are_those_of_the_engine() -> None:
    check = _english()["check"]
    assert list(check["questions"]) == list(QUESTIONS)
    assert list(check["answers"]) == list(ANSWERS)


def test_a_missing_key_a_lost_placeholder_and_a_web_address_are_reported() -> None:
    broken = copy.deepcopy(dict(texts.load_language("fr")))
    del broken["check"]["questions"]["debt"]
    broken["rights"]["facts"]["recovery_days"] = "Au moins trente jours."
    broken["help"]["intro"] = "Voir https://example.org"
    problems = "\n".join(texts.language_problems("fr", broken, _english()))
    assert "check.questions.debt" in problems
    assert "rights.facts.recovery_days must use the placeholders ['days']" in problems
    assert "help.intro contains a web address" in problems


def test_a_wrong_direction_is_reported() -> None:
    broken = {**texts.load_language("ar"), "direction": "ltr"}
    assert any("direction" in p for p in texts.language_problems("ar", broken, _english()))


def test_the_helplines_file_is_valid_and_every_country_lists_112() -> None:
    raw = yaml.safe_load(texts.HELPLINES_PATH.read_text(encoding="utf-8"))
    assert texts.helpline_problems(raw) == []
    for country, lines in texts.load_helplines().items():
        assert any(line["number"] == "112" for line in lines), country


def test_placeholder_helplines_are_not_callable_and_real_ones_must_be() -> None:
    raw = yaml.safe_load(texts.HELPLINES_PATH.read_text(encoding="utf-8"))
    raw["countries"]["other"][1]["dial"] = "0000000000"
    raw["countries"]["GB"][2]["dial"] = ""
    raw["countries"]["GR"] = [
        {"kind": "support", "name": "x", "number": "1", "dial": "1", "status": "verified"}
    ]
    problems = "\n".join(texts.helpline_problems(raw))
    assert "an example number must not be callable" in problems
    assert "`dial` must be digits" in problems
    assert "helplines, GR: list the EU emergency number 112" in problems
    assert "needs a name, a number and a source" in problems


def test_every_country_of_the_helplines_is_named_in_every_language() -> None:
    for lang in texts.LANGUAGES:
        assert set(texts.load_language(lang)["countries"]) == set(texts.load_helplines())
