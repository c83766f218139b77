"""The content files: schema, substance, and agreement of every practice case with the screening engine."""

from __future__ import annotations

import re

import pytest

from lantern.accounts.roles import Role
from lantern.screening import selectors as screening_selectors
from lantern.screening.engine import OUTCOMES
from lantern.screening.services import score_answers
from lantern.training import content

REQUIRED_MODULES = {
    "what-is-trafficking",
    "signs-at-reception",
    "trauma-informed-interviewing",
    "national-referral-mechanism",
    "rights-in-proceedings",
    "children",
}


def test_content_files_have_no_schema_problems() -> None:
    found = content.problems(
        indicator_ids=screening_selectors.all_indicator_ids(),
        roles=frozenset(r.value for r in Role),
        outcomes=frozenset(OUTCOMES),
    )
    assert found == []


def test_the_six_required_modules_exist_in_english_with_substance() -> None:
    assert REQUIRED_MODULES <= set(content.modules())
    for module_id in REQUIRED_MODULES:
        module = content.modules()[module_id]["en"]
        words = len(re.findall(r"\w+", module.body))
        assert 600 <= words <= 1300, f"{module_id}: {words} words"
        assert len(content.questions(module_id)) >= 5


def test_module_ids_are_unique_and_ordered() -> None:
    ids = content.module_ids()
    assert len(ids) == len(set(ids))
    assert ids[0] == "what-is-trafficking"


def test_question_ids_are_unique_across_all_banks() -> None:
    ids = [qid for module_id in content.modules() for qid in content.questions(module_id)]
    assert len(ids) == len(set(ids))


def test_markdown_is_rendered_with_raw_html_disabled() -> None:
    module = content.Module(
        id="x", title="x", audience=("screener",), language="en", version=1, minutes=1, order=1,
        pass_mark=80, body="## Heading\n\n<script>alert(1)</script>\n\n- item",
    )  # fmt: skip
    html = module.html()
    assert "<h2>Heading</h2>" in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_a_missing_translation_falls_back_to_english_and_says_so() -> None:
    module, translated = content.module("children", "el")
    assert module.language == "en"
    assert translated is False
    assert content.module("children", "en")[1] is True


def test_unknown_module_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        content.module("no-such-module", "en")


def test_practice_cases_cover_adults_children_both_forms_and_non_trafficking() -> None:
    cases = [versions["en"] for versions in content.practice_cases().values()]
    assert len(cases) >= 8
    assert {c.population for c in cases} == {"adult", "child"}
    assert {"labour", "sexual"} <= {c.exploitation for c in cases}
    assert sum(c.expected_outcome != "presumed-victim" for c in cases) >= 2
    for case in cases:
        assert set(case.notes) == set(screening_selectors.catalogue().dimensions), case.id


@pytest.mark.django_db
@pytest.mark.parametrize("case_id", sorted(content.practice_cases()))
def test_expert_outcome_is_what_the_screening_engine_says(case_id: str) -> None:
    case = content.practice_cases()[case_id]["en"]
    assert set(case.expert_indicators) <= screening_selectors.population_indicator_ids(case.population)
    scored = score_answers(population=case.population, answers=dict.fromkeys(case.expert_indicators, "yes"))
    assert scored["outcome"] == case.expected_outcome
