"""End to end in Chromium: a whole screening in Arabic (right to left) with a pause, a screening without
consent, and a theme page sent twice. axe-core checks every interview page visited.

Selectors are ids, names, `data-` attributes and radio values, never translated labels: the pages are in
Arabic and their wording may change.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.accounts.tests.factories import TEST_PASSWORD
from lantern.cases.models import Case
from lantern.screening import selectors
from lantern.screening.forms import field_name
from lantern.screening.models import ProcessedSubmission, Screening, Status
from lantern.screening.tests.factories import interviewing
from lantern.web.tests.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Presumed victim for an adult (ilo-adult-labour): each required dimension positive with 1 strong + 1 medium.
PROMISES = {"dr.nature_of_job": "yes", "dr.wages": "yes", "dr.contract": "no"}  # deceptive recruitment
DAILY_LIFE = {
    "ex.excessive_hours": "yes",
    "ex.bad_working": "yes",
    "ex.hazardous_work": "unsure",
}  # exploitative
PAPERS = {"cd.documents_confiscated": "yes", "cd.threat_denunciation": "yes"}  # coercion at destination
ANSWERS_BY_THEME = {
    "journey": {"ar.general_context": "no"},
    "promises": PROMISES,
    "daily_life": DAILY_LIFE,
    "papers": PAPERS,
    "safety": {"cd.violence": "declined"},  # "prefers not to say": kept apart, never a "no"
}
PAUSE_ON = "daily_life"


# Helpers ---------------------------------------------------------------------------------------------------


def step_url(name: str, pk: int, *args: str) -> str:
    return reverse(f"screening:{name}", args=[pk, *args])


def screening_pk(page: Any) -> int:
    return int(page.locator("[data-screening]").first.get_attribute("data-screening"))


def assert_arabic(page: Any) -> None:
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl"), page.url


def submit(page: Any, action: str = "save") -> None:
    """Press a button of the screening form (save, pause) and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator(f'#screening-form button[data-action="{action}"]').click()


def answer(page: Any, answers: dict[str, str]) -> None:
    for indicator, value in answers.items():
        page.locator(f'input[name="{field_name(indicator)}"][value="{value}"]').check()


def assert_answered(page: Any, answers: dict[str, str]) -> None:
    for indicator, value in answers.items():
        assert page.locator(f'input[name="{field_name(indicator)}"][value="{value}"]').is_checked(), indicator


def on_step(page: Any, step: str, theme: str | None = None) -> None:
    form = page.locator("#screening-form")
    assert form.get_attribute("data-step") == step, page.url
    if theme is not None:
        assert form.get_attribute("data-theme") == theme, page.url


def start_screening(page: Any) -> int:
    page.goto("/screening/start/")
    with page.expect_navigation():
        page.locator('#screening-form button[data-action="start"]').click()
    on_step(page, "setting")
    return screening_pk(page)


def fill_setting(page: Any, language: str) -> None:
    page.select_option("#id_interview_language", language)
    page.select_option("#id_screener_language", language)
    page.locator('input[name="interpreter_used"][value="no"]').check()
    page.locator('input[name="interviewer_gender"][value="woman"]').check()
    page.locator('input[name="gender_preference"][value="met"]').check()
    page.locator('input[name="private_space"][value="yes"]').check()


# 1. A whole screening in Arabic ---------------------------------------------------------------------------


def test_a_whole_screening_in_arabic_with_a_pause_ends_with_a_presumed_victim(
    page: Any, personas: Any
) -> None:
    screener = personas.own[Role.SCREENER]
    sign_in(page, screener, TEST_PASSWORD)
    page.select_option("#language-select", "ar")
    with page.expect_navigation():
        page.locator(".language-switcher button[type=submit]").click()
    assert_arabic(page)

    pk = start_screening(page)
    assert_arabic(page)
    assert_accessible(page)
    fill_setting(page, "ar")
    submit(page)

    on_step(page, "consent")
    assert_arabic(page)
    # The consent script in the person's language, marked as Arabic.
    assert page.locator('#consent-script p[lang="ar"][dir="rtl"]').first.is_visible()
    assert_accessible(page)
    page.locator('input[name="consent"][value="given"]').check()
    submit(page)

    on_step(page, "first_signs")
    assert_arabic(page)
    assert_accessible(page)
    submit(page)  # none observed is an answer too

    on_step(page, "age")
    assert_arabic(page)
    assert_accessible(page)
    page.locator('input[name="age_group"][value="adult"]').check()
    submit(page)

    themes = [theme_id for theme_id, _ids in selectors.themes_for("adult")]
    for theme_id in themes[: themes.index(PAUSE_ON) + 1]:
        on_step(page, "theme", theme_id)
        assert_arabic(page)
        assert_accessible(page)
        answer(page, ANSWERS_BY_THEME.get(theme_id, {}))
        if theme_id != PAUSE_ON:
            submit(page)

    # "Save and pause" in the middle: what was entered on this page is kept, and the screening is paused.
    submit(page, "pause")
    assert "tab=paused" in page.url
    assert_arabic(page)
    row = page.locator(f'#screening-list[data-tab="paused"] tr[data-screening="{pk}"]')
    assert row.is_visible()
    assert_accessible(page)
    screening = Screening.objects.get(pk=pk)
    assert screening.is_paused and screening.lock_holder() is None
    assert {i: screening.answers.get(i) for i in DAILY_LIFE} == DAILY_LIFE

    # Resume from the list: the next page not yet saved opens; the answers given before are still there.
    with page.expect_navigation():
        row.locator("a").first.click()
    assert page.locator('#screening-facts [data-status="interview"] .tag').is_visible()  # "Paused"
    assert_arabic(page)
    assert_accessible(page)
    with page.expect_navigation():
        page.locator('button[data-action="resume"]').click()
    resumed_at = themes[themes.index(PAUSE_ON) + 1]
    on_step(page, "theme", resumed_at)
    with page.expect_navigation():
        page.locator('a[data-action="back"]').click()
    on_step(page, "theme", PAUSE_ON)
    assert_answered(page, DAILY_LIFE)
    assert_accessible(page)
    with page.expect_navigation():
        page.locator('a[data-action="back"]').click()
    on_step(page, "theme", "promises")
    assert_answered(page, PROMISES)
    assert_accessible(page)
    page.goto(step_url("theme", pk, resumed_at))

    for theme_id in themes[themes.index(resumed_at) :]:
        on_step(page, "theme", theme_id)
        assert_arabic(page)
        assert_accessible(page)
        answer(page, ANSWERS_BY_THEME.get(theme_id, {}))
        submit(page)

    on_step(page, "check")
    assert_arabic(page)
    assert_accessible(page)
    for theme_answers in ANSWERS_BY_THEME.values():
        for indicator, value in theme_answers.items():
            assert page.locator(f'[data-indicator="{indicator}"]').get_attribute("data-answer") == value
    submit(page)

    assert re.search(rf"/screening/{pk}/result/$", page.url)
    assert_arabic(page)
    outcome = page.locator("#outcome")
    assert outcome.get_attribute("data-outcome") == "presumed-victim"
    assert outcome.locator('h1 [lang="ar"]').is_visible()
    assert (
        page.locator('[data-instrument="ilo-adult-labour"]').get_attribute("data-outcome")
        == "presumed-victim"
    )
    assert page.locator("#danger-check").is_visible()
    assert "112" in page.locator("#danger-check").inner_text()
    assert page.locator(f'#danger-check a[href="{reverse("web:help")}"]').count() == 1  # emergency contacts
    assert page.locator('#next-steps [data-part="screener"] p[lang="ar"]').count() >= 1
    assert page.locator("#declined").is_visible()  # "prefers not to say" is listed apart
    assert_accessible(page)

    screening = Screening.objects.get(pk=pk)
    assert screening.status == Status.COMPLETED and screening.outcome == "presumed-victim"
    assert screening.interview_language == "ar" and screening.screener_language == "ar"

    # "Refer to the NRM": a case opens, filled in from the screening, and the case worker continues there.
    with page.expect_navigation():
        page.locator('#nrm-referral button[data-action="refer-nrm"]').click()
    case = Case.objects.get()
    assert page.url.endswith(f"/cases/{case.pk}/")
    assert case.reference in page.locator("main").inner_text()
    assert_arabic(page)
    assert_accessible(page)
    assert case.languages == ["ar"] and not case.appears_minor
    assert Screening.objects.get(pk=pk).case_id == case.pk


# 2. Without consent ---------------------------------------------------------------------------------------


def test_without_consent_only_the_first_signs_checklist_is_open(page: Any, personas: Any) -> None:
    sign_in(page, personas.own[Role.SCREENER], TEST_PASSWORD)
    pk = start_screening(page)
    assert_accessible(page)
    fill_setting(page, "en")
    submit(page)

    on_step(page, "consent")
    assert_accessible(page)
    page.locator('input[name="consent"][value="refused"]').check()
    submit(page)

    on_step(page, "first_signs")
    assert page.locator("#no-consent-note").is_visible()
    assert page.locator('#screening-form input[name^="q_"]').count() == 0
    assert_accessible(page)

    # The question pages are out of reach: each leads back to the checklist with a message saying why.
    theme_id = selectors.themes_for("adult")[0][0]
    for blocked in (step_url("theme", pk, theme_id), step_url("age", pk), step_url("check", pk)):
        page.goto(blocked)
        assert page.url.endswith(step_url("first_signs", pk)), blocked
        notice = page.locator(".notification-warning", has_text="informed consent")
        assert notice.first.is_visible()
    assert_accessible(page)

    signs = ["fs.documents_held_by_other", "fs.fearful_or_submissive"]
    for sign in signs:
        page.locator(f'#screening-form input[name="signs"][value="{sign}"]').check()
    submit(page)

    assert page.url.endswith(step_url("overview", pk))
    blocked_tasks = page.locator('#steps [data-state="blocked"]')
    assert blocked_tasks.count() == 1 + len(selectors.themes_for("adult"))  # the age and every theme
    assert blocked_tasks.locator("a").count() == 0
    assert page.locator('#steps [data-task="first_signs"]').get_attribute("data-state") == "done"
    assert_accessible(page)
    screening = Screening.objects.get(pk=pk)
    assert screening.status == Status.STOPPED_NO_CONSENT and screening.consent == "refused"
    assert screening.first_signs == signs and screening.answers == {}


# 3. A theme page sent twice --------------------------------------------------------------------------------


def test_a_theme_page_sent_twice_is_counted_once(page: Any, personas: Any) -> None:
    screener = personas.own[Role.SCREENER]
    screening = interviewing(screener)
    (first_theme, _ids), (second_theme, _next_ids) = selectors.themes_for("adult")[:2]
    answers = ANSWERS_BY_THEME[first_theme] | {"ar.economic_reasons": "yes"}
    sign_in(page, screener, TEST_PASSWORD)
    page.goto(step_url("theme", screening.pk, first_theme))
    answer(page, answers)
    assert_accessible(page)
    sent = page.evaluate("() => [...new FormData(document.getElementById('screening-form'))]")

    # Two rapid clicks: the second is held back while the first is on its way.
    with page.expect_navigation():
        page.locator('#screening-form button[data-action="save"]').dblclick()
    on_step(page, "theme", second_theme)
    screening.refresh_from_db()
    assert screening.version == 2 and screening.answers == answers
    assert screening.themes_saved == [first_theme]

    # The very same submission again (same idempotency key and content, as a resend or a Back + Send would
    # be): the server recognises it, changes nothing, and says so on the page the first one led to.
    with page.expect_navigation():
        page.evaluate(
            """([action, fields]) => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = action;
                for (const [name, value] of fields) {
                    const input = document.createElement("input");
                    input.type = "hidden"; input.name = name; input.value = value;
                    form.appendChild(input);
                }
                document.body.appendChild(form);
                form.submit();
            }""",
            [step_url("theme", screening.pk, first_theme), sent],
        )
    on_step(page, "theme", second_theme)
    assert page.locator(".notifications").inner_text().strip() == "This was already saved."
    assert_accessible(page)
    screening.refresh_from_db()
    assert screening.version == 2 and screening.answers == answers
    key = dict(sent)["idempotency_key"]
    assert ProcessedSubmission.objects.filter(key=key).count() == 1
