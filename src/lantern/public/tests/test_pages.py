"""Every public page: no cookie, nothing from another host, right language and direction, light, no state."""

from __future__ import annotations

import logging
import re
import sys
import types
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.contrib.staticfiles import finders
from django.test import Client

from lantern.public import texts
from lantern.public.views import exit_url

pytestmark = pytest.mark.django_db

MAX_PAGE_BYTES = 30 * 1024  # HTML + CSS + JS, for an old phone on a slow link
ANSWERS = {"documents": "yes", "threats": "yes", "debt": "unsure"}


def _page_urls(lang: str) -> list[str]:
    return [
        f"/p/{lang}/",
        f"/p/{lang}/rights/",
        *[f"/p/{lang}/rights/{country}/" for country in texts.load_helplines()],
        f"/p/{lang}/help/",
        f"/p/{lang}/check/",
    ]


ALL_PAGES = ["/p/", *[url for lang in texts.LANGUAGES for url in _page_urls(lang)]]


def _fetch(client: Client, url: str) -> Any:
    if url.endswith("/check/#post"):
        return client.post(url.removesuffix("#post"), ANSWERS)
    return client.get(url)


PAGES_AND_RESULTS = [*ALL_PAGES, *[f"/p/{lang}/check/#post" for lang in texts.LANGUAGES]]


@pytest.mark.parametrize("url", PAGES_AND_RESULTS)
def test_a_public_page_sets_no_cookie_and_refers_to_no_other_host(client: Client, url: str) -> None:
    response = _fetch(client, url)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert not response.cookies
    html = response.content.decode()
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) == {exit_url()}
    assert not re.search(r"(?:src|href|action)=\"//", html)
    for asset in re.findall(r"(?:src|href)=\"(/static/[^\"]+)\"", html):
        assert finders.find(asset.removeprefix("/static/")), asset


@pytest.mark.parametrize("url", PAGES_AND_RESULTS)
def test_a_public_page_keeps_the_security_headers_and_is_not_cached(client: Client, url: str) -> None:
    response = _fetch(client, url)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "default-src 'self'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("url", PAGES_AND_RESULTS)
def test_a_public_page_weighs_less_than_30_kb_with_its_css_and_js(client: Client, url: str) -> None:
    html = _fetch(client, url).content.decode()
    weight = len(html.encode())
    for asset in re.findall(r"(?:src|href)=\"/static/([^\"]+)\"", html):
        weight += len(open(finders.find(asset), "rb").read())  # noqa: SIM115, PTH123
    assert weight < MAX_PAGE_BYTES


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_the_language_and_direction_come_from_the_address(client: Client, lang: str) -> None:
    for url in _page_urls(lang):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        html = response.content.decode()
        assert f'<html lang="{lang}" dir="{texts.direction_of(lang)}">' in html
        assert response.headers["Content-Language"] == lang
        assert texts.load_language(lang)["ui"]["exit"] in html
        assert ("data-draft" in html) is (lang != "en")


@pytest.mark.parametrize("url", ALL_PAGES)
def test_the_quick_exit_works_without_javascript_as_a_plain_link(client: Client, url: str) -> None:
    html = client.get(url).content.decode()
    link = re.search(r"<a class=\"exit\" href=\"([^\"]+)\" rel=\"noreferrer\" data-exit>", html)
    assert link and link.group(1) == exit_url()
    assert html.index("data-exit") < html.index('id="main"')  # at the top of every page
    assert '<a class="skip" href="#main">' in html


def test_the_quick_exit_target_is_a_setting(client: Client, settings: Any) -> None:
    settings.LANTERN_PUBLIC_EXIT_URL = "https://weather.example/today"
    assert (
        'href="https://weather.example/today" rel="noreferrer" data-exit'
        in client.get("/p/ti/").content.decode()
    )


UNKNOWN = ["/p/xx/", "/p/en/rights/ZZ/", "/p/xx/check/", "/p/ar/nowhere/", "/p/xx/help/"]


@pytest.mark.parametrize("url", UNKNOWN)
def test_an_unknown_address_is_a_light_not_found_page_without_a_cookie(client: Client, url: str) -> None:
    response = client.get(url)
    html = response.content.decode()
    lang = "ar" if url.startswith("/p/ar/") else "en"
    assert response.status_code == 404
    assert not response.cookies
    assert f'<html lang="{lang}" dir="{texts.direction_of(lang)}">' in html
    assert texts.load_language(lang)["ui"]["not_found_title"] in html and "data-exit" in html


def test_the_rights_page_shows_the_profile_periods_in_the_readers_language(client: Client) -> None:
    uk = client.get("/p/en/rights/GB/").content.decode()
    assert "at least 30 days" in uk and "within 5 working days" in uk
    greece = client.get("/p/el/rights/GR/").content.decode()
    assert "τουλάχιστον 90 ημέρες" in greece
    assert texts.load_language("el")["rights"]["facts"]["to_be_confirmed"] in greece
    other = client.get("/p/ar/rights/").content.decode()
    assert "30 يومًا" in other and "Modern Slavery" not in other


def test_the_helplines_page_lists_112_and_marks_placeholders(client: Client) -> None:
    html = client.get("/p/fa/help/").content.decode()
    assert 'href="tel:112"' in html and 'href="tel:+448000121700"' in html
    assert texts.load_language("fa")["help"]["example_note"] in html
    assert 'href="tel:0000' not in html


def test_the_self_check_posts_to_itself_so_answers_stay_out_of_addresses_and_history(client: Client) -> None:
    html = client.get("/p/en/check/").content.decode()
    assert '<form method="post" action="/p/en/check/"' in html
    assert "csrfmiddlewaretoken" not in html
    for question in ("documents", "threats", "contact"):
        assert f'name="{question}" value="unsure"' in html


@pytest.mark.parametrize(
    ("answers", "kind", "danger"),
    [
        (ANSWERS, "signs", True),
        ({"debt": "unsure"}, "unsure", False),
        ({"debt": "no"}, "none", False),
        ({}, "none", False),
    ],
)
def test_the_self_check_result_is_never_a_verdict_and_ends_with_contacts(
    answers: dict[str, str], kind: str, danger: bool
) -> None:
    client = Client(enforce_csrf_checks=True)  # the form works without a CSRF cookie or session
    response = client.post("/p/en/check/", answers)
    html = response.content.decode()
    check = texts.load_language("en")["check"]
    assert response.status_code == 200
    assert f'data-result="{kind}"' in html and check[f"result_{kind}"] in html
    assert ("data-danger" in html) is danger
    assert html.index(check["next"]) < html.index('href="tel:112"', html.index(check["next"]))
    assert not response.cookies


def test_the_self_check_stores_nothing_and_logs_no_answer(client: Client, caplog: Any) -> None:
    sessions = Session.objects.count()
    with caplog.at_level(logging.DEBUG):
        client.post("/p/uk/check/", {"forced": "yes", "contact": "unsure"})
    assert Session.objects.count() == sessions
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "forced" not in logged and "contact" not in logged


def _fake_reach(monkeypatch: Any) -> list[tuple[str | None, str]]:
    calls: list[tuple[str | None, str]] = []
    module = types.ModuleType("lantern.campaigns.reach")
    module.count_page_view = lambda campaign_code, language: calls.append((campaign_code, language))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "lantern.campaigns.reach", module)
    return calls


def test_a_campaign_code_is_counted_and_kept_in_internal_links(client: Client, monkeypatch: Any) -> None:
    calls = _fake_reach(monkeypatch)
    html = client.get("/p/ti/?c=spring-26").content.decode()
    assert calls == [("spring-26", "ti")]
    assert 'href="/p/ti/rights/?c=spring-26"' in html and 'href="/p/ar/?c=spring-26"' in html
    form = client.get("/p/ti/check/?c=spring-26").content.decode()
    assert 'action="/p/ti/check/?c=spring-26"' in form
    client.post("/p/ti/check/?c=spring-26", {"debt": "yes"})
    assert len(calls) == 2  # the form page counts; the private answers do not


def test_pages_without_or_with_a_malformed_campaign_code_count_nothing(
    client: Client, monkeypatch: Any
) -> None:
    calls = _fake_reach(monkeypatch)
    client.get("/p/en/")
    html = client.get("/p/en/?c=<script>").content.decode()
    assert calls == []
    assert "?c=" not in html


def test_pages_work_when_reach_counting_is_absent_or_failing(
    client: Client, monkeypatch: Any, caplog: Any
) -> None:
    monkeypatch.setitem(sys.modules, "lantern.campaigns.reach", None)
    assert client.get("/p/en/?c=abc").status_code == 200

    def broken(campaign_code: str | None, language: str) -> None:
        raise RuntimeError("database is down")

    module = types.ModuleType("lantern.campaigns.reach")
    module.count_page_view = broken  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "lantern.campaigns.reach", module)
    with caplog.at_level(logging.ERROR):
        assert client.get("/p/en/?c=abc").status_code == 200
    assert "campaign reach counting failed" in caplog.text
