"""The release pages: who sees what, making and reviewing through the pages, audited downloads."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord
from lantern.releases import services
from lantern.releases.models import Release, ReleaseStatus

from .factories import ReleaseFactory, published
from .synthetic import synthetic_rows

pytestmark = pytest.mark.django_db
READERS = {Role.NRM_DECISION_MAKER, Role.STATISTICS_VIEWER}


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_who_may_open_the_releases(personas: Any, login_client: Any, role: str) -> None:
    response = login_client(personas.own[role]).get(reverse("releases:list"))
    assert response.status_code == (200 if role in READERS else 403)


def test_statistics_viewers_see_published_releases_of_their_country_only(
    personas: Any, login_client: Any
) -> None:
    draft = ReleaseFactory(organisation=personas.own_authority, title="Draft of ours")
    ours = published(ReleaseFactory(organisation=personas.own_authority, title="Published of ours"))
    abroad = published(ReleaseFactory(organisation=personas.other_authority, title="Published in France"))
    client = login_client(personas.own[Role.STATISTICS_VIEWER])
    page = client.get(reverse("releases:list")).content.decode()
    assert "Published of ours" in page and "Draft of ours" not in page and "Published in France" not in page
    assert client.get(reverse("releases:detail", args=[ours.pk])).status_code == 200
    assert client.get(reverse("releases:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("releases:download", args=[draft.pk])).status_code == 404
    assert client.get(reverse("releases:download", args=[abroad.pk])).status_code == 404


def test_a_download_is_an_audited_export(personas: Any, login_client: Any) -> None:
    release = published(ReleaseFactory(organisation=personas.own_authority))
    viewer = personas.own[Role.STATISTICS_VIEWER]
    response = login_client(viewer).get(reverse("releases:download", args=[release.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode() == release.content
    assert AuditRecord.objects.filter(
        action="export", object_type="releases.release", object_id=str(release.pk), actor=viewer
    ).exists()
    report = login_client(viewer).get(reverse("releases:report", args=[release.pk]))
    assert report.json() == release.report


def test_a_coordinator_makes_microdata_through_the_page(
    personas: Any, login_client: Any, coordinator: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(services, "source_rows", lambda actor: synthetic_rows(400))
    client = login_client(coordinator)
    assert client.get(reverse("releases:create", args=["microdata"])).status_code == 200
    form = {"title": "Persons 2016–2025", "k": "10", "max_suppression": "5", "idempotency_key": "a" * 8}
    response = client.post(reverse("releases:create", args=["microdata"]), form)
    release = Release.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "releases:detail", args=[release.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "What was generalised" in page and "Persons 2016–2025" in page
    assert "another NRM decision-maker of your organisation must review it" in page


def test_a_coordinator_makes_tables_through_the_page(
    personas: Any, login_client: Any, coordinator: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(services, "source_rows", lambda actor: synthetic_rows(400))
    client = login_client(coordinator)
    form = {"title": "Tables", "epsilon": "1", "year_from": "2020", "year_to": "2025", "seed": ""}
    response = client.post(reverse("releases:create", args=["tables"]), form)
    release = Release.objects.get()
    assert response.status_code == 302 and release.publishable and release.epsilon == 1
    page = client.get(response["Location"]).content.decode()
    assert f"within ± {release.report['error_95']} of the true count" in page


def test_the_author_is_told_someone_else_must_approve(
    personas: Any, login_client: Any, coordinator: Any, second_coordinator: Any
) -> None:
    release = services.create_microdata_release(actor=coordinator, title="x", rows=synthetic_rows(300))
    url = reverse("releases:approve", args=[release.pk])
    response = login_client(coordinator).post(url, {"idempotency_key": "k1"})
    assert response.status_code == 200
    assert "another NRM decision-maker must review it" in response.content.decode()
    release.refresh_from_db()
    assert release.status == ReleaseStatus.DRAFT
    response = login_client(second_coordinator).post(url, {"idempotency_key": "k2"})
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == ReleaseStatus.REVIEWED and release.reviewed_by == second_coordinator


def test_statistics_viewers_cannot_approve_or_publish(personas: Any, login_client: Any) -> None:
    release = published(ReleaseFactory(organisation=personas.own_authority))
    client = login_client(personas.own[Role.STATISTICS_VIEWER])
    assert client.post(reverse("releases:approve", args=[release.pk])).status_code == 403
    assert client.post(reverse("releases:publish", args=[release.pk])).status_code == 403


def test_an_unknown_kind_is_not_found(login_client: Any, coordinator: Any) -> None:
    assert login_client(coordinator).get(reverse("releases:create", args=["other"])).status_code == 404
