"""`lantern keys rotate`: a new data key, every encrypted value re-encrypted; `lantern keys status`."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.crypto.cipher import active_keyring
from lantern.crypto.rotation import encrypted_columns, rotate_keys


class Command(BaseCommand):
    help = "Encryption keys: `status` shows the keyring; `rotate` re-encrypts every value under a new key."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("status", help="Show key ids and encrypted columns (never the keys).")
        rotate = sub.add_parser("rotate", help="Add a new primary key and re-encrypt all data under it.")
        rotate.add_argument(
            "--keep-old", action="store_true", help="Keep old keys in the keyring afterwards."
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        keyring = active_keyring()
        if subcommand == "status":
            self.stdout.write(f"primary key: {keyring.primary}; keys held: {', '.join(sorted(keyring.keys))}")
            self.stdout.write(
                f"audit key: {keyring.audit_primary or 'NONE'}; audit keys held: "
                f"{', '.join(sorted(keyring.audit_keys)) or 'none'}"
            )
            for model, field in encrypted_columns():
                self.stdout.write(f"  encrypted: {model._meta.label_lower}.{field.name}")
            return
        if settings.LANTERN_KEYRING:
            raise CommandError(
                "The keyring comes from the LANTERN_KEYRING variable; rotation writes a file. "
                "Move it to a file named by LANTERN_KEYRING_FILE first."
            )
        report = rotate_keys(keyring, Path(settings.LANTERN_KEYRING_FILE), retire_old=not options["keep_old"])
        record(
            AuditRecord.Action.SYSTEM,
            object_type="crypto.keyring",
            object_id=report.new_key_id,
            detail={
                "operation": "rotate",
                "values": report.values,
                "retired": report.retired,
                "audit_key": report.new_audit_key_id,
            },
        )
        self.stdout.write(
            f"rotated: new primary key {report.new_key_id}; {report.values} values re-encrypted; "
            f"retired: {', '.join(report.retired) or 'none'}; new audit key {report.new_audit_key_id} "
            "(old audit keys kept: they verify the records they sealed)"
        )
