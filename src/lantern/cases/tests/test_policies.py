"""Who sees which cases and which fields: least privilege, and grants limited to the fields referred."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lantern.accounts.roles import Role
from lantern.authz.gate import can, visible
from lantern.cases.models import ALL_FIELD_GROUPS, Case
from lantern.cases.policies import visible_field_groups
from lantern.cases.sharing import grant_case_access, revoke_case_access

pytestmark = pytest.mark.django_db


def test_a_screener_sees_only_the_cases_they_opened(open_case: Any, personas: Any) -> None:
    screener = personas.own[Role.SCREENER]
    theirs, colleagues = open_case(actor=screener), open_case()
    assert list(visible(screener, "case.view", Case)) == [theirs]
    assert can(screener, "case.change", theirs) and not can(screener, "case.view", colleagues)
    assert not can(screener, "case.refer", theirs)


def test_the_case_worker_sees_every_case_of_the_organisation(
    open_case: Any, personas: Any, worker: Any
) -> None:
    cases = {open_case(actor=personas.own[Role.SCREENER]), open_case()}
    assert set(visible(worker, "case.view", Case)) == cases
    assert visible_field_groups(worker, next(iter(cases))) == ALL_FIELD_GROUPS


def test_another_organisation_sees_no_case(open_case: Any, personas: Any) -> None:
    case = open_case()
    for role in Role:
        assert not can(personas.other[role], "case.view", case)
        assert not visible(personas.other[role], "case.view", Case).exists()


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.SYSTEM_ADMIN, Role.STATISTICS_VIEWER])
def test_administrators_and_statistics_viewers_see_no_case(open_case: Any, personas: Any, role: str) -> None:
    case = open_case()
    assert not can(personas.own[role], "case.view", case)
    assert not visible(personas.own[role], "case.view", Case).exists()


def test_the_decision_maker_sees_only_cases_referred_to_their_authority(
    open_case: Any, refer: Any, decider: Any
) -> None:
    referred, kept = refer(open_case()), open_case()
    assert list(visible(decider, "case.view", Case)) == [referred]
    assert not can(decider, "case.view", kept)
    assert "contact" not in visible_field_groups(decider, referred)


def test_service_provider_cannot_see_unreferred_cases(open_case: Any, personas: Any) -> None:
    assert not visible(personas.other[Role.SERVICE_PROVIDER], "case.view", Case).exists()
    assert not can(personas.other[Role.SERVICE_PROVIDER], "case.view", open_case())


def test_service_provider_sees_only_the_referred_fields(open_case: Any, worker: Any, personas: Any) -> None:
    provider = personas.other[Role.SERVICE_PROVIDER]
    case = open_case()
    grant_case_access(
        actor=worker, case=case, organisation=personas.other_org, field_groups=["identity", "safety"]
    )
    assert can(provider, "case.view", case)
    assert visible_field_groups(provider, case) == {"identity", "safety"}
    assert not can(provider, "case.change", case)
    assert not can(personas.other[Role.SCREENER], "case.view", case)  # not a grantee role


def test_a_lawyer_sees_the_case_they_are_assigned_to_until_revoked(
    open_case: Any, worker: Any, personas: Any
) -> None:
    lawyer = personas.other[Role.LAWYER]
    case = open_case()
    access = grant_case_access(
        actor=worker, case=case, user=lawyer, field_groups=["identity", "exploitation"]
    )
    assert list(visible(lawyer, "case.view", Case)) == [case]
    assert not can(personas.own[Role.LAWYER], "case.view", case)
    revoke_case_access(actor=worker, access=access)
    assert not can(lawyer, "case.view", case)


@pytest.mark.parametrize("inline", [1000, 1], ids=["ids listed", "past the list: a sub-query"])
def test_a_provider_sees_exactly_its_live_grants_however_they_are_queried(
    open_case: Any, worker: Any, personas: Any, monkeypatch: Any, inline: int
) -> None:
    from lantern.cases import policies

    monkeypatch.setattr(policies, "GRANT_IDS_INLINE", inline)
    provider = personas.other[Role.SERVICE_PROVIDER]
    kept, ended, never = open_case(), open_case(), open_case()
    grant_case_access(actor=worker, case=kept, organisation=personas.other_org, field_groups=["identity"])
    access = grant_case_access(
        actor=worker, case=ended, organisation=personas.other_org, field_groups=["identity"]
    )
    assert set(visible(provider, "case.view", Case)) == {kept, ended}
    revoke_case_access(actor=worker, access=access)  # the same actor object: nothing read before is reused
    assert list(visible(provider, "case.view", Case)) == [kept]
    assert can(provider, "case.view", kept) and not can(provider, "case.view", ended)
    assert not can(provider, "case.view", never)


def test_a_grant_names_one_grantee_and_known_field_groups(open_case: Any, worker: Any, personas: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        grant_case_access(actor=worker, case=open_case(), field_groups=["everything"])
    assert {"user", "field_groups"} <= set(caught.value.message_dict)
