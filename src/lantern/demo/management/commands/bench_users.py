"""`lantern bench_users N [--roles ...]`: N fictional staff next to the demo users (JSON logins on stdout).

bench/web_load.py signs each simulated client in as its own user, as real staff would be: one shared session
would turn 32 users into one (a single session row written by every worker) and measure contention no real
deployment has. `--roles case_worker:6,nrm_decision_maker:1,service_provider:1` repeats that pattern over the
N users, each in the organisation of the demo user of that role; each login lists cases it may open.
"""

import base64
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from lantern.accounts.models import EncryptedTOTPDevice, User
from lantern.accounts.roles import Role
from lantern.authz.gate import visible
from lantern.cases.models import Case

from .bench_ids import Command as BenchIds

PASSWORD = "lantern-bench-2026"  # noqa: S105  (fictional users of a throwaway benchmark database)


# The demo user whose organisation each benchmark role joins.
DEMO_USER = {
    Role.CASE_WORKER: "caseworker",
    Role.NRM_DECISION_MAKER: "decider",
    Role.SERVICE_PROVIDER: "provider",
    Role.LAWYER: "lawyer",
}


def role_pattern(text: str) -> list[str]:
    """'case_worker:6,service_provider:1' -> six case workers then one provider (the repeated pattern)."""
    pattern: list[str] = []
    for part in text.split(","):
        role, _, count = part.strip().partition(":")
        if role not in DEMO_USER:
            raise CommandError(f"--roles: {role!r} is not one of {', '.join(DEMO_USER)}")
        try:
            times = int(count or 1)
        except ValueError:
            raise CommandError(f"--roles: {count!r} is not a number") from None
        pattern += [role] * max(0, times)
    if not pattern:
        raise CommandError("--roles: no role given")
    return pattern


class Command(BaseCommand):
    help = "Create (or refresh) N benchmark users next to the demo users; print their logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int)
        parser.add_argument(
            "--roles", default="case_worker", help="a repeated pattern, e.g. case_worker:6,service_provider:1"
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        pattern = role_pattern(options["roles"])
        logins = []
        for number in range(1, options["count"] + 1):
            role = pattern[(number - 1) % len(pattern)]
            organisation = User.objects.get(username=DEMO_USER[role]).organisation
            user = User.objects.filter(username=f"bench{number:03d}").first() or User(
                username=f"bench{number:03d}"
            )
            user.first_name, user.last_name, user.organisation = "Bench", f"User {number}", organisation
            user.is_active = True
            user.set_password(PASSWORD)
            user.save()
            user.role_grants.exclude(role=role).delete()
            user.role_grants.get_or_create(role=role)
            device = EncryptedTOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = EncryptedTOTPDevice.objects.create(user=user, name="bench", confirmed=True)
            secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
            cases = list(visible(user, "case.view", Case).order_by("?").values_list("pk", flat=True)[:200])
            # Each interviewer works on screenings of their own (an open interview is locked to its editor).
            own = BenchIds.screenings(user, count=2) if role == Role.CASE_WORKER else {}
            logins.append(
                {
                    "username": user.username,
                    "password": PASSWORD,
                    "secret": secret,
                    "role": role,
                    "cases": cases,
                    **own,
                }
            )
        self.stdout.write(json.dumps(logins))
