"""The content files: schema, substance, and agreement of every practice case with the screening engine."""

from __future__ import annotations

import re

import frontmatter
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
    "sexual-exploitation",
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
        # Up to 1,500 words (20 minutes' reading): the lawyers' module carries the case law and remedies.
        assert 600 <= words <= 1500, f"{module_id}: {words} words"
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


# Every section that states the law names its source (issue #14) --------------------------------------------


def _problems() -> list[str]:
    return content.problems(
        indicator_ids=screening_selectors.all_indicator_ids(),
        roles=frozenset(r.value for r in Role),
        outcomes=frozenset(OUTCOMES),
    )


def _with_module_text(monkeypatch: pytest.MonkeyPatch, tmp_path, name: str, text: str) -> None:
    for path in content.MODULES_DIR.iterdir():
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(content, "MODULES_DIR", tmp_path)


def test_a_new_section_without_a_source_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    path = content.MODULES_DIR / "children.en.md"
    text = path.read_text(encoding="utf-8") + "\n## Age assessment\n\nA child may refuse an X-ray.\n"
    _with_module_text(monkeypatch, tmp_path, path.name, text)
    assert _problems() == [
        "children.en.md: (top level): sections without `sources` (or listed in `no_legal_statement`): "
        "['Age assessment']"
    ]


def test_a_source_without_an_article_or_a_date_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    path = content.MODULES_DIR / "children.en.md"
    text = path.read_text(encoding="utf-8").replace(
        '"Privacy": ["CETS 197 art. 11(2)"]', '"Privacy": ["CETS 197"]'
    )
    _with_module_text(monkeypatch, tmp_path, path.name, text)
    (problem,) = _problems()
    assert problem.startswith(
        "children.en.md: sources.Privacy.0: a source names the instrument and the article"
    )


def test_no_section_that_cites_the_law_is_declared_free_of_legal_statements() -> None:
    cites_law = re.compile(r"\b(article|Directive|Convention|Act 20\d\d|Law \d+/\d+|Protocol)\b")
    for path in sorted(content.MODULES_DIR.glob("*.en.md")):
        post = frontmatter.load(path)
        bodies = re.split(r"^## .+$", post.content, flags=re.M)[1:]
        sections = dict(zip(content.section_headings(post.content), bodies, strict=True))
        for heading in post.metadata.get("no_legal_statement", []):
            assert not cites_law.search(sections[heading]), (path.name, heading)
        assert post.metadata["sources"], path.name


# Corrected statements (issue #14, Medium items 7 and 9) ---------------------------------------------------


def test_child_interviews_may_be_recorded_not_must() -> None:
    for module_id in ("children", "rights-in-proceedings"):
        body = content.modules()[module_id]["en"].body
        assert "video-recorded** so" not in body and "video-recorded so that the" not in body
        assert "may be" in body and "article 15(4)" in body


def test_the_child_modules_say_further_assessment_never_means_not_trafficked() -> None:
    for module_id in ("children", "what-is-trafficking"):
        body = " ".join(content.modules()[module_id]["en"].body.split())
        assert '"further assessment" never means "not trafficked"' in body, module_id
        assert "child instruments reflect this" not in body and "follow the first point" not in body
