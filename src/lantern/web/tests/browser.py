"""Helpers for browser tests: Playwright driving Debian's Chromium, and axe-core for accessibility."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[4]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("Debian's chromium is not installed: `make test` installs it (apt-get install chromium).")
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    # bypass_csp lets the test inject axe-core; the site's own pages are still checked for CSP by other tests.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="en-GB")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def axe_violations(page: Any, exclude_rules: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0–2.2 A/AA rules) on the page and return its violations."""
    if not AXE.exists():
        pytest.fail(f"axe-core not found at {AXE}: `make test` runs `npm ci` to install it.")
    page.add_script_tag(path=str(AXE))
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
    if exclude_rules:
        options["rules"] = {rule: {"enabled": False} for rule in exclude_rules}
    result = page.evaluate(f"async () => await axe.run(document, {json.dumps(options)})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe-core violations on {page.url}: {json.dumps(violations, indent=1)}"


def totp_now(user: Any) -> str:
    from django_otp.oath import totp

    from lantern.accounts.models import EncryptedTOTPDevice

    device = EncryptedTOTPDevice.objects.filter(
        user=user, confirmed=True
    ).first() or EncryptedTOTPDevice.objects.create(user=user, name="browser test", confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(page: Any, user: Any, password: str) -> None:
    """Sign in through the real pages, password then TOTP."""
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    if user.needs_two_factor:
        page.get_by_label("Authentication code").fill(totp_now(user))
        page.get_by_role("button", name="Continue").click()
