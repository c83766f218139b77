"""End to end in Chromium: the statistics dashboard and the Eurostat tables render with their tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lantern.accounts.roles import Role
from lantern.accounts.tests.factories import TEST_PASSWORD
from lantern.web.tests.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_renders_its_charts_and_tables(page: Any, personas: Any, counted_case: Any) -> None:
    for month in range(1, 8):
        counted_case(personas.own_org, identified_on=dt.date(2025, month, 2), exploitation_forms=["labour"])
    sign_in(page, personas.own[Role.STATISTICS_VIEWER], TEST_PASSWORD)
    page.goto("/insights/")
    assert page.locator("h1").inner_text() == "Statistics"
    # A statistics viewer's figures are perturbed (at most 2 off), the same way for the same persons: the
    # headline and each table's grand total count the same persons, so they agree.
    shown = page.locator("p.headline").inner_text().rsplit(" ", 1)[-1]
    assert abs(int(shown) - 7) <= 2
    table = page.locator(
        "table", has=page.locator("caption", has_text="Persons by main form of exploitation")
    )
    assert table.locator("tfoot td").last.inner_text() == shown
    assert page.locator(".chart-bar").count() > 5
    assert_accessible(page)
    page.get_by_role("combobox", name="Sex").select_option("male")
    page.get_by_role("button", name="Apply the filters").click()
    assert page.get_by_text("Persons counted: 0").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Annual tables in the Eurostat format").click()
    page.get_by_label("Year of registration").fill("2025")
    page.get_by_role("button", name="Show").click()
    assert page.locator("h1").inner_text() == "Eurostat tables for 2025"
    assert page.locator("table caption").count() == 4
    assert_accessible(page)
