"""The legal track: only the case's organisation's case workers and the lawyer assigned to it (through an
access grant resting on the person's consent) see and change it; everyone else gets nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord
from lantern.authz.gate import can
from lantern.cases import services as case_services
from lantern.cases.models import Basis, CaseAccess, CaseEvent, Purpose
from lantern.cases.policies import visible_field_groups
from lantern.cases.sharing import referral_consent_for
from lantern.legal import services
from lantern.legal.models import CriminalProceeding, Hearing, ResidencePermit

from .factories import assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(open_case: Any, worker: Any, lawyer: Any, consent_to: Any, personas: Any) -> Any:
    """A case whose person agreed to a referral to the other organisation, with its lawyer assigned."""
    case = open_case()
    consent_to(case, personas.other_org)
    services.assign_lawyer(actor=worker, case=case, lawyer=lawyer)
    return case


def add_proceeding(case: Any, worker: Any, **fields: Any) -> CriminalProceeding:
    record = CriminalProceeding(role="witness", court="Piraeus Court", case_number="ABC-123/2025", **fields)
    return services.save_legal_record(actor=worker, case=case, record=record)


def test_the_assigned_lawyer_of_another_organisation_sees_the_legal_track_and_the_read_is_audited(
    assigned: Any, worker: Any, lawyer: Any, login_client: Any
) -> None:
    add_proceeding(assigned, worker)
    response = login_client(lawyer).get(reverse("legal:track", args=[assigned.pk]))
    body = response.content.decode()
    assert response.status_code == 200 and "Piraeus Court" in body and "ABC-123/2025" in body
    read = AuditRecord.objects.filter(action="view", object_type="cases.case", object_id=str(assigned.pk))
    assert read.filter(actor=lawyer, detail__legal_track=True).exists()
    assert "criminalproceeding.case_number" in read.filter(actor=lawyer).first().fields


def test_the_assigned_lawyer_sees_the_legal_field_group_only(assigned: Any, lawyer: Any) -> None:
    assert visible_field_groups(lawyer, assigned) == frozenset({"legal"})


def test_the_assigned_lawyer_changes_the_legal_track(
    assigned: Any, lawyer: Any, login_client: Any, today: dt.date
) -> None:
    response = login_client(lawyer).post(
        reverse("legal:add", args=[assigned.pk, "permits"]),
        {"type": "temporary", "applied_on": today.isoformat(), "outcome": "pending"},
    )
    assert response.status_code == 302
    permit = ResidencePermit.objects.get(case=assigned)
    event = assigned.events.get(kind=CaseEvent.Kind.LEGAL_UPDATED)
    assert permit.type == "temporary" and event.detail["part"] == "residencepermit"
    assert event.detail["id"] == permit.pk and event.actor == lawyer


def test_a_lawyer_of_another_organisation_needs_the_persons_consent(
    open_case: Any, worker: Any, lawyer: Any
) -> None:
    case = open_case()
    with pytest.raises(ValidationError) as refused:
        services.assign_lawyer(actor=worker, case=case, lawyer=lawyer)
    assert "lawyer" in refused.value.message_dict
    assert not CaseAccess.objects.filter(case=case).exists()


def test_the_lawyers_access_rests_on_the_consent_and_ends_with_it(
    open_case: Any, worker: Any, lawyer: Any, consent_to: Any, personas: Any
) -> None:
    case = open_case()
    consent = consent_to(case, personas.other_org)
    track = services.assign_lawyer(actor=worker, case=case, lawyer=lawyer)
    assert track.lawyer_access.consent == consent and can(lawyer, "legal.view", case)
    case_services.revoke_consent(actor=worker, consent=consent)
    assert not can(lawyer, "legal.view", case) and not can(lawyer, "case.view", case)


def test_a_childs_lawyer_access_rests_on_the_guardians_consent_before_a_later_best_interests_one(
    open_case: Any, worker: Any, lawyer: Any, personas: Any, today: dt.date
) -> None:
    """The one choice of consent (`cases.sharing.referral_consent_for`), through the legal path: for a child
    the guardian's consent is preferred to a best-interests determination, even a more recent one — as a
    referral to the same organisation would rest on it."""
    case = open_case(date_of_birth="2014-02-01")
    assert case.treated_as_child
    guardian = case_services.record_consent(
        actor=worker,
        case=case,
        purpose=Purpose.REFERRAL,
        basis=Basis.GUARDIAN,
        organisation=personas.other_org,
        language="ar",
        representative="Appointed guardian",
        best_interests_note="The guardian agrees legal aid is in the child's interest.",
        given_on=today - dt.timedelta(days=5),
    )
    case_services.record_consent(
        actor=worker,
        case=case,
        purpose=Purpose.REFERRAL,
        basis=Basis.BEST_INTERESTS,
        organisation=personas.other_org,
        best_interests_note="Legal aid is needed before the hearing.",
        given_on=today,
    )
    track = services.assign_lawyer(actor=worker, case=case, lawyer=lawyer)
    assert track.lawyer_access.consent == guardian
    assert referral_consent_for(case, personas.other_org) == guardian
    case_services.revoke_consent(actor=worker, consent=guardian)
    assert not can(lawyer, "legal.view", case)


def test_only_a_user_with_the_lawyer_role_can_be_assigned(open_case: Any, worker: Any, personas: Any) -> None:
    with pytest.raises(ValidationError):
        services.assign_lawyer(actor=worker, case=open_case(), lawyer=personas.own[Role.SERVICE_PROVIDER])


def test_assigning_another_lawyer_ends_the_first_ones_access(
    assigned: Any, worker: Any, lawyer: Any, personas: Any
) -> None:
    colleague = personas.own[Role.LAWYER]
    services.assign_lawyer(actor=worker, case=assigned, lawyer=colleague)
    assert can(colleague, "legal.view", assigned) and not can(lawyer, "legal.view", assigned)


@pytest.mark.parametrize("who", ["other_case_worker", "unassigned_lawyer", "lawyer_with_another_grant"])
def test_others_get_404_and_the_attempt_is_audited(
    open_case: Any, worker: Any, personas: Any, login_client: Any, who: str
) -> None:
    case = open_case()
    add_proceeding(case, worker)
    actor = {
        "other_case_worker": personas.other[Role.CASE_WORKER],
        "unassigned_lawyer": personas.other[Role.LAWYER],
        "lawyer_with_another_grant": personas.own[Role.LAWYER],
    }[who]
    if who == "lawyer_with_another_grant":
        CaseAccess.objects.create(
            case=case, user=actor, field_groups=["identity", "legal"], granted_by=worker
        )
    response = login_client(actor).get(reverse("legal:track", args=[case.pk]))
    assert response.status_code == 404 and b"Piraeus" not in response.content
    assert AuditRecord.objects.filter(action="denied", object_id=str(case.pk), actor=actor).exists()


@pytest.mark.parametrize("role", [Role.SCREENER, Role.NRM_DECISION_MAKER, Role.SERVICE_PROVIDER])
def test_roles_without_a_legal_track_are_refused(
    open_case: Any, personas: Any, login_client: Any, role: str
) -> None:
    case = open_case(actor=personas.own[Role.SCREENER])
    response = login_client(personas.own[role]).get(reverse("legal:track", args=[case.pk]))
    # Refused for the role before any case is looked up (so the answer says nothing about this case).
    assert response.status_code == 403


def test_the_case_page_links_to_the_legal_track_for_those_who_may_see_it(
    assigned: Any, open_case: Any, lawyer: Any, personas: Any, login_client: Any
) -> None:
    url = reverse("legal:track", args=[assigned.pk])
    assert url in login_client(lawyer).get(reverse("cases:detail", args=[assigned.pk])).content.decode()
    screener = personas.own[Role.SCREENER]
    theirs = open_case(actor=screener)
    page = login_client(screener).get(reverse("cases:detail", args=[theirs.pk]))
    assert page.status_code == 200 and reverse("legal:track", args=[theirs.pk]) not in page.content.decode()


def test_a_permit_decided_before_it_was_applied_for_is_refused_with_a_message(
    open_case: Any, worker: Any, login_client: Any, today: dt.date
) -> None:
    case = open_case()
    response = login_client(worker).post(
        reverse("legal:add", args=[case.pk, "permits"]),
        {
            "type": "humanitarian",
            "applied_on": today.isoformat(),
            "decided_on": (today - dt.timedelta(days=3)).isoformat(),
            "outcome": "granted",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "The decision cannot come before the application." in body
    assert not ResidencePermit.objects.exists()


def test_the_non_punishment_principle_is_recorded_with_the_offences(
    open_case: Any, worker: Any, login_client: Any, today: dt.date
) -> None:
    case = open_case()
    response = login_client(worker).post(
        reverse("legal:non_punishment", args=[case.pk]),
        {
            "non_punishment_applies": "on",
            "non_punishment_categories": ["documents", "immigration"],
            "non_punishment_offences": "Used a false passport at the airport",
            "non_punishment_status": "raised",
            "non_punishment_raised_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    track = case.legal_track
    track.refresh_from_db()
    assert track.non_punishment_applies and track.non_punishment_categories == ["documents", "immigration"]
    assert track.non_punishment_offences == "Used a false passport at the airport"


def test_a_hearing_is_added_to_proceedings_and_shown_on_the_dashboard(
    assigned: Any, worker: Any, lawyer: Any, login_client: Any, today: dt.date
) -> None:
    proceeding = add_proceeding(assigned, worker)
    soon = today + dt.timedelta(days=5)
    response = login_client(lawyer).post(
        reverse("legal:add_hearing", args=[assigned.pk, proceeding.pk]),
        {"on": soon.isoformat(), "purpose": "Testimony by video link"},
    )
    assert response.status_code == 302 and Hearing.objects.get().on == soon
    services.save_legal_record(
        actor=worker,
        case=assigned,
        record=ResidencePermit(type="temporary", outcome="granted", expires_on=today + dt.timedelta(days=20)),
    )
    dashboard = login_client(lawyer).get(reverse("cases:dashboard")).content.decode()
    assert "Hearings and residence permits" in dashboard and assigned.reference in dashboard
    assert "residence permit expires" in dashboard


def test_a_record_of_another_case_cannot_be_changed_through_this_one(
    open_case: Any, worker: Any, login_client: Any
) -> None:
    first, second = open_case(), open_case()
    proceeding = add_proceeding(first, worker)
    response = login_client(worker).get(reverse("legal:edit", args=[second.pk, "proceedings", proceeding.pk]))
    assert response.status_code == 404


def test_an_assignment_made_directly_counts_only_for_the_lawyer_named(open_case: Any, personas: Any) -> None:
    case = open_case()
    assign(case, personas.own[Role.LAWYER])
    assert can(personas.own[Role.LAWYER], "legal.change", case)
    assert not can(personas.other[Role.LAWYER], "legal.view", case)
    assert not can(personas.own[Role.LAWYER], "legal.assign_lawyer", case)


def test_a_permit_expiring_before_it_was_applied_for_is_refused_next_to_the_expiry_date(
    open_case: Any, worker: Any, login_client: Any, today: dt.date
) -> None:
    case = open_case()
    response = login_client(worker).post(
        reverse("legal:add", args=[case.pk, "permits"]),
        {
            "type": "humanitarian",
            "applied_on": today.isoformat(),
            "expires_on": (today - dt.timedelta(days=30)).isoformat(),
            "outcome": "pending",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "The permit cannot expire before it was applied for." in body
    assert response.context["form"].errors["expires_on"]
    assert not ResidencePermit.objects.exists()


def test_the_service_refuses_a_permit_expiring_before_its_application(
    open_case: Any, worker: Any, today: dt.date
) -> None:
    case = open_case()
    permit = ResidencePermit(
        type="humanitarian", applied_on=today, expires_on=today - dt.timedelta(days=1), outcome="pending"
    )
    with pytest.raises(ValidationError) as refused:
        services.save_legal_record(actor=worker, case=case, record=permit)
    assert "expires_on" in refused.value.message_dict
    assert not ResidencePermit.objects.exists()


def test_the_database_refuses_a_permit_expiring_before_its_application(
    open_case: Any, today: dt.date
) -> None:
    from django.db import IntegrityError, transaction

    case = open_case()
    with pytest.raises(IntegrityError), transaction.atomic():
        ResidencePermit.objects.create(
            case=case, type="humanitarian", applied_on=today, expires_on=today - dt.timedelta(days=1)
        )
