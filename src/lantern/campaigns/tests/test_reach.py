"""Reach counting: one counter per campaign, language, day and kind — nothing that could identify anyone."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lantern.campaigns import reach
from lantern.campaigns.models import ReachCount, ReachKind

from .factories import CampaignFactory

pytestmark = pytest.mark.django_db

# A visitor's browser sends all of these; none may end up in the database.
VISITOR = {
    "REMOTE_ADDR": "203.0.113.77",
    "HTTP_X_FORWARDED_FOR": "198.51.100.23",
    "HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14; Pixel 7) UniqueAgent/9.9",
    "HTTP_REFERER": "https://social.example/post/12345",
    "HTTP_ACCEPT_LANGUAGE": "ar-SY,ar;q=0.9",
    "HTTP_COOKIE": "tracking=abc123",
}
TRACES = ("203.0.113.77", "198.51.100.23", "UniqueAgent", "social.example", "ar-SY", "abc123")


def counts(campaign: Any) -> dict[tuple[str, str], int]:
    return {(c.language, c.kind): c.count for c in ReachCount.objects.filter(campaign=campaign)}


def test_a_counter_row_has_only_campaign_language_day_kind_and_count() -> None:
    names = {field.name for field in ReachCount._meta.get_fields()}
    assert names == {"id", "campaign", "language", "day", "kind", "count"}
    assert ReachCount._meta.get_field("day").get_internal_type() == "DateField"


def test_scans_and_views_after_real_requests_store_nothing_about_the_visitor(client: Any) -> None:
    campaign = CampaignFactory()
    client.get(reverse("campaign_qr", args=[campaign.code, "ar"]), **VISITOR)
    client.get(reverse("public:home", args=["ar"]) + f"?c={campaign.code}", **VISITOR)

    rows = [
        {k: v for k, v in row.items() if k != "id"} for row in ReachCount.objects.order_by("kind").values()
    ]
    today = timezone.now().date()
    assert rows == [
        {"campaign_id": campaign.pk, "language": "ar", "day": today, "kind": "scan", "count": 1},
        {"campaign_id": campaign.pk, "language": "ar", "day": today, "kind": "view", "count": 1},
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM campaigns_reachcount")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert not [trace for trace in TRACES if trace in stored]


def test_the_qr_redirect_counts_a_scan_and_opens_the_public_pages_without_a_cookie(client: Any) -> None:
    campaign = CampaignFactory()
    response = client.get(reverse("campaign_qr", args=[campaign.code, "en"]), **VISITOR)

    assert response.status_code == 302
    assert response["Location"] == f"/p/en/?c={campaign.code}"
    assert "Set-Cookie" not in response.headers and not response.cookies
    assert response["Cache-Control"] == "no-store"
    assert counts(campaign) == {("en", ReachKind.QR_SCAN): 1}


def test_the_public_page_it_opens_sets_no_cookie_and_counts_a_view(client: Any) -> None:
    campaign = CampaignFactory()
    response = client.get(reverse("campaign_qr", args=[campaign.code, "en"]), follow=True, **VISITOR)

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers and not client.cookies
    assert counts(campaign) == {("en", ReachKind.QR_SCAN): 1, ("en", ReachKind.PAGE_VIEW): 1}


def test_counts_add_up_per_language_and_kind() -> None:
    campaign = CampaignFactory()
    for _ in range(3):
        reach.count_qr_scan(campaign.code, "en")
    reach.count_page_view(campaign.code, "en")
    reach.count_page_view(campaign.code, "ar")

    assert counts(campaign) == {("en", "scan"): 3, ("en", "view"): 1, ("ar", "view"): 1}
    assert ReachCount.objects.count() == 3


def test_a_new_day_starts_a_new_counter(monkeypatch: pytest.MonkeyPatch) -> None:
    campaign = CampaignFactory()
    reach.count_qr_scan(campaign.code, "en")
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(reach.timezone, "now", lambda: tomorrow)
    reach.count_qr_scan(campaign.code, "en")

    assert sorted(ReachCount.objects.values_list("day", "count")) == [
        (tomorrow.date() - datetime.timedelta(days=1), 1),
        (tomorrow.date(), 1),
    ]


def test_an_increment_is_one_update_in_sql_not_a_read_then_write() -> None:
    campaign = CampaignFactory()
    reach.count_qr_scan(campaign.code, "en")
    with CaptureQueriesContext(connection) as queries:
        reach.count_qr_scan(campaign.code, "en")
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1 and '"count" + ' in updates[0]
    assert counts(campaign) == {("en", "scan"): 2}


def test_a_counter_created_meanwhile_by_another_request_is_incremented_not_duplicated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    campaign = CampaignFactory()
    reach.count_qr_scan(campaign.code, "en")  # the other request's row, there when ours tries to create it
    update = QuerySet.update
    calls: list[int] = []

    def row_not_there_yet_at_first(self: QuerySet, **kwargs: Any) -> int:
        calls.append(1)
        return 0 if len(calls) == 1 else update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", row_not_there_yet_at_first)
    reach.count_qr_scan(campaign.code, "en")

    assert len(calls) == 2  # the first update found nothing; the create lost the race; the update retried
    assert counts(campaign) == {("en", "scan"): 2}


@pytest.mark.parametrize(
    ("code", "language"),
    [("nosuchcode", "en"), (None, "en"), ("", "en"), ("x" * 100, "en"), ("CAMPAIGN", "de"), ("CAMPAIGN", "")],
)
def test_unknown_codes_and_languages_are_ignored_silently(code: Any, language: str) -> None:
    campaign = CampaignFactory()
    code = campaign.code if code == "CAMPAIGN" else code
    reach.count_page_view(code, language)
    reach.count_qr_scan(code, language)
    assert not ReachCount.objects.exists()


def test_a_campaign_not_counting_reach_is_not_counted(client: Any) -> None:
    campaign = CampaignFactory(active=False)
    response = client.get(reverse("campaign_qr", args=[campaign.code, "en"]))
    assert response.status_code == 302
    assert not ReachCount.objects.exists()


def test_an_unknown_code_still_opens_the_public_pages(client: Any) -> None:
    response = client.get(reverse("campaign_qr", args=["nosuchcode", "fr"]))
    assert response.status_code == 302 and response["Location"].startswith("/p/fr/")
    assert not ReachCount.objects.exists()


def test_an_unknown_language_opens_the_language_choice(client: Any) -> None:
    campaign = CampaignFactory()
    response = client.get(reverse("campaign_qr", args=[campaign.code, "xx"]))
    assert response.status_code == 302 and response["Location"] == reverse("public:choose_language")
    assert not ReachCount.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent connections need a server database")
def test_concurrent_scans_on_the_first_hit_of_the_day_are_all_counted() -> None:
    import threading

    from django.db import connections

    campaign = CampaignFactory()
    start = threading.Barrier(8)
    failures: list[BaseException] = []

    def scan_five_times() -> None:
        try:
            start.wait()
            for _ in range(5):
                reach.count_qr_scan(campaign.code, "en")
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan_five_times) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert counts(campaign) == {("en", "scan"): 40}
