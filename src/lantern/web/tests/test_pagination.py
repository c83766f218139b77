"""Pages of long lists counted only as far as needed (lantern.web.pagination)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantern.accounts.models import Organisation
from lantern.web import pagination
from lantern.web.pagination import WindowPaginator, paginate


@pytest.fixture
def small_window(monkeypatch: Any) -> None:
    monkeypatch.setattr(pagination, "CAP", 20)
    monkeypatch.setattr(pagination, "AHEAD", 2)


def test_a_short_list_is_counted_exactly() -> None:
    page = paginate(list(range(45)), 10, "2")
    assert page.paginator.count == 45 and not page.paginator.more
    assert page.paginator.num_pages == 5 and list(page) == list(range(10, 20))


def test_a_long_list_says_more_and_keeps_a_full_last_counted_page(small_window: None) -> None:
    rows = list(range(1000))
    page = paginate(rows, 10, "2")  # window: max(20 // 10, 2 + 2) pages = 40 rows
    assert page.paginator.more and page.paginator.counted == 40 and page.paginator.pages_counted == 4
    assert page.has_next()
    last = paginate(rows, 10, "5")  # window 70 rows; page 5 lies inside it
    assert list(last) == list(range(40, 50))
    edge = page.paginator.page(page.paginator.num_pages)  # the page beyond the counted window is not cut
    assert list(edge) == list(range(40, 50))


def test_every_page_stays_reachable_by_next(small_window: None) -> None:
    rows = list(range(95))
    number, seen = 1, []
    for _ in range(20):
        page = paginate(rows, 10, str(number))
        seen.extend(page)
        if not page.has_next():
            break
        number = page.next_page_number()
    assert seen == rows


@pytest.mark.parametrize(("asked", "shown"), [("x", 1), ("", 1), ("-3", 10), ("999", 10)])
def test_a_bad_page_number_gives_the_first_or_the_last_page_as_django_does(asked: str, shown: int) -> None:
    assert paginate(list(range(100)), 10, asked).number == shown


@pytest.mark.django_db
def test_the_count_of_a_queryset_stops_at_the_window(small_window: None) -> None:
    Organisation.objects.bulk_create(
        Organisation(name=f"Org {i}", type="ngo", country="GR") for i in range(30)
    )
    organisations = Organisation.objects.order_by("pk")
    paginator = WindowPaginator(organisations, 5, 1)  # window: max(4, 3) pages = 20 rows
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 21 and paginator.more and paginator.counted == 20
    assert "LIMIT 21" in queries.captured_queries[0]["sql"].upper()
    assert Organisation.objects.count() > 21


HUGE_PAGE = "99999999999999999999999"  # 23 digits: past a 64-bit SQL offset


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "role"),
    [
        ("/cases/", "case_worker"),
        ("/referrals/", "case_worker"),
        ("/referrals/directory/", "case_worker"),
        ("/screening/", "screener"),
        ("/accounts/people/", "org_admin"),
        ("/audit/", "system_admin"),
        ("/dedup/", "nrm_decision_maker"),
        ("/releases/", "nrm_decision_maker"),
    ],
)
def test_a_page_number_past_any_integer_shows_the_last_page_not_an_error(
    personas: Any, login_client: Any, url: str, role: str
) -> None:
    from lantern.cases.tests.factories import case_related_to

    case_related_to(personas.own_org, personas.own["case_worker"])
    client = login_client(personas.own[role])
    for asked in (HUGE_PAGE, "-" + HUGE_PAGE, "9" * 5000):
        response = client.get(url, {"page": asked})
        assert response.status_code == 200, (url, asked[:30], response.status_code)
