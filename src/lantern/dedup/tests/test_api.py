"""The review queue API goes through the same gate and services: explicit fields, no names, outsiders 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import ApiToken
from lantern.accounts.roles import Role
from lantern.cases.tests.factories import authority, decision_maker
from lantern.dedup import services
from lantern.dedup.models import Band, MatchPair
from lantern.dedup.persons import person_ids

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def uncertain(people: dict[str, Any]) -> MatchPair:
    services.run_linkage()
    return MatchPair.objects.get(band=Band.REVIEW)


def test_the_schema_describes_the_pair_endpoints(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for action in ("", "same/", "different/", "undo/"):
        assert f"/api/v1/dedup/pairs/{{id}}/{action}" in paths
    assert "delete" not in paths["/api/v1/dedup/pairs/{id}/"]


def test_the_queue_lists_pairs_with_ids_and_levels_only(
    client: Client, decider: Any, uncertain: MatchPair
) -> None:
    rows = client.get("/api/v1/dedup/pairs/", {"queue": "review"}, **bearer(decider)).json()["results"]
    assert [row["id"] for row in rows] == [uncertain.pk]
    assert set(rows[0]) == {"id", "left", "right", "probability", "levels", "band", "decision", "decided_at"}
    everything = client.get("/api/v1/dedup/pairs/", **bearer(decider)).json()["results"]
    assert len(everything) == MatchPair.objects.count() and "Okafor" not in str(everything)


def test_same_then_undo_change_the_persons(client: Client, decider: Any, uncertain: MatchPair) -> None:
    headers = bearer(decider)
    ids = [uncertain.left_id, uncertain.right_id]
    response = client.post(
        f"/api/v1/dedup/pairs/{uncertain.pk}/same/",
        {"reason": "Passport"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200 and response.json()["decision"] == "same"
    assert len(set(person_ids(ids).values())) == 1
    again = client.post(
        f"/api/v1/dedup/pairs/{uncertain.pk}/different/", {}, content_type="application/json", **headers
    )
    assert again.status_code == 400 and "Undo that decision first" in str(again.json())
    assert (
        client.post(
            f"/api/v1/dedup/pairs/{uncertain.pk}/undo/", {}, content_type="application/json", **headers
        ).json()["decision"]
        == ""
    )
    assert len(set(person_ids(ids).values())) == 2


def test_an_outsider_gets_404_and_other_roles_403(
    client: Client, personas: Any, uncertain: MatchPair
) -> None:
    outsider = decision_maker(authority("Another Authority", "FR"), username="outsider")
    url = f"/api/v1/dedup/pairs/{uncertain.pk}/"
    assert client.get(url, **bearer(outsider)).status_code == 404
    assert client.post(f"{url}same/", {}, **bearer(outsider)).status_code == 404
    assert client.get(url, **bearer(personas.own[Role.CASE_WORKER])).status_code == 403
    assert MatchPair.objects.get(pk=uncertain.pk).decision == ""
