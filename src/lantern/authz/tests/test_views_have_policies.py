"""Every URL's view declares an access policy; one without is refused at run time (default deny)."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path

from lantern.authz.views import policy_of


def all_patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[tuple[str, Any]]:
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += all_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry.callback))
    return found


def test_urls_are_found() -> None:
    routes = [route for route, _ in all_patterns()]
    assert "healthz" in routes and any(r.startswith("api/v1/") for r in routes)


def test_every_view_declares_a_policy() -> None:
    missing = [route for route, view in all_patterns() if policy_of(view) is None]
    assert not missing, f"views without an access policy (decorate them from lantern.authz.views): {missing}"


def undeclared_view(request: Any) -> HttpResponse:
    return HttpResponse("secret")


urlpatterns = [path("undeclared/", undeclared_view)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_view_without_policy_is_refused(client: Any) -> None:
    response = client.get("/undeclared/")
    assert response.status_code == 403
    assert b"secret" not in response.content


@override_settings(ROOT_URLCONF=__name__)
def test_the_walk_catches_an_undeclared_view() -> None:
    assert [route for route, view in all_patterns() if policy_of(view) is None] == ["undeclared/"]
