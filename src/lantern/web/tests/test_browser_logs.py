"""Secrets are never logged: a full browser run through the demo, with everything Lantern logs captured
(root at DEBUG — more than production logs), must not contain a password, a TOTP secret or code, or the names
of the people entered."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from lantern.accounts.models import User
from lantern.demo.accounts import DEMO_PASSWORD, load_demo
from lantern.web.log_format import JsonFormatter, RequestContextFilter
from lantern.web.tests.browser import sign_in, totp_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WRONG_PASSWORD = "Wrong-Password-7731"  # noqa: S105
GIVEN, FAMILY, ALIAS = "Zainab-Log-Probe", "Haddad-Log-Probe", "Zizi-Log-Probe"


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    # SQL stays at WARNING, as in production settings: at DEBUG Django prints every query's parameters.
    sql = logging.getLogger("django.db.backends")
    old_sql = sql.level
    sql.setLevel(logging.WARNING)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        sql.setLevel(old_sql)


def test_a_full_demo_run_logs_no_secret_and_no_name(page: Any, captured_logs: io.StringIO) -> None:
    logins = {login.username: login for login in load_demo()}
    worker = User.objects.get(username="caseworker")
    codes = []

    # A wrong password first (logged as a failed attempt: by username only), then the real sign-in.
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill("caseworker")
    page.get_by_label("Password").fill(WRONG_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    assert "There is a problem" in page.locator("main").inner_text()
    codes.append(totp_now(worker))
    sign_in(page, worker, DEMO_PASSWORD)

    page.goto("/cases/new/")
    page.get_by_label("Given names").fill(GIVEN)
    page.get_by_label("Family name").first.fill(FAMILY)
    page.get_by_label("Date the person was identified").fill("2024-05-02")
    page.get_by_role("button", name="Continue").click()
    page.goto(f"/cases/?family_name={FAMILY}")
    assert GIVEN in page.locator("main").inner_text()
    page.goto("/cases/999999/")  # a 404, logged with its path
    page.goto("/cases/dashboard/")
    page.get_by_role("button", name="Sign out").click()

    logged = captured_logs.getvalue()
    assert "/cases/999999/" in logged, "the capture saw nothing: this test would prove nothing"
    secrets = [DEMO_PASSWORD, WRONG_PASSWORD, GIVEN, FAMILY, *codes]
    secrets += [login.totp_secret for login in logins.values() if login.totp_secret]
    leaked = [secret for secret in secrets if secret in logged]
    assert leaked == [], f"logged: {leaked}"
