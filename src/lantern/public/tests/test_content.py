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
    assert sorted(
        p.stem for p in texts.CONTENT_DIR.glob("*.yaml") if p.stem not in ("helplines", "sources")
    ) == sorted(texts.LANGUAGES)


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
    assert "fr: check.questions.debt: Field required" in problems
    assert "fr: rights.facts.recovery_days: must use the placeholders ['days']" in problems
    assert "fr: help.intro: contains a web address" in problems


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
    raw["countries"]["GR"][2]["dial"] = "1 97"
    problems = "\n".join(texts.helpline_problems(raw))
    assert "helplines: countries.other.1: an example number must not be callable" in problems
    assert "helplines: countries.GB.2: `dial` must be digits" in problems
    assert "helplines: countries.GR.2: `dial` must be digits" in problems


def test_a_country_without_112_and_a_helpline_without_source_or_date_are_reported() -> None:
    raw = yaml.safe_load(texts.HELPLINES_PATH.read_text(encoding="utf-8"))
    raw["countries"]["GR"] = [
        {"kind": "support", "name": "x", "number": "197", "dial": "197", "status": "verified"}
    ]
    problems = "\n".join(texts.helpline_problems(raw))
    assert "helplines: countries.GR.0.source: Field required" in problems
    assert "helplines: countries.GR.0.checked: Field required" in problems
    raw["countries"]["GR"][0].update(source="x", checked="2026-11")
    assert texts.helpline_problems(raw) == ["helplines: countries: GR: list the EU emergency number 112"]


def test_a_helpline_date_must_be_a_year_and_month() -> None:
    raw = yaml.safe_load(texts.HELPLINES_PATH.read_text(encoding="utf-8"))
    raw["countries"]["GB"][0]["checked"] = "last year"
    assert texts.helpline_problems(raw)[0].startswith("helplines: countries.GB.0.checked:")


def test_helplines_checked_more_than_twelve_months_ago_are_listed_as_stale() -> None:
    import datetime as dt

    assert texts.stale_helplines(dt.date(2027, 11, 30)) == []
    stale = texts.stale_helplines(dt.date(2027, 12, 1))
    assert ("GB", "999") in [(country, line.number) for country, line in stale]
    assert len(stale) == sum(len(lines) for lines in texts.load_helplines().values())


def test_every_legal_statement_of_the_rights_page_names_its_source() -> None:
    raw = yaml.safe_load(texts.SOURCES_PATH.read_text(encoding="utf-8"))
    assert texts.source_problems(raw, _english()) == []
    assert "rights.sections.non_punishment.body" in texts.legal_statement_keys(_english())


def test_a_statement_without_a_source_or_with_a_vague_one_is_reported() -> None:
    raw = yaml.safe_load(texts.SOURCES_PATH.read_text(encoding="utf-8"))
    del raw["sources"]["rights.sections.legal_aid.body"]
    assert texts.source_problems(raw, _english()) == [
        "sources.yaml: sources: every legal statement needs a source: "
        "missing ['rights.sections.legal_aid.body'], unknown keys []"
    ]
    raw["sources"]["rights.sections.legal_aid.body"] = ["the Convention"]
    (problem,) = texts.source_problems(raw, _english())
    assert problem.startswith("sources.yaml: sources.rights.sections.legal_aid.body.0: a source names")


def test_a_new_fact_in_english_needs_a_source() -> None:
    english = copy.deepcopy(dict(_english()))
    english["rights"]["facts"]["new_right"] = "You may now do this."
    raw = yaml.safe_load(texts.SOURCES_PATH.read_text(encoding="utf-8"))
    assert "rights.facts.new_right" in texts.source_problems(raw, english)[0]


def test_every_country_of_the_helplines_is_named_in_every_language() -> None:
    for lang in texts.LANGUAGES:
        assert set(texts.load_language(lang)["countries"]) == set(texts.load_helplines())
