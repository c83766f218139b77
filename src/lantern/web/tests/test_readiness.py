"""`/readyz`: 200 only when every check passes; otherwise 503 naming what is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from lantern.audit.services import record
from lantern.web import readiness

pytestmark = pytest.mark.django_db


def test_ready_when_every_check_passes(client: Client, settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "keyring", "document_store", "static_files", "audit_sealing"}
    assert set(body["checks"].values()) == {"ok"}
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_an_unwritable_document_store_is_named(client: Client, settings: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.VAR_DIR = blocker  # documents/ cannot be made under a file
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["document_store"] != "ok" and checks["database"] == "ok"


def test_a_keyring_that_does_not_decrypt_is_named(
    client: Client, monkeypatch: Any, settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr("lantern.crypto.cipher.decrypt", lambda token, context: "something else")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "does not decrypt" in response.json()["checks"]["keyring"]


def test_audit_records_piling_up_unsealed_are_named(
    client: Client, monkeypatch: Any, settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(readiness, "MAX_UNSEALED_AUDIT_RECORDS", 0)
    record(
        "system", object_type="test.thing", object_id="1"
    )  # the test's transaction never commits: unsealed
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "wait to be sealed" in response.json()["checks"]["audit_sealing"]


def test_maintenance_mode_takes_the_instance_out(
    client: Client, monkeypatch: Any, settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("LANTERN_MAINTENANCE", "1")
    response = client.get("/readyz")
    assert response.status_code == 503 and "maintenance" in response.json()["checks"]


def test_during_an_upgrade_healthz_and_readyz_say_so_instead_of_failing(
    client: Client, settings: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(readiness, "audit_sealing", lambda: "a check that fails while the release changes")
    monkeypatch.setitem(readiness.CHECKS, "audit_sealing", readiness.audit_sealing)
    assert client.get("/readyz").status_code == 503
    (tmp_path / readiness.UPGRADE_FLAG).write_text("")  # deploy/upgrade.sh holds it
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json()["status"] == "upgrade in progress"
    assert response.json()["checks"]["audit_sealing"] != "ok"
    monkeypatch.setattr("lantern.web.views._pending_migrations", lambda: ["cases.0099_new"])
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "upgrade in progress"
    (tmp_path / readiness.UPGRADE_FLAG).unlink()
    assert client.get("/healthz").status_code == 503


def test_healthz_answers_even_when_the_migration_files_cannot_be_read(
    client: Client, settings: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """While upgrade.sh installs a release, migration modules can be missing for a moment: a clear answer
    (200 "upgrade in progress" with the flag), not a crash."""
    settings.VAR_DIR = tmp_path

    def half_installed() -> list[str]:
        raise ModuleNotFoundError("No module named 'lantern.cases.migrations.0042_new'")

    monkeypatch.setattr("lantern.web.views._pending_migrations", half_installed)
    response = client.get("/healthz")
    assert response.status_code == 503 and "cannot be read" in response.json()["migrations"]
    (tmp_path / readiness.UPGRADE_FLAG).write_text("")
    assert client.get("/healthz").json()["status"] == "upgrade in progress"
