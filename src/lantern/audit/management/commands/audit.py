"""`lantern audit verify`: recompute the hash chain and name the first broken record."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Audit trail tools. `verify` recomputes the hash chain; exit status 1 names the first broken record."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Recompute the hash chain.")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        result = verify_chain()
        if result.ok:
            self.stdout.write(f"audit chain intact: {result.checked} records; head hash {result.head_hash}")
            return
        raise CommandError(
            f"audit chain BROKEN at record {result.first_broken}: {result.reason} "
            f"({result.checked} records before it are intact)",
            returncode=1,
        )
