"""Security headers, the strict CSP, the health check, and `check --deploy` under production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

REPO = Path(__file__).resolve().parents[4]


@pytest.mark.django_db
def test_pages_carry_a_strict_csp_and_security_headers(client: Client) -> None:
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_templates_contain_no_inline_script_or_style(client: Client) -> None:
    body = client.get(reverse("accounts:login")).content.decode()
    assert "<style" not in body
    for chunk in body.split("<script")[1:]:
        assert chunk.lstrip().startswith("src="), "inline <script> would be blocked by the CSP"
    assert " style=" not in body and " onclick=" not in body


@pytest.mark.django_db
def test_signed_in_pages_are_not_cached(login_client: Any, personas: Any) -> None:
    response = login_client(personas.own["case_worker"]).get(reverse("web:home"))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_reports_database_and_migrations(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}


@pytest.mark.django_db
def test_healthz_reports_unapplied_migrations(client: Client, monkeypatch: Any) -> None:
    from lantern.web import views

    monkeypatch.setattr(views, "_pending_migrations", lambda: ["cases.0001_initial"])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == {"unapplied": ["cases.0001_initial"]}


@pytest.mark.django_db
def test_healthz_probes_the_database_with_the_readiness_check(client: Client, monkeypatch: Any) -> None:
    from django.db import OperationalError

    from lantern.web import readiness

    def unreachable() -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(readiness, "database", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unhealthy", "database": "unreachable: OperationalError"}


def test_check_deploy_is_clean_under_production_settings(tmp_path: Path) -> None:
    from lantern.crypto.keyring import generate_keyring_json

    env = {k: v for k, v in os.environ.items() if not k.startswith(("LANTERN_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="lantern.settings.production",
        DJANGO_SECRET_KEY="p" * 20 + "-production-secret-key-for-the-check-0123456789",
        DJANGO_ALLOWED_HOSTS="lantern.example.org",
        LANTERN_KEYRING=generate_keyring_json(),
        LANTERN_VAR_DIR=str(tmp_path),
        PYTHONPATH=str(REPO / "src"),
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_debug(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LANTERN_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="lantern.settings.production",
        DJANGO_DEBUG="true",
        DJANGO_SECRET_KEY="x" * 60,
        PYTHONPATH=str(REPO / "src"),
        LANTERN_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0 and "DJANGO_DEBUG must be false" in result.stderr
