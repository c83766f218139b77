"""A case's fact row is rebuilt once per service call, at its end, inside its transaction
(`lantern.cases.reactions.case_counted`): once for a service that saves the case, logs events and records a
decision, through the pages, the API and outside any request; never when the service's writes are rolled
back; and not by a bare save (no signal: code that bypasses the services rebuilds itself)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from lantern.accounts.models import ApiToken
from lantern.cases import services
from lantern.cases.models import Case, Decision
from lantern.cases.tests.conftest import decider, nrm, open_case, refer, today, worker  # noqa: F401
from lantern.insights import fact_rows
from lantern.insights.models import CaseFact

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


@pytest.fixture
def rebuilds() -> Iterator[list[set[int]]]:
    """The case ids of each rebuild the services ask for (the rebuilds still happen)."""
    calls: list[set[int]] = []
    refresh = fact_rows.refresh_cases

    def spy(case_ids: Any) -> int:
        calls.append(set(case_ids))
        return refresh(case_ids)

    with mock.patch.object(fact_rows, "refresh_cases", spy):
        yield calls


def row(case: Case) -> dict[str, Any]:
    names = [f.attname for f in CaseFact._meta.concrete_fields if f.attname != "id"]
    return CaseFact.objects.filter(case=case).values(*names).get()


def rebuilt(case: Case) -> dict[str, Any]:
    """The row a rebuild from what is in the database now gives."""
    fact_rows.refresh_cases([case.pk])
    return row(case)


@pytest.fixture
def at_decision(decider: Any, open_case: Any, refer: Any) -> Case:  # noqa: F811
    """A referred case at its reasonable-grounds decision."""
    case = refer(open_case())
    return services.advance_stage(actor=decider, case=case, to_stage="reasonable_grounds")


def test_recording_a_decision_on_its_page_rebuilds_the_row_once(
    login_client: Any,
    decider: Any,  # noqa: F811
    at_decision: Case,
    today: dt.date,  # noqa: F811
    rebuilds: list[set[int]],
) -> None:
    case = at_decision
    response = login_client(decider).post(
        reverse("cases:decision", args=[case.pk]),
        {"outcome": "positive", "decided_on": today.isoformat(), "reasons": "Consistent account."},
    )
    assert response.status_code == 302
    # The view saved a decision, the case (twice: stage, then deadlines) and a timeline entry.
    assert Decision.objects.filter(case=case).count() == 1
    assert rebuilds == [{case.pk}]
    after = row(case)
    assert after["decisions"] == "preliminary:positive"
    assert after == rebuilt(case)


@pytest.mark.parametrize("key", [None, "decision-1"])
def test_a_decision_through_the_api_rebuilds_the_row_once(
    key: str | None,
    client: Any,
    decider: Any,  # noqa: F811
    at_decision: Case,
    today: dt.date,  # noqa: F811
    rebuilds: list[set[int]],
) -> None:
    case = at_decision
    _token, raw = ApiToken.issue(decider, "test")
    payload = {"outcome": "negative", "decided_on": today.isoformat(), "reasons": "No indicators."}
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    if key:  # the API idempotency middleware wraps the call in a transaction of its own
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    response = client.post(
        f"/api/v1/cases/{case.pk}/decisions/", payload, content_type="application/json", **headers
    )
    assert response.status_code == 201, response.content
    assert rebuilds == [{case.pk}]
    assert row(case)["decisions"] == "preliminary:negative" and row(case) == rebuilt(case)


def test_each_service_rebuilds_once_and_nested_services_join_the_outer_one(
    worker: Any,  # noqa: F811
    nrm: Any,  # noqa: F811
    today: dt.date,  # noqa: F811
    rebuilds: list[set[int]],
) -> None:
    case = services.create_case(
        actor=worker, data={"given_names": "Amina", "immediate_danger": True, "identified_on": today}
    )
    assert rebuilds == [{case.pk}]  # the case, two timeline entries, the deadlines
    # refer_to_nrm records the best-interests consent itself (a service inside a service).
    child = services.create_case(
        actor=worker, data={"given_names": "Sami", "date_of_birth": "2015-01-01", "identified_on": today}
    )
    rebuilds.clear()
    services.refer_to_nrm(actor=worker, case=child, authority=nrm, best_interests_note="Safer referred.")
    assert child.consents.count() == 1 and rebuilds == [{child.pk}]
    assert row(child) == rebuilt(child)


def test_several_services_rebuild_each_case_once_per_call(
    worker: Any,  # noqa: F811
    open_case: Any,  # noqa: F811
    rebuilds: list[set[int]],
) -> None:
    first, second = open_case(), open_case()
    rebuilds.clear()
    services.update_case(actor=worker, case=first, changes={"sex": "male"})
    services.record_consent(actor=worker, case=first, purpose="statistics", basis="person", language="ar")
    services.update_case(actor=worker, case=second, changes={"sex": "female"})
    assert rebuilds == [{first.pk}, {first.pk}, {second.pk}]
    assert row(first)["sex"] == "male" and row(first)["counted"]
    assert row(second)["sex"] == "female" and not row(second)["counted"]


def test_a_refused_service_rebuilds_nothing_and_leaves_the_row_as_it_was(
    decider: Any,  # noqa: F811
    at_decision: Case,
    today: dt.date,  # noqa: F811
    rebuilds: list[set[int]],
) -> None:
    case = at_decision
    before = row(case)
    with pytest.raises(ValidationError):
        services.record_decision(actor=decider, case=case, outcome="positive", decided_on=today, reasons="")
    assert rebuilds == []
    assert not Decision.objects.filter(case=case).exists()
    assert row(case) == before == rebuilt(case)


def test_a_bare_save_rebuilds_nothing(
    open_case: Any,  # noqa: F811
    rebuilds: list[set[int]],
) -> None:
    """No signal: code that changes a case without the services rebuilds its row itself."""
    case = open_case()
    rebuilds.clear()
    case.sex = "male"
    case.save()
    assert rebuilds == [] and row(case)["sex"] != "male"
    fact_rows.refresh_cases([case.pk])
    assert row(case)["sex"] == "male"


@pytest.mark.django_db(transaction=True)
def test_a_service_outside_any_transaction_commits_its_row(
    worker: Any,  # noqa: F811
    today: dt.date,  # noqa: F811
    rebuilds: list[set[int]],
) -> None:
    """As from a management command: no request, no transaction open; the service's own is the unit."""
    assert not connection.in_atomic_block
    case = services.create_case(actor=worker, data={"given_names": "Amina", "identified_on": today})
    assert not connection.in_atomic_block and rebuilds == [{case.pk}]
    assert row(case)["registered_on"] == today and row(case) == rebuilt(case)
