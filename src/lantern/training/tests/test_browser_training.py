"""End to end in Chromium: read a module, pass its quiz, download the certificate, check it; practice and
coverage pages; axe-core on every training page."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.accounts.roles import Role
from lantern.accounts.tests.factories import TEST_PASSWORD
from lantern.training import codes, content
from lantern.training.models import Certificate, QuizAttempt
from lantern.web.tests.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MODULE = "national-referral-mechanism"


def test_complete_a_module_and_its_quiz_and_download_the_certificate(page: Any, personas: Any) -> None:
    user = personas.own[Role.LAWYER]
    sign_in(page, user, TEST_PASSWORD)
    page.goto("/training/")
    assert_accessible(page)
    page.get_by_role("link", name=content.module(MODULE, "en")[0].title).click()
    assert "recovery and reflection" in page.locator("main").inner_text().lower()
    assert_accessible(page)
    page.get_by_role("button", name="Start the quiz").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send my answers").click()  # nothing answered: the error summary
    assert "There is a problem" in page.locator("[data-error-summary]").inner_text()
    assert_accessible(page)
    attempt = QuizAttempt.objects.get(user=user)
    bank = content.questions(MODULE)
    for entry in attempt.questions:
        for option_id in bank[entry["id"]].correct_ids:
            page.locator(f'input[name="q_{entry["id"]}"][value="{option_id}"]').check()
    page.get_by_role("button", name="Send my answers").click()
    assert "You passed with 100%" in page.locator("main").inner_text()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    certificate = Certificate.objects.get(user=user)
    page.goto(f"/verify/{codes.display(certificate.code)}/")
    assert "This certificate is valid." in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto("/verify/AAAA-BBBB-CCCC-DDDD-EEEE/")
    assert "There is no certificate with this code." in page.locator("main").inner_text()
    assert_accessible(page)


def test_practice_case_and_coverage_pages_are_accessible(page: Any, personas: Any) -> None:
    sign_in(page, personas.own[Role.ORG_ADMIN], TEST_PASSWORD)
    page.goto("/training/practice/")
    assert_accessible(page)
    page.get_by_role("link", name="Mira: the boyfriend").click()
    assert_accessible(page)
    page.locator('input[value="cd.forced_tasks_clients"]').check()
    page.locator('input[value="ar.emotional_dependency"]').check()
    page.locator('input[name="outcome"][value="presumed-victim"]').check()
    page.get_by_role("button", name="Compare with the expert").click()
    row = page.get_by_role("row").filter(has_text="Force or control where they were exploited")
    assert "Made to do tasks" in row.inner_text()
    assert_accessible(page)
    page.goto("/training/coverage/")
    assert_accessible(page)
    page.get_by_role("link", name="Show only certificates that expire within 60 days").click()
    assert_accessible(page)
