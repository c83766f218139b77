"""Public information pages: no sign-in, no cookies, no state, nothing from other hosts.

Every page's language comes from its URL (/p/<lang>/...), never from a cookie or the session. The self-check
is answered with a POST to its own address: its answers stay out of addresses, browser history and access
logs, and nothing is stored. A campaign code (`?c=`) is passed on to campaign reach counting and kept in
internal links.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from lantern.authz.views import public
from lantern.cases.procedure.profiles import load_profiles

from . import rights, selfcheck, texts

logger = logging.getLogger(__name__)

DEFAULT_EXIT_URL = "https://www.bbc.com/weather"
_CAMPAIGN_CODE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def exit_url() -> str:
    """Where "Exit this page" goes: a neutral site (setting LANTERN_PUBLIC_EXIT_URL)."""
    return getattr(settings, "LANTERN_PUBLIC_EXIT_URL", DEFAULT_EXIT_URL)


def campaign_code(request: HttpRequest) -> str | None:
    code = request.GET.get("c", "")
    return code if _CAMPAIGN_CODE.match(code) else None


def count_reach(code: str | None, language: str) -> None:
    """Tell campaign reach counting (when that app provides it) that a page was opened from a campaign."""
    if code is None:
        return
    try:
        from lantern.campaigns.reach import count_page_view
    except ModuleNotFoundError as error:
        if error.name in ("lantern.campaigns.reach", "lantern.campaigns"):
            return
        raise
    try:
        count_page_view(code, language)
    except Exception:
        # A counting failure must never keep someone from information about their rights.
        logger.exception("campaign reach counting failed")


def _link(name: str, lang: str, code: str | None, **kwargs: str) -> str:
    url = reverse(f"public:{name}", kwargs={"lang": lang, **kwargs})
    return f"{url}?{urlencode({'c': code})}" if code else url


def _country_name(t: dict[str, Any], code: str) -> str:
    return t["countries"].get(code, code)


def _helpline_groups(t: dict[str, Any], countries: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "code": code.lower(),
            "name": _country_name(t, code),
            "lines": [
                {**line, "kind_label": t["help"]["kinds"][line["kind"]]} for line in texts.helplines_for(code)
            ],
        }
        for code in countries
    ]


def _render(
    request: HttpRequest,
    lang: str,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
    found: bool = True,
) -> HttpResponse:
    code = campaign_code(request)
    if request.method == "GET" and found:
        count_reach(code, lang)
    t = texts.load_language(lang)
    match = request.resolver_match
    url_name = match.url_name if match and found else "home"
    other_kwargs = {k: v for k, v in (match.kwargs if match and found else {}).items() if k != "lang"}
    languages = [
        {
            "code": other,
            "name": texts.load_language(other)["name"],
            "dir": texts.direction_of(other),
            "url": _link(url_name, other, code, **other_kwargs),
            "current": other == lang,
        }
        for other in texts.LANGUAGES
    ]
    page = {
        "t": t,
        "lang": lang,
        "dir": texts.direction_of(lang),
        "draft": t["status"] != "reviewed",
        "exit_url": exit_url(),
        "campaign": code,
        "languages": languages,
        "urls": {
            "home": _link("home", lang, code),
            "rights": _link("rights", lang, code),
            "help": _link("helplines", lang, code),
            "check": _link("self_check", lang, code),
        },
    }
    response = render(request, template, {**page, **context}, status=status)
    response["Content-Language"] = lang
    # Nothing of a visit should linger: not in caches, not in the back-forward cache, not as a referrer.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _not_found(request: HttpRequest, lang: str) -> HttpResponse:
    """A light 404 of our own: the site's 404 page would start a session (its CSRF token) and set a cookie."""
    lang = lang if lang in texts.LANGUAGES else texts.REFERENCE_LANGUAGE
    return _render(request, lang, "public/not_found.html", {}, status=404, found=False)


@public
@require_safe
def not_found(request: HttpRequest, lang: str, rest: str = "") -> HttpResponse:
    """Any other address under /p/<lang>/."""
    return _not_found(request, lang)


@public
@require_safe
def choose_language(request: HttpRequest) -> HttpResponse:
    code = campaign_code(request)
    languages = [
        {
            "code": lang,
            "name": texts.load_language(lang)["name"],
            "title": texts.load_language(lang)["home"]["title"],
            "dir": texts.direction_of(lang),
            "url": _link("home", lang, code),
        }
        for lang in texts.LANGUAGES
    ]
    response = render(
        request,
        "public/choose_language.html",
        {"t": texts.load_language(texts.REFERENCE_LANGUAGE), "languages": languages, "exit_url": exit_url()},
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@public
@require_safe
def home(request: HttpRequest, lang: str) -> HttpResponse:
    if lang not in texts.LANGUAGES:
        return _not_found(request, lang)
    return _render(request, lang, "public/home.html", {})


@public
@require_safe
def rights_page(request: HttpRequest, lang: str, country: str = texts.OTHER_COUNTRY) -> HttpResponse:
    countries = list(texts.load_helplines())
    if country not in countries or lang not in texts.LANGUAGES:
        return _not_found(request, lang)
    t = texts.load_language(lang)
    profile = rights.profile_for_country(load_profiles(), country)
    facts = [t["rights"]["facts"][fact.key].format(**fact.params) for fact in rights.procedure_facts(profile)]
    code = campaign_code(request)
    others = [
        {"name": _country_name(t, other), "url": _link("rights_country", lang, code, country=other)}
        for other in countries
        if other != country
    ]
    context = {
        "country_name": _country_name(t, country),
        "facts": facts,
        "other_countries": others,
        "helpline_groups": _helpline_groups(t, [country]),
    }
    return _render(request, lang, "public/rights.html", context)


@public
@require_safe
def helplines(request: HttpRequest, lang: str) -> HttpResponse:
    if lang not in texts.LANGUAGES:
        return _not_found(request, lang)
    t = texts.load_language(lang)
    return _render(
        request,
        lang,
        "public/helplines.html",
        {"helpline_groups": _helpline_groups(t, list(texts.load_helplines()))},
    )


@public
@csrf_exempt  # changes nothing and stores nothing; a CSRF token would need a cookie or a session
@require_http_methods(["GET", "HEAD", "POST"])
def self_check(request: HttpRequest, lang: str) -> HttpResponse:
    if lang not in texts.LANGUAGES:
        return _not_found(request, lang)
    t = texts.load_language(lang)
    questions = [
        {
            "id": qid,
            "text": t["check"]["questions"][qid],
            "answers": [(a, t["check"]["answers"][a]) for a in selfcheck.ANSWERS],
        }
        for qid in selfcheck.QUESTIONS
    ]
    if request.method == "POST":
        result = selfcheck.assess({qid: request.POST.get(qid, "") for qid in selfcheck.QUESTIONS})
        context = {
            "result": result,
            "message": t["check"][f"result_{result.kind}"],
            "helpline_groups": _helpline_groups(t, list(texts.load_helplines())),
        }
        return _render(request, lang, "public/self_check_result.html", context)
    return _render(request, lang, "public/self_check.html", {"questions": questions})
