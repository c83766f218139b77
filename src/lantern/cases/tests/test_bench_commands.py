"""The benchmark's helper commands: `bench_users` gives each simulated client a login of its own."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from lantern.accounts.models import User
from lantern.authz.gate import visible
from lantern.cases.models import Case
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
