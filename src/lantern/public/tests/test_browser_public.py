"""End to end in Chromium: the public pages in Arabic and Tigrinya, the quick exit, accessibility."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from lantern.web.tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEUTRAL = "/healthz"  # stands in for the neutral site: tests make no request outside the test server


@pytest.fixture
def neutral_exit(settings: Any, live_server: Any) -> str:
    settings.LANTERN_PUBLIC_EXIT_URL = f"{live_server.url}{NEUTRAL}"
    return settings.LANTERN_PUBLIC_EXIT_URL


def _record_hosts(page: Any) -> set[str]:
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    return hosts


@pytest.mark.parametrize("lang", ["ar", "ti"])
def test_public_pages_are_accessible_and_leave_only_one_history_entry(
    page: Any, live_server: Any, neutral_exit: str, lang: str
) -> None:
    hosts = _record_hosts(page)
    page.goto(f"/p/{lang}/")
    html = page.locator("html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("[data-draft]").is_visible()
    assert_accessible(page)
    for link in ("rights_link", "help_link"):
        page.goto(f"/p/{lang}/")
        page.locator("main ul.cards a").nth(0 if link == "rights_link" else 2).click()
        page.wait_for_load_state()
        assert_accessible(page)
    page.goto(f"/p/{lang}/check/")
    assert_accessible(page)
    page.locator("#q-debt-yes").check()
    page.locator("#q-threats-unsure").check()
    page.locator("main button[type=submit]").click()
    assert page.locator('[data-result="signs"]').is_visible()
    assert_accessible(page)
    page.goto(f"/p/{lang}/rights/GR/")
    assert_accessible(page)
    assert hosts == {urlsplit(live_server.url).netloc}


@pytest.mark.parametrize("lang", ["ar", "ti"])
def test_the_escape_key_replaces_the_page_with_the_neutral_site(
    page: Any, neutral_exit: str, lang: str
) -> None:
    page.goto("about:blank")
    page.goto(f"/p/{lang}/")
    page.locator("main ul.cards a").first.click()  # a link between public pages replaces the history entry
    page.wait_for_url(f"**/p/{lang}/rights/")
    page.keyboard.press("Escape")
    page.wait_for_url(neutral_exit)
    page.go_back()
    assert "/p/" not in page.url  # nothing of the public pages is left to go back to


def test_the_exit_button_replaces_the_page(page: Any, neutral_exit: str) -> None:
    page.goto("about:blank")
    page.goto("/p/ar/help/")
    page.locator("[data-exit]").click()
    page.wait_for_url(neutral_exit)
    page.go_back()
    assert "/p/" not in page.url


def test_without_javascript_the_exit_is_a_plain_link_and_the_self_check_works(
    browser: Any, live_server: Any, neutral_exit: str
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    tab.goto("/p/ti/check/")
    tab.locator("#q-documents-no").check()
    tab.locator("main button[type=submit]").click()
    assert tab.locator('[data-result="none"]').is_visible()
    assert context.cookies() == []
    tab.locator("[data-exit]").click()
    tab.wait_for_url(neutral_exit)
    context.close()
