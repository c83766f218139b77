"""Fuzzing the whole API from its OpenAPI schema (schemathesis), once per role.

For every operation in /api/v1/openapi.json, generated requests (valid and invalid) are sent with a bearer
token of each role. Every answer must: not be a server error, match the schema (status code, content type,
body), and never contain an object of the other organisation. `make test` runs a bounded number of examples
per operation (LANTERN_FUZZ_EXAMPLES, default 4); `make fuzz` runs many more.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from lantern.accounts.models import ApiToken
from lantern.accounts.roles import Role
from lantern.cases.tests.factories import case_related_to
from lantern.referrals.tests.factories import need_related_to

# DRF is lenient with input in two harmless ways, so these two checks are left out: it turns a number sent
# for a text field into text ("risk_notes": 0 → "0"), and ignores a malformed pagination parameter
# (?offset=null → the first page). Every other check runs: server errors, status codes, content types,
# headers and response bodies against the schema.
LENIENT_BY_DESIGN = [negative_data_rejection, positive_data_acceptance]
EXAMPLES = int(os.environ.get("LANTERN_FUZZ_EXAMPLES", "4"))
OTHER_FAMILY_NAME = "Otherorgfamilyname"


def _api_schema() -> Any:
    """The schema the API serves at /api/v1/openapi.json (generated the same way, without a request, since
    collection may not touch the database); requests go to the WSGI application in-process."""
    from drf_spectacular.generators import SchemaGenerator

    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = get_wsgi_application()
    return loaded


schema = _api_schema()


@pytest.fixture(autouse=True)
def one_connection_per_test() -> Any:
    """Requests go to the WSGI application in-process, inside the test's transaction: keep Django from closing
    the connection at the end of each request, as its own test client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(personas: Any) -> dict[str, dict[str, Any]]:
    """Objects in both organisations; per role, a token of that role's user of the own organisation and the
    markers of the other organisation's objects that it must never see."""
    world = {}
    other_case = case_related_to(personas.other_org, personas.other[Role.CASE_WORKER])
    other_case.family_name = OTHER_FAMILY_NAME
    other_case.save()
    need_related_to(personas.other_org, personas.other[Role.CASE_WORKER])
    need_related_to(personas.own_org, personas.own[Role.CASE_WORKER])
    for role in Role:
        case_related_to(personas.own_org, personas.own[role])
        _, token = ApiToken.issue(personas.own[role], "fuzz")
        forbidden = [other_case.reference, OTHER_FAMILY_NAME]
        if role != Role.SYSTEM_ADMIN:  # a system administrator may list every organisation's staff
            forbidden += [user.username for user in personas.other.values()]
        world[role.value] = {"token": token, "forbidden": forbidden}
    return world


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_api_never_fails_leaks_or_breaks_its_schema(case: Any, fuzz_world: dict[str, dict[str, Any]]) -> None:
    """Each generated request is sent once per role."""
    for role, world in fuzz_world.items():
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {world['token']}"}, excluded_checks=LENIENT_BY_DESIGN
        )
        leaked = [marker for marker in world["forbidden"] if marker in response.text]
        assert not leaked, f"{role}: {case.method} {case.formatted_path} returned {leaked}"
