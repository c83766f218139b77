"""End to end in Chromium: opening a case with a mistake, the task list, the emergency protocol."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.accounts.roles import Role
from lantern.accounts.tests.factories import TEST_PASSWORD
from lantern.web.tests.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_open_a_case_fix_a_mistake_and_follow_the_emergency_protocol(page: Any, personas: Any) -> None:
    sign_in(page, personas.own[Role.CASE_WORKER], TEST_PASSWORD)
    page.goto("/cases/new/")
    assert_accessible(page)
    page.get_by_label("Given names").fill("Amina")
    page.get_by_label("Date the person was identified").fill("2999-01-01")
    page.get_by_label("The person is in immediate danger").check()
    page.get_by_role("button", name="Continue").click()
    summary = page.locator("[data-error-summary]")
    assert "There is a problem" in summary.inner_text()
    assert page.get_by_label("Given names").input_value() == "Amina"
    assert_accessible(page)
    page.get_by_label("Date the person was identified").fill("2024-05-02")
    page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text() == "Emergency protocol"
    assert "112" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Return to the case").click()
    assert page.get_by_role("link", name="About the person").is_visible()
    assert_accessible(page)
    page.goto("/cases/dashboard/")
    assert_accessible(page)
