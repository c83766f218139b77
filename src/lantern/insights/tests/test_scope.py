"""What each role counts: the country for statistics viewers and NRM decision-makers, the organisation for
its administrators; only cases whose consent allows statistics; small cells hidden except for NRM
decision-makers."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.accounts.roles import Role
from lantern.insights import reports, selectors
from lantern.insights.statistics import Filters

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(personas: Any, greek_ngo: Any, counted_case: Any) -> dict[str, Any]:
    return {
        "own": counted_case(personas.own_org),
        "greek_ngo": counted_case(greek_ngo),
        "no_consent": counted_case(personas.own_org, statistics=False),
        "france": counted_case(personas.other_org),
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.STATISTICS_VIEWER, {"own", "greek_ngo"}),
        (Role.NRM_DECISION_MAKER, {"own", "greek_ngo"}),
        (Role.ORG_ADMIN, {"own"}),
        (Role.SCREENER, set()),
        (Role.CASE_WORKER, set()),
        (Role.LAWYER, set()),
        (Role.SERVICE_PROVIDER, set()),
        (Role.SYSTEM_ADMIN, set()),
    ],
)
def test_each_role_counts_its_scope_with_consent_only(
    personas: Any, cases: dict[str, Any], role: str, expected: set[str]
) -> None:
    counted = set(selectors.countable_cases(personas.own[role]).values_list("pk", flat=True))
    assert counted == {cases[name].pk for name in expected}


def test_only_nrm_decision_makers_export_microdata(personas: Any, cases: dict[str, Any]) -> None:
    for role in Role:
        counted = selectors.countable_cases(personas.own[role], "insights.microdata")
        assert counted.exists() is (role == Role.NRM_DECISION_MAKER), role


def test_statistics_viewers_see_small_counts_as_fewer_than_five(personas: Any, cases: dict[str, Any]) -> None:
    viewer = reports.dashboard_report(personas.own[Role.STATISTICS_VIEWER], Filters())
    coordinator = reports.dashboard_report(personas.own[Role.NRM_DECISION_MAKER], Filters())
    # Two persons: perturbed to 0-4, so "fewer than 5" (None / "<5") or 0 — never 2.
    assert viewer.suppressed and viewer.persons in (None, 0)
    sex = viewer.table("sex")
    assert sex is not None and sex.total.values[-1] in ("<5", 0)
    assert not coordinator.suppressed and coordinator.persons == 2
    exact = coordinator.table("sex")
    assert exact is not None and exact.total.values[-1] == 2


def test_the_dashboard_runs_a_fixed_number_of_queries(
    personas: Any,
    greek_ngo: Any,
    counted_case: Any,
    django_assert_num_queries: Any,
    django_assert_max_num_queries: Any,
) -> None:
    coordinator = personas.own[Role.NRM_DECISION_MAKER]
    coordinator.organisation  # noqa: B018  (loaded once per request by the session middleware)
    _ = coordinator.roles
    counted_case(personas.own_org)
    # fact rows, referrals, and whatever lantern.dedup needs (one query today)
    with django_assert_max_num_queries(6) as few:
        reports.dashboard_report(coordinator, Filters())
    for _i in range(10):
        counted_case(greek_ngo)
    with django_assert_num_queries(len(few.captured_queries)):
        reports.dashboard_report(coordinator, Filters())
