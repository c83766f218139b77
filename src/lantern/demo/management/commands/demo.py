"""`lantern demo`: load fictional organisations and one user per role, and print how to sign in."""

from typing import Any

import segno
from django.core.management.base import BaseCommand, CommandParser

from lantern.demo.accounts import load_demo


class Command(BaseCommand):
    help = "Load demo organisations and users (fictional) and print their sign-in details and TOTP secrets."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--qr", action="store_true", help="Also draw each TOTP secret as a QR code.")

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_demo()
        self.stdout.write("\nDemo sign-in details (fictional people; a local demo database only):\n")
        self.stdout.write(f"  {'username':<12} {'password':<18} {'role':<28} TOTP secret (authenticator app)")
        for login in logins:
            secret = login.totp_secret or "(not needed)"
            self.stdout.write(f"  {login.username:<12} {login.password:<18} {login.role:<28} {secret}")
        self.stdout.write(
            "\nAdd a TOTP secret to any authenticator app (or run `oathtool --totp -b SECRET`) to get the "
            "6-digit code asked after the password.\n"
        )
        if options["qr"]:
            for login in logins:
                if login.totp_uri:
                    self.stdout.write(f"{login.username}:")
                    segno.make(login.totp_uri, error="l").terminal(out=self.stdout, compact=True)
