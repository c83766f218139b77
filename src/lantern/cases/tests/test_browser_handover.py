"""End to end in Chromium: the reception centre's screener hands a case over to an NGO, whose case worker
accepts it from the dashboard's inbox; every page passes axe-core at desktop width and at 390 px."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from lantern.accounts.roles import OrganisationType, Role
from lantern.accounts.tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory
from lantern.cases import services
from lantern.cases.models import Basis, Case, Purpose
from lantern.web.tests.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page: Any) -> None:
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert_accessible(page)


def test_screener_hands_over_and_the_ngo_case_worker_accepts(
    browser: Any, live_server: Any, personas: Any
) -> None:
    ngo = OrganisationFactory(name="Safe Passage NGO", type=OrganisationType.NGO, country="GR")
    ngo_worker = UserFactory(organisation=ngo, roles=[Role.CASE_WORKER], username="ngo_worker")
    screener = personas.own[Role.SCREENER]
    case = services.create_case(
        actor=screener, data={"given_names": "Amina", "identified_on": timezone.localdate()}
    )
    services.record_consent(
        actor=screener,
        case=case,
        purpose=Purpose.REFERRAL,
        basis=Basis.PERSON,
        organisation=ngo,
        language="ti",
    )

    def tab() -> Any:
        context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="en-GB")
        context.set_default_timeout(15_000)
        return context.new_page()

    page = tab()
    sign_in(page, screener, TEST_PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Hand the case over to another organisation").click()
    _check(page)
    page.get_by_label("Organisation that takes the case").select_option(label="Safe Passage NGO")
    page.get_by_label("Message to the organisation").fill("Speaks Tigrinya; prefers a woman case worker.")
    page.get_by_role("button", name="Propose the handover").click()
    assert "waiting for an answer" in page.locator("main").inner_text()
    _check(page)
    page.context.close()

    page = tab()
    sign_in(page, ngo_worker, TEST_PASSWORD)
    page.goto("/cases/dashboard/")
    _check(page)
    page.get_by_role("link", name=case.reference).first.click()
    assert "prefers a woman case worker" in page.locator("main").inner_text()
    _check(page)
    page.get_by_role("button", name="Send the answer").click()  # no answer chosen: an error, nothing saved
    assert "There is a problem" in page.locator("[data-error-summary]").inner_text()
    _check(page)
    page.get_by_label("Accept: we take the case").check()
    page.get_by_role("button", name="Send the answer").click()
    assert case.reference in page.locator("h1").inner_text()
    _check(page)
    case = Case.objects.get(pk=case.pk)
    assert case.organisation == ngo and case.case_worker == ngo_worker
    # The new owner puts the case in the team's queue from the owner page.
    page.get_by_role("link", name="Change the owner").click()
    _check(page)
    page.get_by_label("Owner").select_option(label="Nobody: the team's queue")
    page.get_by_role("button", name="Save the owner").click()
    _check(page)
    assert Case.objects.get(pk=case.pk).case_worker is None
    page.goto("/cases/?owner=unassigned")
    assert case.reference in page.locator("main").inner_text()
    _check(page)
    page.context.close()
