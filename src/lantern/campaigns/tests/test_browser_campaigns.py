"""End to end in Chromium: a case worker plans a campaign (fixing a wrong period), finds its materials, and a
statistics viewer reads the reach a QR scan produced."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.accounts.roles import Role
from lantern.accounts.tests.factories import TEST_PASSWORD
from lantern.campaigns.models import Campaign, ReachCount
from lantern.web.tests.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_a_campaign_fix_its_period_and_find_its_materials(page: Any, personas: Any) -> None:
    sign_in(page, personas.own[Role.CASE_WORKER], TEST_PASSWORD)
    page.goto("/campaigns/")
    assert_accessible(page)
    page.get_by_role("link", name="New campaign").click()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Safe harvest")
    page.get_by_label("Aim").fill("Seasonal farm workers know where to get help.")
    page.get_by_label("Migrant workers").check()
    page.get_by_label("العربية").check()
    page.get_by_label("Leaflets").check()
    page.get_by_label("Start date").fill("2026-05-01")
    page.get_by_label("End date").fill("2026-04-01")
    page.get_by_role("button", name="Save").click()
    assert (
        "The end date must be the same as or after the start date"
        in page.locator("[data-error-summary]").inner_text()
    )
    assert not Campaign.objects.exists()
    assert_accessible(page)
    page.get_by_label("End date").fill("2026-09-30")
    page.get_by_role("button", name="Save").click()
    assert page.locator("h1").inner_text() == "Safe harvest"
    assert "Draft translation" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto("/campaigns/materials/")
    assert_accessible(page)


def test_a_scan_shows_up_in_the_reach_report(page: Any, personas: Any, live_server: Any) -> None:
    from .factories import CampaignFactory

    campaign = CampaignFactory(organisation=personas.own_org, name="Safe harvest")
    page.goto(f"/r/{campaign.code}/ar/")
    assert page.url.endswith(f"/p/ar/?c={campaign.code}")
    assert page.context.cookies() == []
    assert ReachCount.objects.filter(campaign=campaign).count() == 2  # the scan, and the page it opened

    sign_in(page, personas.own[Role.STATISTICS_VIEWER], TEST_PASSWORD)
    page.goto("/campaigns/reach/")
    table = page.get_by_role("table", name="Reach per campaign, language and day")
    assert "Safe harvest" in table.inner_text()
    assert_accessible(page)
