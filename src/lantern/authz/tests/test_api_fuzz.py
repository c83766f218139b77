"""Fuzzing the whole API from its OpenAPI schema (schemathesis), once per role.

For every operation in /api/v1/openapi.json, generated requests (valid and invalid) are sent with a bearer
token of each role. Every answer must: not be a server error, pass every check of schemathesis (status
code, content type, headers and body against the schema, invalid data refused), and never contain an object
of the other organisation. The stateful phase chains operations (create a case, then read, change, refer
it) along the links schemathesis infers, as every role. Hand-built requests add the shapes a schema does not
generate: bodies nested 2,000 levels deep, page numbers and limits past 64 bits, lists of 100,000 items.
`make test` runs a few examples per operation (LANTERN_FUZZ_EXAMPLES, default 4); `make fuzz` many more.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import ignored_auth

from lantern.accounts.models import ApiToken
from lantern.accounts.roles import Role
from lantern.cases.tests.factories import case_related_to
from lantern.referrals.tests.factories import need_related_to

# Every check runs, on valid and invalid data (schemathesis generates both): server errors, status codes,
# content types, headers, response bodies against the schema, invalid data refused (negative_data_rejection),
# valid data accepted (positive_data_acceptance). Valid data may still break a rule no schema can state (a
# child's consent needs a guardian; a case cannot move two stages at once): those answer 400, so 400 is an
# accepted answer to valid data as well; and 422 when a generated Idempotency-Key was already used for
# another request (documented). A 5xx never is.
ACCEPTED_FOR_VALID_DATA = ["2xx", "400", "401", "403", "404", "409", "422"]
EXAMPLES = int(os.environ.get("LANTERN_FUZZ_EXAMPLES", "4"))
OTHER_FAMILY_NAME = "Otherorgfamilyname"


def _api_schema() -> Any:
    """The schema the API serves at /api/v1/openapi.json (generated the same way, without a request, since
    collection may not touch the database); requests go to the WSGI application in-process."""
    from drf_spectacular.generators import SchemaGenerator

    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = get_wsgi_application()
    loaded.config.checks.positive_data_acceptance.expected_statuses = ACCEPTED_FOR_VALID_DATA
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
        response = case.call_and_validate(headers={"Authorization": f"Bearer {world['token']}"})
        leaked = [marker for marker in world["forbidden"] if marker in response.text]
        assert not leaked, f"{role}: {case.method} {case.formatted_path} returned {leaked}"


@pytest.mark.django_db
def test_api_call_sequences_as_every_role(fuzz_world: dict[str, dict[str, Any]]) -> None:
    """The stateful phase: sequences of calls along the schema's links, each answer checked as above."""
    machine = schema.as_state_machine()
    calls: list[str] = []
    for role, world in fuzz_world.items():

        class AsRole(machine):  # type: ignore[valid-type,misc]
            token = world["token"]
            forbidden = world["forbidden"]
            role_name = role

            def before_call(self, case: Any) -> None:
                # On the case, not in the call's arguments: the authentication checks resend it without.
                case.headers = {**(case.headers or {}), "Authorization": f"Bearer {self.token}"}
                calls.append(case.operation.label)

            def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
                # Every check but ignored_auth: its resend keeps the token set on the case (so it sees 200);
                # authentication is checked on every operation by the stateless test above.
                case.validate_response(
                    response,
                    excluded_checks=[ignored_auth],
                    transport_kwargs=kwargs or None,
                    recorder=getattr(self, "recorder", None),
                )
                leaked = [marker for marker in self.forbidden if marker in response.text]
                assert not leaked, f"{self.role_name}: {case.method} {case.formatted_path} returned {leaked}"

        AsRole.run(
            settings=settings(
                max_examples=max(1, EXAMPLES // 2),
                stateful_step_count=4 if EXAMPLES <= 4 else 10,
                deadline=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
        )
    assert len(calls) >= 2 * len(fuzz_world), calls  # sequences ran, for every role


def _deep(levels: int) -> str:
    return '{"a": ' * levels + "1" + "}" * levels


HUGE = "9223372036854775808"  # one past a 64-bit integer


@pytest.mark.django_db
def test_hand_built_malformed_requests_answer_4xx_on_every_operation(
    client: Any, fuzz_world: dict[str, dict[str, Any]]
) -> None:
    """Deep JSON, page numbers and limits past 64 bits, lists of 100,000 items: 4xx everywhere, never 5xx."""
    document = client.get("/api/v1/openapi.json").json()
    token = fuzz_world["case_worker"]["token"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for path, operations in document["paths"].items():
        url = path.replace("{id}", "1").replace("{case_pk}", "1")
        for method, operation in operations.items():
            if method not in ("get", "post", "patch", "put"):
                continue
            send = getattr(client, method)
            if method == "get":
                names = {p["name"] for p in operation.get("parameters", [])}
                for params in ({"limit": HUGE}, {"offset": HUGE}, {"page": "9" * 23}, {"year": HUGE}):
                    response = send(url, params, **headers)
                    assert response.status_code < 500, (method, path, params, response.status_code)
                    if names & set(params):
                        assert response.status_code >= 400 or "page" in params, (method, path, params)
                continue
            body = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in body:
                continue
            response = send(url, _deep(2000), content_type="application/json", **headers)
            assert 400 <= response.status_code < 500, (method, path, "deep", response.status_code)
            ref = body["application/json"]["schema"].get("$ref", "")
            component = document["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
            for name, spec in component.get("properties", {}).items():
                if spec.get("type") == "array":
                    huge = {name: ["NG"] * 100_000}
                    response = send(url, huge, content_type="application/json", **headers)
                    assert 400 <= response.status_code < 500, (method, path, name, response.status_code)
