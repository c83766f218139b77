"""End to end in Chromium: a presumed victim's case referred to a shelter that accepts, a reasonable-grounds
decision by the competent authority, and the end of the recovery period on the dashboard.

Each person signs in once: a TOTP code cannot be used twice, and a second sign-in within the same 30 seconds
would be refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from lantern.accounts.roles import Role
from lantern.accounts.tests.factories import TEST_PASSWORD
from lantern.cases import services as case_services
from lantern.cases.models import Basis, Purpose
from lantern.cases.tests.factories import authority, decision_maker
from lantern.web.tests.browser import assert_accessible, sign_in

from .factories import ServiceOfferFactory, shelter, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/**")


def test_from_a_presumed_victim_to_an_accepted_shelter_referral_and_the_recovery_period(
    page: Any, personas: Any
) -> None:
    today = timezone.localdate()
    worker = personas.own[Role.CASE_WORKER]
    shelter_org = shelter()
    shelter_staff = staff(shelter_org)
    ServiceOfferFactory(organisation=shelter_org, gender="women")
    nrm = authority()
    decider = decision_maker(nrm)
    case = case_services.create_case(
        actor=worker,
        data={
            "given_names": "Amina",
            "family_name": "Okafor",
            "sex": "female",
            "languages": ["ar"],
            "identified_on": today - dt.timedelta(days=10),
        },
        profile="coe-generic",
    )
    for purpose, organisation in ((Purpose.REFERRAL, shelter_org), (Purpose.COMPETENT_AUTHORITY, nrm)):
        case_services.record_consent(
            actor=worker,
            case=case,
            purpose=purpose,
            basis=Basis.PERSON,
            language="ar",
            organisation=organisation,
        )

    # The case worker assesses a need and refers it to the shelter, without re-entering anything.
    sign_in(page, worker, TEST_PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Support plan and referrals").click()
    assert_accessible(page)
    page.get_by_role("link", name="Add a need").click()
    page.get_by_label("Need", exact=True).select_option("accommodation")
    page.get_by_label("The need as assessed with the person").fill("A safe place to stay, women only")
    page.get_by_label("Urgent").check()
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    page.get_by_role("link", name="Find a service").click()
    assert page.get_by_label("Language the service works in").input_value() == "ar"
    page.get_by_role("link", name="Refer to this service").click()
    assert page.get_by_label("About the person").is_checked()
    assert page.get_by_label("Accommodation").is_checked()
    assert not page.get_by_label("Contact").is_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    assert "Okafor" in page.locator("main").inner_text()  # the preview, taken from the case
    assert_accessible(page)
    page.get_by_role("button", name="Send the referral").click()
    assert "Waiting for an answer" in page.locator(".lead").inner_text()

    # ... and refers the case to the NRM competent authority.
    page.goto(f"/cases/{case.pk}/refer/")
    page.get_by_label("Competent authority").select_option(label=nrm.name)
    page.get_by_role("button", name="Refer the case").click()
    sign_out(page)

    # The shelter answers from its dashboard.
    sign_in(page, shelter_staff, TEST_PASSWORD)
    page.goto("/cases/dashboard/")
    page.get_by_role("link", name=f"Case {case.reference}").click()
    assert "Okafor" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("Accept the referral").check()
    page.get_by_role("button", name="Send the answer").click()
    assert "Accepted" in page.locator(".lead").inner_text()
    assert_accessible(page)
    sign_out(page)

    # The decision-maker takes the referral up and records a positive reasonable-grounds decision.
    sign_in(page, decider, TEST_PASSWORD)
    page.goto(f"/cases/{case.pk}/stage/")
    page.get_by_label("Reasonable-grounds decision").check()
    page.get_by_role("button", name="Change the stage").click()
    page.goto(f"/cases/{case.pk}/decision/")
    page.get_by_label("Positive").check()
    page.get_by_label("Date of the decision").fill(today.isoformat())
    page.get_by_label("Reasons").fill("Credible account of recruitment by deception and debt bondage.")
    page.get_by_role("button", name="Record the decision").click()

    # The recovery and reflection period (30 days in this profile) and its end are on the dashboard.
    page.goto("/cases/dashboard/")
    ends = date_format(today + dt.timedelta(days=30), "DATE_FORMAT")
    assert f"period ends {ends}" in page.locator("main").inner_text()
    assert_accessible(page)
