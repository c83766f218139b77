"""`lantern bench_users N`: N fictional case workers in the demo case worker's organisation (JSON on stdout).

bench/web_load.py signs each simulated client in as its own user, as real staff would be: one shared session
would turn 32 users into one (a single session row written by every worker) and measure contention no real
deployment has.
"""

import base64
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts.models import User
from lantern.accounts.roles import Role

from .bench_ids import Command as BenchIds

PASSWORD = "lantern-bench-2026"  # noqa: S105  (fictional users of a throwaway benchmark database)


class Command(BaseCommand):
    help = "Create (or refresh) N benchmark case workers next to the demo case worker; print their logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int)

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        organisation = User.objects.get(username="caseworker").organisation
        logins = []
        for number in range(1, options["count"] + 1):
            user = User.objects.filter(username=f"bench{number:03d}").first() or User(
                username=f"bench{number:03d}"
            )
            user.first_name, user.last_name, user.organisation = "Bench", f"Worker {number}", organisation
            user.is_active = True
            user.set_password(PASSWORD)
            user.save()
            user.role_grants.get_or_create(role=Role.CASE_WORKER)
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
            secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
            # Each interviewer works on screenings of their own (an open interview is locked to its editor).
            own = BenchIds.screenings(user, count=2)
            logins.append({"username": user.username, "password": PASSWORD, "secret": secret, **own})
        self.stdout.write(json.dumps(logins))
