"""The documents API: the same gate, checks and audit as the pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import ApiToken
from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord
from lantern.records.models import Document

from .conftest import PDF_BYTES, stored_files, upload

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_schema_describes_the_document_endpoints(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/cases/{case_pk}/documents/"]) >= {"get", "post"}
    assert "get" in paths["/api/v1/cases/{case_pk}/documents/{id}/download/"]


def test_upload_list_and_download(client: Client, open_case: Any, worker: Any) -> None:
    case = open_case()
    url = f"/api/v1/cases/{case.pk}/documents/"
    response = client.post(url, {"file": upload("a.pdf", PDF_BYTES), "kind": "legal"}, **bearer(worker))
    assert response.status_code == 201, response.content
    document_id = response.json()["id"]
    listed = client.get(url, **bearer(worker)).json()
    assert listed["count"] == 1  # a page, as every list of the API
    assert [row["id"] for row in listed["results"]] == [document_id] and "storage_name" not in listed[
        "results"
    ][0]
    download = client.get(f"{url}{document_id}/download/", HTTP_ACCEPT="application/pdf", **bearer(worker))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert download["X-Content-Type-Options"] == "nosniff"
    assert AuditRecord.objects.filter(action="export", object_id=str(document_id)).exists()


def test_a_disguised_upload_is_refused_and_nothing_is_kept(
    client: Client, open_case: Any, worker: Any, var_dir: Path
) -> None:
    case = open_case()
    response = client.post(
        f"/api/v1/cases/{case.pk}/documents/",
        {"file": upload("a.pdf", b"<html><script>x</script></html>"), "kind": "legal"},
        **bearer(worker),
    )
    assert response.status_code == 400 and "file" in response.json()
    assert not Document.objects.exists() and stored_files(var_dir) == []


def test_another_organisation_gets_404(client: Client, open_case: Any, worker: Any, personas: Any) -> None:
    case = open_case()
    url = f"/api/v1/cases/{case.pk}/documents/"
    document_id = client.post(
        url, {"file": upload("a.pdf", PDF_BYTES), "kind": "legal"}, **bearer(worker)
    ).json()["id"]
    outsider = bearer(personas.other[Role.CASE_WORKER])
    assert client.get(url, **outsider).status_code == 404
    assert client.get(f"{url}{document_id}/download/", **outsider).status_code == 404
    upload_attempt = client.post(url, {"file": upload("b.pdf", PDF_BYTES), "kind": "legal"}, **outsider)
    assert upload_attempt.status_code == 404 and Document.objects.count() == 1
