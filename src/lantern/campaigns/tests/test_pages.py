"""The campaign pages per role: who sees, changes and counts; other organisations' campaigns answer 404;
partners see the campaign but not its reach; the reach report and its CSV add up."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.campaigns import reach

from .factories import CampaignFactory

pytestmark = pytest.mark.django_db

READERS = (Role.ORG_ADMIN, Role.CASE_WORKER, Role.STATISTICS_VIEWER)
OUTSIDERS = (Role.SCREENER, Role.LAWYER, Role.SERVICE_PROVIDER, Role.NRM_DECISION_MAKER, Role.SYSTEM_ADMIN)


@pytest.fixture
def campaign(personas: Any) -> Any:
    return CampaignFactory(organisation=personas.own_org, name="Safe harvest")


@pytest.mark.parametrize("role", READERS)
def test_readers_see_the_list_and_the_campaign(
    login_client: Any, personas: Any, campaign: Any, role: str
) -> None:
    client = login_client(personas.own[role])
    assert "Safe harvest" in client.get(reverse("campaigns:list")).content.decode()
    assert client.get(reverse("campaigns:detail", args=[campaign.pk])).status_code == 200


@pytest.mark.parametrize("role", OUTSIDERS)
def test_other_roles_get_no_campaign_pages(
    login_client: Any, personas: Any, campaign: Any, role: str
) -> None:
    client = login_client(personas.own[role])
    for url in (
        reverse("campaigns:list"),
        reverse("campaigns:detail", args=[campaign.pk]),
        reverse("campaigns:reach"),
        reverse("campaigns:create"),
    ):
        assert client.get(url).status_code == 403, url


def test_a_statistics_viewer_sees_reach_but_cannot_change_the_campaign(
    login_client: Any, personas: Any, campaign: Any
) -> None:
    client = login_client(personas.own[Role.STATISTICS_VIEWER])
    assert client.get(reverse("campaigns:reach")).status_code == 200
    assert client.get(reverse("campaigns:edit", args=[campaign.pk])).status_code == 403
    assert (
        "Change the campaign"
        not in client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    )


def test_another_organisations_campaign_answers_404(login_client: Any, personas: Any, campaign: Any) -> None:
    client = login_client(personas.other[Role.ORG_ADMIN])
    assert client.get(reverse("campaigns:detail", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("campaigns:edit", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("campaigns:material", args=[campaign.pk, "en", "poster-a4"])).status_code == 404
    assert "Safe harvest" not in client.get(reverse("campaigns:list")).content.decode()


def test_a_partner_sees_the_campaign_and_its_materials_but_not_its_reach(
    login_client: Any, personas: Any, campaign: Any
) -> None:
    campaign.partners.add(personas.other_org)
    reach.count_qr_scan(campaign.code, "en")
    client = login_client(personas.other[Role.CASE_WORKER])

    assert "Safe harvest" in client.get(reverse("campaigns:list")).content.decode()
    detail = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert detail.status_code == 200 and "Reach so far" not in detail.content.decode()
    assert client.get(reverse("campaigns:edit", args=[campaign.pk])).status_code == 404
    assert '<th scope="row">Safe harvest</th>' not in client.get(reverse("campaigns:reach")).content.decode()
    assert "Safe harvest" not in client.get(reverse("campaigns:reach_csv")).content.decode()


def test_the_reach_report_shows_each_campaign_language_and_day_with_totals(
    login_client: Any, personas: Any, campaign: Any
) -> None:
    other = CampaignFactory(organisation=personas.own_org, name="Ask for help", languages=["fr"])
    for _ in range(2):
        reach.count_qr_scan(campaign.code, "en")
    reach.count_page_view(campaign.code, "ar")
    reach.count_page_view(other.code, "fr")
    client = login_client(personas.own[Role.STATISTICS_VIEWER])

    page = client.get(reverse("campaigns:reach")).content.decode()
    assert "<caption>Reach per campaign, language and day</caption>" in page
    assert '<th scope="row" colspan="3">Total</th><td>2</td><td>2</td>' in page

    only = client.get(reverse("campaigns:reach"), {"campaign": other.pk}).content.decode()
    assert '<th scope="row">Ask for help</th>' in only
    assert '<th scope="row">Safe harvest</th>' not in only


def test_the_reach_csv_has_one_row_per_campaign_language_and_day_and_a_total(
    login_client: Any, personas: Any, campaign: Any
) -> None:
    reach.count_qr_scan(campaign.code, "en")
    reach.count_page_view(campaign.code, "en")
    reach.count_page_view(campaign.code, "ar")
    response = login_client(personas.own[Role.CASE_WORKER]).get(reverse("campaigns:reach_csv"))

    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["campaign", "code", "language", "day", "page_views", "qr_scans"]
    assert [(r[0], r[2], r[4], r[5]) for r in rows[1:]] == [
        ("Safe harvest", "en", "1", "1"),
        ("Safe harvest", "ar", "1", "0"),
        ("total", "", "2", "1"),
    ]


def test_a_campaign_name_is_never_read_as_a_spreadsheet_formula(login_client: Any, personas: Any) -> None:
    campaign = CampaignFactory(organisation=personas.own_org, name="=HYPERLINK(1)")
    reach.count_qr_scan(campaign.code, "en")
    response = login_client(personas.own[Role.CASE_WORKER]).get(reverse("campaigns:reach_csv"))
    assert list(csv.reader(io.StringIO(response.content.decode())))[1][0] == "'=HYPERLINK(1)"


@pytest.mark.parametrize("url_name", ["campaigns:list", "campaigns:library", "campaigns:reach"])
def test_list_pages_take_as_many_queries_for_three_campaigns_as_for_one(
    login_client: Any, personas: Any, campaign: Any, url_name: str
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login_client(personas.own[Role.CASE_WORKER])
    reach.count_qr_scan(campaign.code, "en")
    client.get(reverse(url_name))  # the session's first request does more
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(url_name))
    for _ in range(2):
        more = CampaignFactory(organisation=personas.own_org, languages=["fr", "ar"])
        reach.count_page_view(more.code, "fr")
    with CaptureQueriesContext(connection) as three:
        assert client.get(reverse(url_name)).status_code == 200
    assert len(three) == len(one)
