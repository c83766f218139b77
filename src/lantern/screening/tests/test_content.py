"""The interview content (data/first-signs.yaml, data/i18n/*.yaml) against the catalogue. No Django needed:

    .venv/bin/python -m pytest -p no:django src/lantern/screening/tests/test_content.py

Every language file present is checked, so a translation added later is covered without editing this file.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from lantern.screening import content

SHARED_CATALOGUE = Path("/work/shared/reference/indicators-ilo-delphi.yaml")
CATALOGUE_PATH = content.CATALOGUE_PATH if content.CATALOGUE_PATH.exists() else SHARED_CATALOGUE


@pytest.fixture(scope="module")
def catalogue() -> dict:
    return yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def indicator_ids(catalogue) -> frozenset[str]:
    return frozenset(catalogue["indicators"])


@pytest.fixture(scope="module")
def dimension_ids(catalogue) -> frozenset[str]:
    return frozenset(catalogue["dimensions"])


@pytest.fixture(scope="module")
def sign_ids() -> list[str]:
    return content.first_sign_ids()


@pytest.fixture(scope="module")
def english() -> dict:
    return content.load_language("en")


LANGUAGES = content.available_languages()


def test_english_is_present_and_first():
    assert LANGUAGES and LANGUAGES[0] == "en"


def test_unknown_or_unsafe_language_code_is_refused():
    for code in ("xx", "../en", "en/../en", ""):
        with pytest.raises(KeyError):
            content.load_language(code)


# First signs ---------------------------------------------------------------------------------------------


def test_first_signs_are_valid(indicator_ids):
    signs = content.load_first_signs()
    assert 12 <= len(signs) <= 18
    assert content.validate_first_signs(signs, indicator_ids) == []


def test_every_suggested_indicator_is_in_the_catalogue(indicator_ids):
    for sign in content.load_first_signs():
        assert set(sign["suggests"]) <= indicator_ids, sign["id"]


def test_a_first_sign_presumes_minority():
    assert any(sign["effect"] == "presumed_minor" for sign in content.load_first_signs())


def test_first_signs_validation_catches_mistakes(indicator_ids):
    broken = [
        {"id": "fs.ok", "suggests": ["cd.isolation"], "effect": None},
        {"id": "fs.ok", "suggests": ["cd.no_such_indicator"], "effect": "adult"},
        {"id": "documents", "suggests": "cd.isolation", "effect": None},
    ]
    problems = content.validate_first_signs(broken, indicator_ids)
    assert any("used twice" in p for p in problems)
    assert any("cd.no_such_indicator" in p for p in problems)
    assert any(": effect: " in p for p in problems)
    assert any("starts with 'fs.'" in p for p in problems)
    assert "documents: suggests: Input should be a valid list" in problems
    assert "fs.ok: effect: Input should be 'presumed_minor'" in problems


# Every language -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_language_is_valid(code, indicator_ids, dimension_ids, sign_ids, english):
    data = content.load_language(code)
    problems = content.validate_language(
        data,
        indicator_ids,
        sign_ids,
        dimension_ids=dimension_ids,
        reference=None if code == "en" else english,
        code=code,
    )
    assert problems == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_indicator_has_a_question(code, indicator_ids):
    questions = content.load_language(code)["questions"]
    for indicator in sorted(indicator_ids):
        asked = questions.get(indicator) or []
        assert any(isinstance(q, str) and q.strip() for q in asked), indicator


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_first_sign_has_a_text(code, sign_ids):
    texts = content.load_language(code)["first_signs"]
    for sign_id in sign_ids:
        assert isinstance(texts.get(sign_id), str) and texts[sign_id].strip(), sign_id


@pytest.mark.parametrize("code", LANGUAGES)
def test_right_to_left_languages_say_so(code):
    data = content.load_language(code)
    expected = "rtl" if code.split("-")[0] in content.RTL_LANGUAGES else "ltr"
    assert data["direction"] == expected


@pytest.mark.parametrize("code", LANGUAGES)
def test_answers_keys_are_strings(code):
    # Unquoted yes/no keys become True/False in YAML and the answer buttons lose their labels.
    assert set(content.load_language(code)["answers"]) == set(content.ANSWERS)


# The English source: the writing rules that can be checked mechanically ------------------------------------


def test_each_indicator_sits_in_exactly_one_theme(english, indicator_ids):
    placed = [i for theme in english["themes"] for i in theme["indicators"]]
    assert sorted(placed) == sorted(indicator_ids)


def test_english_is_the_reviewed_source(english):
    assert english["status"] == "reviewed" and english["draft_entries"] == []


def test_english_questions_are_not_leading(english):
    forbidden = re.compile(r"\b(traffick\w*|victims?|exploit\w*|slaves?|smuggl\w*|trafficker)\b", re.I)
    for indicator, questions in english["questions"].items():
        for question in questions:
            assert not question.lower().startswith("why"), indicator
            assert not re.search(r"\bwhy did you\b", question, re.I), indicator
            assert not forbidden.search(question), (indicator, question)
            assert question.rstrip().endswith(("?", ".")), (indicator, question)


def test_english_questions_are_gender_neutral(english):
    gendered = re.compile(r"\b(he|she|him|her|his|hers|boyfriend|girlfriend|husband|wife)\b", re.I)
    for indicator, questions in english["questions"].items():
        for question in questions:
            assert not gendered.search(question), (indicator, question)


def test_outcome_summaries_are_not_verdicts(english):
    for outcome in content.OUTCOMES:
        assert "not a legal decision" in english["outcomes"][outcome]["summary"]
    assert "referred for formal identification" in english["outcomes"]["presumed-victim"]["summary"]


def test_next_steps_carry_the_essentials(english):
    for outcome in content.OUTCOMES:
        steps = " ".join(english["next_steps"][outcome])
        assert "immediate danger" in steps and "emergency number" in steps, outcome
    rights = " ".join(english["next_steps"]["presumed-victim"])
    for phrase in ("at least 30 days", "no removal", "legal aid", "compensation"):
        assert phrase in rights
    assert "National Referral Mechanism" in rights and "guardian" in rights and "best interests" in rights
    further = " ".join(english["next_steps"]["further-assessment"])
    assert "second interview" in further and "gender" in further and "story again" in further


def test_consent_script_covers_the_essentials(english):
    script = english["consent"]["script"]
    for phrase in ("your choice", "stop", "skip any question", "same help", "write down", "can see"):
        assert phrase in script


# The validator itself fails on broken content -------------------------------------------------------------


def test_validate_language_catches_a_broken_file(english, indicator_ids, dimension_ids, sign_ids):
    broken = copy.deepcopy(english)
    broken["direction"] = "sideways"
    broken["status"] = "final"
    del broken["consent"]
    broken["draft_entries"] = ["questions.dr.no_such_thing"]
    broken["answers"] = {True: "Yes", False: "No", "unsure": "Not sure", "declined": "Prefers not to say"}
    del broken["questions"]["dr.wages"]
    broken["questions"]["cd.isolation"] = []
    broken["questions"]["dr.housing"] = ["One?", "Two?", "Three?"]
    del broken["first_signs"]["fs.injuries"]
    del broken["indicators"]["ex.low_no_pay"]
    broken["outcomes"]["no-indicators"] = {"title": "No indicators found"}
    broken["next_steps"]["further-assessment"] = []
    first, second = broken["themes"][0], broken["themes"][1]
    first["indicators"].append("xx.not_in_catalogue")
    first["indicators"].append(second["indicators"][0])  # now in two themes
    moved = broken["themes"][-1]["indicators"].pop()  # now in none

    problems = content.validate_language(broken, indicator_ids, sign_ids, dimension_ids=dimension_ids)
    text = "\n".join(problems)
    for expected in (
        "direction:",
        "status:",
        "consent: Field required",
        "draft_entries: questions.dr.no_such_thing names no entry",
        "answers: a key is true/false",
        "quotes",
        "questions.dr.wages: Field required",
        "questions.cd.isolation: List should have at least 1 item",
        "questions.dr.housing: List should have at most 2 items",
        "first_signs.fs.injuries: Field required",
        "indicators.ex.low_no_pay: Field required",
        "outcomes.no-indicators.summary: Field required",
        "next_steps.further-assessment:",
        "xx.not_in_catalogue is not in the catalogue",
        f"themes.{second['id']}.indicators: {second['indicators'][0]} is already in themes.{first['id']}",
        f"themes: {moved} is in no theme",
    ):
        assert expected in text, expected


def test_validate_language_catches_a_translation_out_of_step(english, indicator_ids, sign_ids):
    translation = copy.deepcopy(english)
    translation["language"] = "ar"
    translation["themes"][0], translation["themes"][1] = translation["themes"][1], translation["themes"][0]
    translation["extra"] = "?"
    problems = content.validate_language(translation, indicator_ids, sign_ids, reference=english, code="fr")
    text = "\n".join(problems)
    assert "same order" in text
    assert "fr.yaml: extra: Extra inputs are not permitted" in text
    assert "use rtl" in text
    assert "but the file is for 'fr'" in text


def test_validate_language_refuses_what_is_not_a_mapping(indicator_ids, sign_ids):
    assert content.validate_language(["en"], indicator_ids, sign_ids)
    assert content.validate_language({}, indicator_ids, sign_ids)


def test_draft_entries_may_name_nested_and_dotted_entries(english, indicator_ids, sign_ids):
    data = copy.deepcopy(english)
    data["draft_entries"] = [
        "questions.dr.wages",
        "themes.journey",
        "themes.journey.intro",
        "outcomes.presumed-victim.summary",
        "consent.script",
        "child_friendly_intro",
    ]
    assert content.validate_language(data, indicator_ids, sign_ids) == []


# The rights step states each right's condition, in every language (issue #14, High items 1, 2, 4) -----------

# Per language: phrases of the unconditional wording (gone), and the words that carry the condition (present):
# reasonable grounds and exceptions (CETS 197 art. 13(1), (3)); legal aid free where resources are lacking
# (Directive 2011/36/EU art. 12(2), CETS 197 art. 15(2)); non-punishment a possibility (CETS art. 26,
# Directive art. 8).
RIGHTS_STEP = {
    "en": (
        ["free legal aid,", "not being punished for things"],
        ["reasonable grounds", "exceptions", "lacks sufficient resources", "not automatic"],
    ),
    "fr": (
        ["une aide juridique gratuite,", "aucune sanction pour"],
        ["motifs raisonnables", "exceptions", "ressources suffisantes", "pas automatique"],
    ),
    "es": (
        ["asistencia jurídica gratuita,", "no recibir castigo"],
        ["motivos razonables", "excepciones", "recursos suficientes", "no es automático"],
    ),
    "el": (
        ["δωρεάν νομική συνδρομή,", "μη τιμωρία για"],
        ["εύλογοι λόγοι", "εξαιρέσεις", "επαρκείς πόρους", "δεν είναι αυτόματο"],
    ),
    "uk": (
        ["безоплатна правова допомога,", "звільнення від покарання"],
        ["достатніх підстав", "винятки", "достатніх коштів", "не автоматично"],
    ),
    "ar": (
        ["والمساعدة القانونية المجانية،", "وعدم المعاقبة"],
        ["أسباب معقولة", "استثناءات", "موارد كافية", "ليس ذلك تلقائيًا"],
    ),
    "fa": (
        ["کمک حقوقی رایگان،", "مجازات نشدن برای کارهایی"],
        ["دلایل معقول", "استثنا", "منابع کافی", "خودکار نیست"],
    ),
    "ti": (["ናጻ ሕጋዊ ሓገዝ፣", "ንዝገበሮ ነገራት ዘይምቕጻዕ"], ["ርትዓዊ ምኽንያት", "ፍሉያት ኩነታት", "እኹል ገንዘብ", "ብቐጥታ ኣይኮነን"]),
}


@pytest.mark.parametrize("lang", sorted(RIGHTS_STEP))
def test_the_rights_next_step_states_the_conditions_of_each_right(lang):
    data = yaml.safe_load((content.I18N_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))
    for outcome in ("presumed-victim", "further-assessment"):
        steps = " ".join(data["next_steps"][outcome])
        promises, conditions = RIGHTS_STEP[lang]
        for words in promises:
            assert words not in steps, (lang, outcome, words)
        for words in conditions:
            assert words in steps, (lang, outcome, words)


# Follow-up prompts for signs of sexual exploitation (issue #14) --------------------------------------------


def test_sexual_exploitation_prompts_use_existing_indicator_ids_only(indicator_ids):
    data = yaml.safe_load(content.SE_PROMPTS_PATH.read_text(encoding="utf-8"))
    assert content.prompt_problems(data, indicator_ids) == []
    prompts = content.sexual_exploitation_prompts()
    for indicator in (
        "cd.isolation",
        "cd.threat_inform_family",
        "ar.emotional_dependency",
        "ar.cultural_religious",
    ):
        assert prompts[indicator], indicator


def test_an_invented_indicator_id_in_the_prompts_is_refused(indicator_ids):
    data = yaml.safe_load(content.SE_PROMPTS_PATH.read_text(encoding="utf-8"))
    data["prompts"]["se.online_ads"] = ["Did you see an advert?"]
    (problem,) = content.prompt_problems(data, indicator_ids)
    assert problem.startswith("sexual-exploitation-prompts.yaml: prompts: not indicator ids")
    assert "se.online_ads" in problem


def test_sexual_exploitation_prompts_are_open_and_gender_neutral():
    gendered = re.compile(r"\b(he|she|him|her|his|hers|boyfriend|girlfriend|husband|wife)\b", re.I)
    leading = re.compile(r"\b(traffick\w*|victims?|exploit\w*|slaves?)\b", re.I)
    for indicator, prompts in content.sexual_exploitation_prompts().items():
        for prompt in prompts:
            assert not gendered.search(prompt) and not leading.search(prompt), (indicator, prompt)
            assert prompt.endswith("?"), (indicator, prompt)
