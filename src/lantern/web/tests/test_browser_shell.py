"""End to end in Chromium: sign in with TOTP, Arabic (right to left), error summary, accessibility."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.accounts.roles import Role
from lantern.accounts.tests.factories import TEST_PASSWORD
from lantern.web.tests.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_with_totp_then_switch_to_arabic(page: Any, personas: Any) -> None:
    user = personas.own[Role.CASE_WORKER]
    sign_in(page, user, TEST_PASSWORD)
    assert page.locator("h1").inner_text().startswith("Welcome")
    page.select_option("#language-select", "ar")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state()
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl"
    assert html.get_attribute("lang") == "ar"
    # Mirrored layout: the brand sits on the right in a right-to-left page.
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > page.viewport_size["width"] / 2
    assert_accessible(page)


def test_invalid_form_shows_error_summary_and_keeps_input(page: Any, personas: Any) -> None:
    sign_in(page, personas.own[Role.ORG_ADMIN], TEST_PASSWORD)
    page.goto("/accounts/people/new/")
    page.get_by_label("Username").fill("amira.h")
    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Save").click()
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert "There is a problem" in summary.inner_text()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.title().startswith("Error:")
    assert page.get_by_label("Username").input_value() == "amira.h"
    assert page.get_by_label("Email address").input_value() == "not an email"
    # Each summary link leads to its field.
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id").startswith("id_")
    assert_accessible(page)


def test_sign_in_page_has_no_accessibility_violations(page: Any, db: Any) -> None:
    page.goto("/accounts/sign-in/")
    assert_accessible(page)


def test_home_page_has_no_accessibility_violations(page: Any, personas: Any) -> None:
    sign_in(page, personas.own[Role.SYSTEM_ADMIN], TEST_PASSWORD)
    assert page.url.endswith("/")
    assert_accessible(page)


def test_wrong_password_message_in_the_browser(page: Any, personas: Any) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill("own_screener")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Continue").click()
    assert "Enter a correct username and password" in page.locator("[data-error-summary]").inner_text()
    assert page.get_by_label("Username").input_value() == "own_screener"
