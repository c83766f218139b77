"""End to end in Chromium: a coordinator makes a release, a second one approves and publishes it, and a
statistics viewer downloads it."""

from __future__ import annotations

import os
from typing import Any

import pytest

from lantern.accounts.roles import Role
from lantern.accounts.tests.factories import TEST_PASSWORD, UserFactory
from lantern.releases import services
from lantern.web.tests.browser import assert_accessible, sign_in

from .synthetic import synthetic_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = os.environ.get("RELEASES_SCREENSHOTS")  # a folder, to look at the pages while developing


def look(page: Any, name: str) -> None:
    assert_accessible(page)
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def sign_out(page: Any) -> None:
    page.context.clear_cookies()


def test_make_review_publish_and_download_microdata(page: Any, personas: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(services, "source_rows", lambda actor: synthetic_rows(600))
    reviewer = UserFactory(
        organisation=personas.own_authority, roles=[Role.NRM_DECISION_MAKER], username="reviewer"
    )
    sign_in(page, personas.own[Role.NRM_DECISION_MAKER], TEST_PASSWORD)
    page.goto("/releases/")
    look(page, "list-empty")
    page.get_by_role("link", name="Make k-anonymous microdata").click()
    page.get_by_label("Title").fill("Persons 2016–2025")
    page.get_by_label("k", exact=True).fill("1")
    page.get_by_role("button", name="Make the release").click()
    assert "There is a problem" in page.locator("[data-error-summary]").inner_text()
    look(page, "create-error")
    page.get_by_label("k", exact=True).fill("10")
    page.get_by_role("button", name="Make the release").click()
    assert page.locator("h1").inner_text() == "Persons 2016–2025"
    assert page.get_by_role("table", name="Each quasi-identifier").is_visible()
    look(page, "detail-draft")
    release_url = page.url

    sign_out(page)
    sign_in(page, reviewer, TEST_PASSWORD)
    page.goto(release_url)
    page.get_by_role("button", name="Approve the release").click()
    assert "You approved the release" in page.locator("main").inner_text()
    look(page, "detail-reviewed")
    # Any NRM decision-maker of the organisation publishes a reviewed release, the reviewer too.
    page.get_by_role("button", name="Publish the release").click()
    assert "The release was published" in page.locator("main").inner_text()

    sign_out(page)
    sign_in(page, personas.own[Role.STATISTICS_VIEWER], TEST_PASSWORD)
    page.goto("/releases/")
    page.get_by_role("link", name="Persons 2016–2025").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the released file (CSV)").click()
    assert download.value.suggested_filename.endswith("-microdata.csv")
    look(page, "detail-published")


def test_dp_tables_page(page: Any, personas: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(services, "source_rows", lambda actor: synthetic_rows(600))
    sign_in(page, personas.own[Role.NRM_DECISION_MAKER], TEST_PASSWORD)
    page.goto("/releases/new/tables/")
    look(page, "create-tables")
    page.get_by_label("Title").fill("Tables")
    page.get_by_label("Seed (review runs only)").fill("7")
    page.get_by_role("button", name="Make the release").click()
    assert "Reproducible, not for publication" in page.locator("main").inner_text()
    look(page, "detail-tables")
