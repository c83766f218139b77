"""The benchmark's helper commands: `bench_users` gives each simulated client a login of its own."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lantern.accounts.models import User
from lantern.authz.gate import visible
from lantern.cases.models import Case
from lantern.demo.management.commands.bench_users import DEMO_USER
from lantern.screening.models import Screening

pytestmark = pytest.mark.django_db


def test_bench_users_are_case_workers_who_see_the_demo_case_workers_cases() -> None:
    call_command("demo", stdout=io.StringIO())
    call_command("seed", "--cases", "30", stdout=io.StringIO())
    out = io.StringIO()
    call_command("bench_users", "3", stdout=out)
    logins = json.loads(out.getvalue())

    assert [login["username"] for login in logins] == ["bench001", "bench002", "bench003"]
    demo_worker = User.objects.get(username="caseworker")
    expected = set(visible(demo_worker, "case.view", Case).values_list("pk", flat=True))
    assert expected
    for login in logins:
        user = User.objects.get(username=login["username"])
        assert user.check_password(login["password"])
        assert len(login["secret"]) == 32
        assert set(visible(user, "case.view", Case).values_list("pk", flat=True)) == expected
        # interviews of their own, at the question stage (an open interview is locked to its editor)
        own = Screening.objects.filter(pk__in=login["screenings"])
        assert own.count() == 2 and set(own.values_list("created_by", flat=True)) == {user.pk}

    call_command("bench_users", "3", stdout=io.StringIO())  # re-running refreshes, it does not duplicate
    assert User.objects.filter(username__startswith="bench").count() == 3


def test_bench_users_follow_the_role_pattern_and_list_cases_each_may_open() -> None:
    call_command("demo", stdout=io.StringIO())
    call_command("seed", "--cases", "40", stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "bench_users", "4", "--roles", "case_worker:2,service_provider:1,nrm_decision_maker:1", stdout=out
    )
    logins = json.loads(out.getvalue())
    assert [login["role"] for login in logins] == [
        "case_worker",
        "case_worker",
        "service_provider",
        "nrm_decision_maker",
    ]
    for login in logins:
        user = User.objects.get(username=login["username"])
        assert user.roles == {login["role"]}
        assert user.organisation == User.objects.get(username=DEMO_USER[login["role"]]).organisation
        assert set(login["cases"]) <= set(visible(user, "case.view", Case).values_list("pk", flat=True))
        assert ("screenings" in login) == (login["role"] == "case_worker")
    assert logins[3]["cases"]  # the seeded authority holds referred cases


@pytest.mark.parametrize("roles", ["admin:1", "case_worker:x", ""])
def test_bench_users_refuse_an_unknown_role_pattern(roles: str) -> None:
    with pytest.raises(CommandError):
        call_command("bench_users", "1", "--roles", roles, stdout=io.StringIO())
