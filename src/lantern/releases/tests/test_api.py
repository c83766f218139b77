"""The releases API: read-only, scoped like the pages, downloads audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import ApiToken
from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord

from .factories import ReleaseFactory, published

pytestmark = pytest.mark.django_db
URL = "/api/v1/releases/"


def bearer(user: Any) -> dict[str, str]:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_statistics_viewers_list_published_releases_only(client: Client, personas: Any) -> None:
    ReleaseFactory(organisation=personas.own_authority, title="Draft")
    release = published(ReleaseFactory(organisation=personas.own_authority, title="Published"))
    data = client.get(URL, **bearer(personas.own[Role.STATISTICS_VIEWER])).json()
    assert [r["title"] for r in data["results"]] == ["Published"]
    detail = client.get(f"{URL}{release.pk}/", **bearer(personas.own[Role.STATISTICS_VIEWER])).json()
    assert detail["report"] == release.report and detail["k"] == 10


def test_the_file_is_an_audited_export(client: Client, personas: Any) -> None:
    release = published(ReleaseFactory(organisation=personas.own_authority))
    viewer = personas.own[Role.STATISTICS_VIEWER]
    response = client.get(f"{URL}{release.pk}/file/", **bearer(viewer))
    assert response.status_code == 200 and response.content.decode() == release.content
    assert AuditRecord.objects.filter(action="export", object_id=str(release.pk), actor=viewer).exists()


def test_other_countries_and_other_roles_get_nothing(client: Client, personas: Any) -> None:
    release = published(ReleaseFactory(organisation=personas.own_authority))
    abroad = client.get(f"{URL}{release.pk}/file/", **bearer(personas.other[Role.STATISTICS_VIEWER]))
    assert abroad.status_code == 404
    assert client.get(URL, **bearer(personas.own[Role.CASE_WORKER])).status_code == 403


def test_the_api_is_read_only(client: Client, personas: Any) -> None:
    response = client.post(URL, {"title": "x"}, **bearer(personas.own[Role.NRM_DECISION_MAKER]))
    assert response.status_code == 403  # no gate action is declared for a write: the gate refuses it


def test_the_schema_describes_the_releases_endpoints(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/releases/", "/api/v1/releases/{id}/", "/api/v1/releases/{id}/file/"} <= set(paths)
