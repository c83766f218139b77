"""Anonymous visitors of pages without forms get no session: no row in the session table, no cookie."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/help/", "/verify/ABCD-EFGH-JKMN/", "/no-such-page/", "/p/en/"])
def test_an_anonymous_visit_creates_no_session(client: Client, url: str) -> None:
    for _ in range(3):
        response = client.get(url)
        assert response.status_code in (200, 404), response.status_code
        assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0


def test_the_sign_in_page_keeps_its_language_switcher_and_session(client: Client) -> None:
    response = client.get("/accounts/sign-in/")
    assert b'class="language-switcher"' in response.content
    assert Session.objects.count() == 1  # its form's CSRF token lives in the session


def test_a_signed_in_reader_of_help_keeps_the_language_switcher(login_client: Any, personas: Any) -> None:
    response = login_client(personas.own["screener"]).get("/help/")
    assert b'class="language-switcher"' in response.content and b"X-CSRFToken" in response.content


def test_the_favicon_is_served_without_a_session_and_every_base_page_links_it(client: Client) -> None:
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url.endswith("lantern/favicon.svg")
    assert not response.cookies and Session.objects.count() == 0
    assert finders.find("lantern/favicon.svg")
    for page in ("/help/", "/p/en/"):
        assert b'rel="icon"' in client.get(page).content, page
