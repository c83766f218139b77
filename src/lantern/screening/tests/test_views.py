"""The screening pages: each renders, saves once, keeps the user's input on every problem, and is gated."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.accounts.tests.factories import UserFactory
from lantern.audit.models import AuditRecord
from lantern.screening import content, selectors, services
from lantern.screening.models import Screening, Status
from lantern.screening.tests.factories import ScreeningFactory, interviewing

pytestmark = pytest.mark.django_db

SETTING = {
    "interview_language": "en",
    "screener_language": "en",
    "interpreter_used": "no",
    "gender_preference": "no_preference",
    "private_space": "yes",
}


def url(name: str, screening: Screening, *args: Any) -> str:
    return reverse(f"screening:{name}", args=[screening.pk, *args])


def form_data(response: Any, **values: Any) -> dict[str, Any]:
    """The hidden fields of the page's screening form (version, idempotency key), plus `values`."""
    body = response.content.decode()
    form = body[body.index('id="screening-form"') :]
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    hidden.pop("csrfmiddlewaretoken", None)
    return {**hidden, **values}


@pytest.fixture
def screener(personas: Any) -> Any:
    return personas.own[Role.SCREENER]


@pytest.fixture
def as_screener(login_client: Any, screener: Any) -> Any:
    return login_client(screener)


def first_theme() -> tuple[str, list[str]]:
    return selectors.themes_for("adult")[0]


# Each page renders ---------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["setting", "consent", "first_signs", "age", "theme", "check", "overview"])
def test_each_step_page_renders_for_the_screener(as_screener: Any, screener: Any, page: str) -> None:
    screening = interviewing(screener)
    args = [first_theme()[0]] if page == "theme" else []
    response = as_screener.get(url(page, screening, *args))
    assert response.status_code == 200
    body = response.content.decode()
    if page != "overview":
        assert 'name="idempotency_key"' in body and 'name="version" value="1"' in body
        assert 'name="pause"' in body  # "Save and pause" on every step


def test_the_list_and_start_pages_render(as_screener: Any) -> None:
    assert as_screener.get(reverse("screening:list")).status_code == 200
    assert as_screener.get(reverse("screening:start")).status_code == 200


def test_a_whole_screening_from_start_to_result(as_screener: Any, screener: Any) -> None:
    page = as_screener.get(reverse("screening:start"))
    response = as_screener.post(reverse("screening:start"), form_data(page, person_reference=""))
    screening = Screening.objects.get()
    assert response.url == url("setting", screening)
    assert screening.person_reference == "" and screening.created_by == screener

    page = as_screener.get(url("setting", screening))
    assert as_screener.post(url("setting", screening), form_data(page, **SETTING)).url == url(
        "consent", screening
    )
    page = as_screener.get(url("consent", screening))
    response = as_screener.post(url("consent", screening), form_data(page, consent="given"))
    assert response.url == url("first_signs", screening)
    page = as_screener.get(url("first_signs", screening))
    assert as_screener.post(url("first_signs", screening), form_data(page)).url == url("age", screening)
    page = as_screener.get(url("age", screening))
    response = as_screener.post(url("age", screening), form_data(page, age_group="adult"))
    themes = selectors.themes_for("adult")
    assert response.url == url("theme", screening, themes[0][0])
    for theme_id, ids in themes:
        page = as_screener.get(url("theme", screening, theme_id))
        answers = {"q_" + i.replace(".", "__"): "yes" for i in ids}
        response = as_screener.post(url("theme", screening, theme_id), form_data(page, **answers))
    assert response.url == url("check", screening)
    page = as_screener.get(url("check", screening))
    response = as_screener.post(url("check", screening), form_data(page, notes="Follow-up on Monday"))
    assert response.url == url("result", screening)
    screening.refresh_from_db()
    assert screening.status == Status.COMPLETED and screening.notes == "Follow-up on Monday"
    result = as_screener.get(url("result", screening))
    assert result.status_code == 200
    assert b'data-outcome="presumed-victim"' in result.content


# Bad input, stale forms, double submits, locks -----------------------------------------------------------


def test_an_incomplete_setting_shows_the_error_summary_and_keeps_the_input(
    as_screener: Any, screener: Any
) -> None:
    screening = ScreeningFactory(created_by=screener)
    page = as_screener.get(url("setting", screening))
    data = form_data(page, **{**SETTING, "gender_preference": "not_met"})
    response = as_screener.post(url("setting", screening), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in body and "There is a problem" in body
    assert 'href="#id_gender_preference_unmet_reason"' in body
    assert 'value="not_met"' in body and re.search(r'value="not_met"[^>]*checked', body)
    assert Screening.objects.get(pk=screening.pk).setting_recorded_at is None


def test_a_double_submit_is_saved_once(as_screener: Any, screener: Any) -> None:
    screening = interviewing(screener)
    theme_id, ids = first_theme()
    page = as_screener.get(url("theme", screening, theme_id))
    data = form_data(page, **{"q_" + ids[0].replace(".", "__"): "yes"})
    first = as_screener.post(url("theme", screening, theme_id), data)
    second = as_screener.post(url("theme", screening, theme_id), data, follow=True)
    assert second.redirect_chain[0][0] == first.url
    assert "This was already saved." in second.content.decode()
    assert Screening.objects.get(pk=screening.pk).version == 2


def test_a_stale_form_says_so_and_keeps_what_was_typed(as_screener: Any, screener: Any) -> None:
    screening = interviewing(screener)
    theme_id, ids = first_theme()
    field = "q_" + ids[0].replace(".", "__")
    tab_one = as_screener.get(url("theme", screening, theme_id))
    tab_two = as_screener.get(url("theme", screening, theme_id))
    as_screener.post(url("theme", screening, theme_id), form_data(tab_one, **{field: "yes"}))
    response = as_screener.post(url("theme", screening, theme_id), form_data(tab_two, **{field: "declined"}))
    body = response.content.decode()
    assert response.status_code == 409
    assert "changed after this page was opened" in body
    assert re.search(rf'name="{field}" value="declined"[^>]*checked', body)
    assert 'name="version" value="2"' in body
    saved = Screening.objects.get(pk=screening.pk)
    assert saved.answers == {ids[0]: "yes"} and saved.version == 2


def test_a_colleague_sees_who_is_editing_and_can_take_over_and_save(
    login_client: Any, personas: Any, screener: Any
) -> None:
    screening = services.start_screening(actor=screener)
    colleague = login_client(personas.own[Role.CASE_WORKER])
    response = colleague.get(url("first_signs", screening), follow=True)
    assert response.redirect_chain[-1][0] == url("overview", screening)
    body = response.content.decode()
    assert "is editing this screening since" in body and 'data-action="take-over"' in body

    screening.refresh_from_db()
    page_data = {"version": str(screening.version), "idempotency_key": "6d1f0b3e-8f1c-4b7e-9b1a-2f9c3d4e5f60"}
    refused = colleague.post(url("first_signs", screening), page_data)
    assert refused.status_code == 409 and 'name="take_over"' in refused.content.decode()
    retry = form_data(refused, take_over="1")
    taken = colleague.post(url("first_signs", screening), retry)
    assert taken.status_code == 302
    assert Screening.objects.get(pk=screening.pk).locked_by == personas.own[Role.CASE_WORKER]


def test_save_and_pause_keeps_a_partial_page_and_lists_the_screening_as_paused(
    as_screener: Any, screener: Any
) -> None:
    screening = ScreeningFactory(created_by=screener)
    page = as_screener.get(url("setting", screening))
    response = as_screener.post(
        url("setting", screening), form_data(page, interview_language="en", pause="1"), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("screening:list") + "?tab=paused"
    assert f'data-screening="{screening.pk}"' in response.content.decode()
    saved = Screening.objects.get(pk=screening.pk)
    assert saved.is_paused and saved.interview_language == "en" and saved.setting_recorded_at is None
    assert saved.lock_holder() is None


def test_resuming_goes_to_the_first_unfinished_step(as_screener: Any, screener: Any) -> None:
    screening = interviewing(screener, paused_at="2026-01-01T10:00:00Z")
    response = as_screener.post(url("resume", screening))
    assert response.url == url("theme", screening, first_theme()[0])
    assert not Screening.objects.get(pk=screening.pk).is_paused


def test_without_consent_the_questions_are_closed_and_the_first_signs_open(
    as_screener: Any, screener: Any
) -> None:
    screening = ScreeningFactory(created_by=screener)
    page = as_screener.get(url("consent", screening))
    response = as_screener.post(url("consent", screening), form_data(page, consent="refused"))
    assert response.url == url("first_signs", screening)
    for closed in (url("age", screening), url("theme", screening, first_theme()[0]), url("check", screening)):
        assert as_screener.get(closed).url == url("first_signs", screening)
    assert b"did not consent" in as_screener.get(url("first_signs", screening)).content


# Languages --------------------------------------------------------------------------------------------


@pytest.fixture
def draft_arabic(monkeypatch: Any) -> None:
    """An Arabic machine translation with only a few entries, whatever translations are installed."""
    arabic = {
        "language": "ar",
        "name": "العربية",
        "direction": "rtl",
        "status": "machine-or-draft",
        "draft_entries": [],
        "consent": {"script": "قبل أن نبدأ"},
        "answers": {"yes": "نعم", "no": "لا"},
    }
    english = content.load_language
    monkeypatch.setattr(content, "available_languages", lambda: ["en", "ar"])
    monkeypatch.setattr(content, "load_language", lambda code: arabic if code == "ar" else english(code))


def test_the_consent_script_marks_the_persons_language_and_direction(
    as_screener: Any, screener: Any, draft_arabic: Any
) -> None:
    screening = ScreeningFactory(created_by=screener, interview_language="ar", screener_language="en")
    body = as_screener.get(url("consent", screening)).content.decode()
    assert '<div class="bilingual-part bilingual-person" data-part="person"><p lang="ar" dir="rtl">' in body
    assert '<p lang="en" dir="ltr">' in body
    assert "Translation not yet reviewed" in body  # a machine translation is flagged


def test_a_missing_translation_falls_back_to_english_and_is_flagged(
    as_screener: Any, screener: Any, draft_arabic: Any
) -> None:
    texts = selectors.InterviewTexts("ar")
    assert texts.get("consent", "script").lang == "ar"
    fallback = texts.get("consent", "given")
    assert fallback.lang == "en" and fallback.draft is True
    assert selectors.InterviewTexts("xx").code == "en"
    screening = interviewing(screener, interview_language="ar")
    body = as_screener.get(url("theme", screening, first_theme()[0])).content.decode()
    assert "data-untranslated" in body and '<span lang="ar" dir="rtl">العربية</span>' in body
    assert '<span class="answer-person" lang="ar" dir="rtl">نعم</span>' in body


def test_a_reviewed_translation_flags_only_its_draft_entries(draft_arabic: Any, monkeypatch: Any) -> None:
    reviewed = {**content.load_language("ar"), "status": "reviewed", "draft_entries": ["consent.script"]}
    english = content.load_language
    monkeypatch.setattr(content, "load_language", lambda code: reviewed if code == "ar" else english(code))
    texts = selectors.InterviewTexts("ar")
    assert texts.get("consent", "script").draft is True
    assert texts.get("answers", "yes").draft is False
    assert texts.get("answers", "declined").draft is True  # English stand-in


# Access ---------------------------------------------------------------------------------------------------


def test_another_organisations_screening_is_404_and_the_attempt_is_audited(
    login_client: Any, personas: Any
) -> None:
    theirs = interviewing(personas.other[Role.SCREENER])
    client = login_client(personas.own[Role.SCREENER])
    for page in ("overview", "setting", "result"):
        assert client.get(url(page, theirs)).status_code == 404
    assert client.post(url("resume", theirs)).status_code == 404
    denied = AuditRecord.objects.filter(
        action="denied", object_type="screening.screening", object_id=str(theirs.pk)
    )
    assert denied.count() == 4


@pytest.mark.parametrize(
    "role", [Role.STATISTICS_VIEWER, Role.ORG_ADMIN, Role.SYSTEM_ADMIN, Role.LAWYER, Role.SERVICE_PROVIDER]
)
def test_roles_without_screening_access_are_refused(login_client: Any, personas: Any, role: str) -> None:
    screening = interviewing(personas.own[Role.SCREENER])
    client = login_client(personas.own[role])
    assert client.get(reverse("screening:list")).status_code == 403
    assert client.get(reverse("screening:start")).status_code == 403
    assert client.get(url("overview", screening)).status_code == 403


def test_the_nrm_decision_maker_may_view_but_not_change(login_client: Any, personas: Any) -> None:
    # Decision-makers work in the competent authority: a screening of theirs.
    screening = interviewing(UserFactory(organisation=personas.own_authority, roles=[Role.SCREENER]))
    client = login_client(personas.own[Role.NRM_DECISION_MAKER])
    response = client.get(url("overview", screening))
    assert response.status_code == 200 and b'data-action="resume"' not in response.content
    assert client.get(url("setting", screening)).status_code == 403
    assert client.post(url("resume", screening)).status_code == 403


def test_viewing_a_screening_is_audited(as_screener: Any, screener: Any) -> None:
    screening = interviewing(screener, person_reference="R-2044")
    assert b"R-2044" in as_screener.get(url("overview", screening)).content
    views = AuditRecord.objects.filter(action="view", object_id=str(screening.pk))
    assert any("person_reference" in v.fields for v in views)


# Result --------------------------------------------------------------------------------------------------


def test_the_result_of_a_presumed_victim_offers_the_referral(as_screener: Any, screener: Any) -> None:
    from lantern.screening.tests.test_services import PRESUMED_VICTIM

    screening = interviewing(screener, answers={**PRESUMED_VICTIM, "ar.irregular_status": "declined"})
    services.complete(actor=screener, screening=screening, version=screening.version)
    body = as_screener.get(url("result", screening)).content.decode()
    assert re.search(r'<button type="submit"[^>]*data-action="refer-nrm"', body)  # see test_open_case.py
    assert f'action="{url("open_case", screening)}"' in body
    assert 'id="danger-check"' in body and 'id="next-steps"' in body
    assert 'id="declined"' in body  # "prefers not to say" is listed apart, not counted as "no"
    assert "not a legal finding" in body


def test_a_childs_further_assessment_says_it_never_means_not_trafficked(
    as_screener: Any, screener: Any
) -> None:
    # Issue #14, Medium item 7: exploitation without any recruitment means gives a child "further assessment".
    from lantern.screening.models import AgeGroup

    answers = {
        "ex.low_no_pay": "yes",
        "ex.bad_living": "yes",
        "ex.no_education": "yes",
        "cd.isolation": "yes",
    }
    child = interviewing(screener, age_group=AgeGroup.UNDER_18, answers=answers)
    services.complete(actor=screener, screening=child, version=child.version)
    child.refresh_from_db()
    assert child.outcome == "further-assessment"
    body = as_screener.get(url("result", child)).content.decode()
    assert 'id="child-further-assessment"' in body
    assert "never means “not trafficked”" in body and "data-child-rule" in body
    adult = interviewing(screener, answers=answers)
    services.complete(actor=screener, screening=adult, version=adult.version)
    body = as_screener.get(url("result", adult)).content.decode()
    assert 'id="child-further-assessment"' not in body and "data-child-rule" not in body


def test_the_result_says_when_a_sexual_exploitation_strength_is_still_unconfirmed(
    as_screener: Any, screener: Any
) -> None:
    # Issue #14: the ILO sexual-exploitation strengths marked check: true stay so; the result page says so.
    from lantern.screening.models import AgeGroup

    answers = {
        "ar.emotional_dependency": "yes",
        "ar.family_difficulty": "yes",
        "cd.forced_tasks_clients": "yes",
    }
    child = interviewing(screener, age_group=AgeGroup.UNDER_18, answers=answers)
    services.complete(actor=screener, screening=child, version=child.version)
    body = as_screener.get(url("result", child)).content.decode()
    sexual = body.split('data-instrument="ilo-child-sexual"')[1].split("<h3")[0]
    assert "still to be checked against the ILO source" in sexual
    labour = body.split('data-instrument="ilo-child-labour"')[1].split("<h3")[0]
    assert "still to be checked against the ILO source" not in labour


def test_the_theme_page_offers_the_sexual_exploitation_follow_ups_under_their_indicator(
    as_screener: Any, screener: Any
) -> None:
    screening = interviewing(screener)
    theme = next(t for t, ids in selectors.themes_for("adult") if "cd.isolation" in ids)
    body = as_screener.get(url("theme", screening, theme)).content.decode()
    block = body.split('id="question-cd.isolation"')[1].split('class="field question')[0]
    assert "data-sexual-exploitation" in block and "different flats or hotels" in block


# The list ------------------------------------------------------------------------------------------------


def test_the_list_shows_the_teams_screenings_only_and_pins_its_queries(
    as_screener: Any, screener: Any, personas: Any, django_assert_max_num_queries: Any
) -> None:
    later = timezone.now() + timedelta(minutes=10)
    for _ in range(5):
        ScreeningFactory(
            created_by=screener, locked_by=screener, locked_at=timezone.now(), lock_expires_at=later
        )
    ScreeningFactory(created_by=personas.own[Role.CASE_WORKER])
    theirs = ScreeningFactory(created_by=personas.other[Role.SCREENER])
    as_screener.get(reverse("screening:list"))  # warm the session and content caches
    with django_assert_max_num_queries(17):
        response = as_screener.get(reverse("screening:list") + "?who=all")
    body = response.content.decode()
    assert body.count("<tr data-screening=") == 6
    assert f'data-screening="{theirs.pk}"' not in body
    mine = as_screener.get(reverse("screening:list")).content.decode()
    assert mine.count("<tr data-screening=") == 5


def test_the_pages_carry_no_inline_script_or_style(as_screener: Any, screener: Any) -> None:
    screening = interviewing(screener)
    for page in (
        url("theme", screening, first_theme()[0]),
        url("consent", screening),
        url("overview", screening),
    ):
        body = as_screener.get(page).content.decode()
        assert "<style" not in body and " style=" not in body and " onclick=" not in body
        for chunk in body.split("<script")[1:]:
            assert chunk.lstrip().startswith("src=")


def test_finishing_twice_scores_once_and_shows_the_result(as_screener: Any, screener: Any) -> None:
    screening = interviewing(screener)
    data = form_data(as_screener.get(url("check", screening)))
    first = as_screener.post(url("check", screening), data)
    second = as_screener.post(url("check", screening), data, follow=True)
    assert first.url == url("result", screening) == second.redirect_chain[0][0]
    assert "This was already saved." in second.content.decode()
    assert Screening.objects.get(pk=screening.pk).version == 2


def test_the_check_page_pairs_each_answer_with_its_indicator_not_the_open_question(
    as_screener: Any, screener: Any
) -> None:
    screening = interviewing(screener)
    body = as_screener.get(url("check", screening)).content.decode()
    row = re.search(r'<div data-indicator="dr.wages"[^>]*><dt>(.*?)</dt>', body, re.S)
    assert row is not None
    term = row.group(1)
    before_asked = term.split("Asked:")[0]
    assert "What were you told you would earn?" not in before_asked
    assert "What were you told you would earn?" in term.split("Asked:")[1]
    assert content.load_language("en")["indicators"]["dr.wages"] in before_asked
