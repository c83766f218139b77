"""`lantern createadmin`: the first organisation and its system administrator, with two-factor enrolment."""

from typing import Any

import segno
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.accounts.first_admin import create_first_admin
from lantern.accounts.roles import OrganisationType


class Command(BaseCommand):
    help = (
        "Create the first organisation and its system administrator (also its organisation administrator). "
        "Prints a one-time password and the authenticator secret once. Does nothing when a system "
        "administrator exists already (safe to run again)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", required=True, help="the administrator's e-mail address")
        parser.add_argument("--organisation", default="Lantern operator", help="the organisation's name")
        parser.add_argument(
            "--organisation-type", default=OrganisationType.NRM_AUTHORITY, choices=OrganisationType.values
        )
        parser.add_argument("--country", default="GR", help="ISO country code of the organisation")
        parser.add_argument(
            "--qr", action="store_true", help="also draw the authenticator secret as a QR code"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            admin = create_first_admin(
                username=options["username"],
                email=options["email"],
                organisation_name=options["organisation"],
                organisation_type=options["organisation_type"],
                country=options["country"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        if not admin.created:
            self.stdout.write(
                f"A system administrator exists already ({admin.user.username}); nothing was created. "
                "They add other people on the Users page."
            )
            return
        self.stdout.write(
            f"First administrator created in {admin.user.organisation.name}.\n"
            f"  username:   {admin.user.username}\n"
            f"  password:   {admin.password}\n"
            f"  TOTP secret: {admin.totp_secret}\n"
            f"  TOTP URI:   {admin.totp_uri}\n"
            "These are shown once. Add the secret to an authenticator app (or scan the QR code the first "
            "sign-in shows), sign in, and change the password on first use.\n"
        )
        if options["qr"]:
            segno.make(admin.totp_uri, error="l").terminal(out=self.stdout, compact=True)
