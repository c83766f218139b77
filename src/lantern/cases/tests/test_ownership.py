"""Ownership: every case has a named owner in its responsible organisation; assigning follows the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lantern.accounts.roles import Role
from lantern.accounts.tests.factories import UserFactory
from lantern.audit.models import AuditRecord
from lantern.authz.gate import Denied
from lantern.cases import ownership, selectors
from lantern.cases.models import CaseEvent

pytestmark = pytest.mark.django_db


def test_the_opener_owns_a_new_case_screener_or_case_worker(personas: Any, open_case: Any) -> None:
    screener = personas.own[Role.SCREENER]
    assert open_case(actor=screener).case_worker == screener
    worker = personas.own[Role.CASE_WORKER]
    assert open_case().case_worker == worker


def test_a_case_worker_reassigns_within_the_organisation_audited(personas: Any, open_case: Any) -> None:
    worker = personas.own[Role.CASE_WORKER]
    colleague = UserFactory(organisation=personas.own_org, roles=[Role.CASE_WORKER], username="colleague")
    case = open_case()
    ownership.assign_case(actor=worker, case=case, owner=colleague)
    case.refresh_from_db()
    assert case.case_worker == colleague
    event = case.events.get(kind=CaseEvent.Kind.OWNER_ASSIGNED)
    assert event.actor == worker and event.detail == {"owner": colleague.pk, "previous": worker.pk}
    assert AuditRecord.objects.filter(object_type="cases.case", object_id=str(case.pk)).exists()


def test_an_organisation_admin_assigns_and_unassigns_to_the_team_queue(personas: Any, open_case: Any) -> None:
    admin = personas.own[Role.ORG_ADMIN]
    case = open_case()
    ownership.assign_case(actor=admin, case=case, owner=None)
    case.refresh_from_db()
    assert case.case_worker is None


@pytest.mark.parametrize("who", ["other_org_worker", "no_case_role", "inactive", "screener_not_opener"])
def test_an_owner_must_be_a_case_worker_of_the_organisation(personas: Any, open_case: Any, who: str) -> None:
    worker = personas.own[Role.CASE_WORKER]
    candidates = {
        "other_org_worker": lambda: personas.other[Role.CASE_WORKER],
        "no_case_role": lambda: personas.own[Role.STATISTICS_VIEWER],
        "inactive": lambda: UserFactory(
            organisation=personas.own_org, roles=[Role.CASE_WORKER], is_active=False
        ),
        "screener_not_opener": lambda: personas.own[Role.SCREENER],
    }
    case = open_case()
    with pytest.raises(ValidationError) as error:
        ownership.assign_case(actor=worker, case=case, owner=candidates[who]())
    assert "owner" in error.value.message_dict
    case.refresh_from_db()
    assert case.case_worker == worker
    assert not case.events.filter(kind=CaseEvent.Kind.OWNER_ASSIGNED).exists()


def test_owner_by_id_says_the_same_for_another_organisation_and_for_nobody(
    personas: Any, open_case: Any
) -> None:
    case = open_case()
    messages = []
    for user_id in (personas.other[Role.CASE_WORKER].pk, 999999, "x"):
        with pytest.raises(ValidationError) as error:
            ownership.owner_by_id(case, user_id)
        messages.append(error.value.message_dict["owner"])
    assert messages[0] == messages[1] == messages[2]


@pytest.mark.parametrize("role", [Role.SCREENER, Role.LAWYER, Role.STATISTICS_VIEWER])
def test_other_roles_cannot_assign(personas: Any, open_case: Any, role: str) -> None:
    case = open_case()
    with pytest.raises(Denied):
        ownership.assign_case(actor=personas.own[role], case=case, owner=None)


def test_the_case_list_filters_mine_and_the_team_queue(personas: Any, open_case: Any, today: dt.date) -> None:
    worker = personas.own[Role.CASE_WORKER]
    mine, queued = open_case(), open_case()
    ownership.assign_case(actor=worker, case=queued, owner=None)
    listed = {
        owner: set(selectors.case_list(worker, today=today, owner=owner).values_list("pk", flat=True))
        for owner in ("", "mine", "unassigned")
    }
    assert listed["mine"] == {mine.pk}
    assert listed["unassigned"] == {queued.pk}
    assert listed[""] == {mine.pk, queued.pk}
