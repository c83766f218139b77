"""The demo's reception-centre path: the screener opens a case, records the person's consent to the NGO and
hands the case over; the NGO's case worker accepts and can then refer it to the NRM."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lantern.accounts.models import Organisation, User
from lantern.authz import gate
from lantern.cases import handovers, selectors, services
from lantern.cases.models import Basis, Purpose
from lantern.demo.accounts import load_demo

pytestmark = pytest.mark.django_db


def test_the_reception_screener_hands_over_to_the_ngo_case_worker() -> None:
    load_demo()
    screener = User.objects.get(username="screener")
    caseworker = User.objects.get(username="caseworker")
    ngo = caseworker.organisation
    case = services.create_case(
        actor=screener, data={"given_names": "Test", "identified_on": timezone.localdate()}
    )
    assert case.organisation == screener.organisation and case.case_worker == screener
    assert ngo in selectors.handover_receivers(screener, case)
    services.record_consent(
        actor=screener,
        case=case,
        purpose=Purpose.REFERRAL,
        basis=Basis.PERSON,
        organisation=ngo,
        language="ti",
    )
    handover = handovers.propose_handover(actor=screener, case=case, to_organisation=ngo, message="Tigrinya")
    assert list(selectors.handover_inbox(caseworker)) == [handover]
    handovers.accept_handover(actor=caseworker, handover=handover)
    case.refresh_from_db()
    assert case.organisation == ngo and case.case_worker == caseworker
    authority = Organisation.objects.get(name="National Referral Authority")
    assert gate.can(caseworker, "case.refer", case)
    assert authority in selectors.competent_authorities(caseworker)
