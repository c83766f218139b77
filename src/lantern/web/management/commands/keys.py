"""`lantern keys status | rotate | retire`: the data keys, a rotation that keeps the old keys, and retiring
old keys once neither the data nor any kept backup needs them."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.backups.services import backups_needing_keys
from lantern.crypto.cipher import active_keyring
from lantern.crypto.rotation import encrypted_columns, key_ids_in_use, retire_keys, rotate_keys


class Command(BaseCommand):
    help = (
        "Encryption keys: `status` shows the keyring and the keys the data uses; `rotate` re-encrypts every "
        "value under a new key and keeps the old ones; `retire` drops old keys that no data and no kept "
        "backup needs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser(
            "status", help="Show key ids, the key ids the data uses, encrypted columns (never keys)."
        )
        rotate = sub.add_parser("rotate", help="Add a new primary key and re-encrypt all data under it.")
        rotate.add_argument(
            "--keep-old",
            action="store_true",
            help="Keep old keys in the keyring afterwards (the default: backups made before need them).",
        )
        rotate.add_argument(
            "--retire-old", action="store_true", help="Then retire the old keys if nothing needs them."
        )
        retire = sub.add_parser(
            "retire", help="Drop old keys that no data and no backup kept (LANTERN_BACKUP_KEEP_DAYS) needs."
        )
        retire.add_argument("key_ids", nargs="*", help="the keys to retire (default: every non-primary key)")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        keyring = active_keyring(recheck=True)
        if subcommand == "status":
            self._status()
            return
        if settings.LANTERN_KEYRING:
            raise CommandError(
                "The keyring comes from the LANTERN_KEYRING variable; rotation writes a file. "
                "Move it to a file named by LANTERN_KEYRING_FILE first."
            )
        path = Path(settings.LANTERN_KEYRING_FILE)
        if subcommand == "rotate":
            report = rotate_keys(keyring, path)
            record(
                AuditRecord.Action.SYSTEM,
                object_type="crypto.keyring",
                object_id=report.new_key_id,
                detail={
                    "operation": "rotate",
                    "values": report.values,
                    "retired": [],
                    "audit_key": report.new_audit_key_id,
                },
            )
            self.stdout.write(
                f"rotated: new primary key {report.new_key_id}; {report.values} values re-encrypted; "
                f"old keys kept: {', '.join(k for k in sorted(keyring.keys)) or 'none'}; new audit key "
                f"{report.new_audit_key_id} (old audit keys kept: they verify the records they sealed). "
                "The running service reads the new keyring by itself. "
                "Copy the keyring file to the offline copy."
            )
            if not options["retire_old"]:
                return
        self._retire(options.get("key_ids") or [])

    def _status(self) -> None:
        keyring = active_keyring(recheck=True)
        self.stdout.write(f"primary key: {keyring.primary}; keys held: {', '.join(sorted(keyring.keys))}")
        self.stdout.write(
            f"audit key: {keyring.audit_primary or 'NONE'}; audit keys held: "
            f"{', '.join(sorted(keyring.audit_keys)) or 'none'}"
        )
        used = key_ids_in_use()
        for kid, count in sorted(used.items()):
            held = "" if kid in keyring.keys else "  MISSING FROM THE KEYRING"
            self.stdout.write(f"  data key {kid}: {count} values{held}")
        for model, field in encrypted_columns():
            self.stdout.write(f"  encrypted: {model._meta.label_lower}.{field.name}")

    def _retire(self, asked: list[str]) -> None:
        keyring = active_keyring(recheck=True)
        candidates = set(asked or keyring.keys) - {keyring.primary}
        unknown = candidates - set(keyring.keys)
        if unknown:
            raise CommandError(f"the keyring holds no key {', '.join(sorted(unknown))}")
        in_data = candidates & set(key_ids_in_use())
        if in_data:
            raise CommandError(
                f"not retired: stored data still uses {', '.join(sorted(in_data))} "
                "(run `lantern keys rotate` first)"
            )
        needing = backups_needing_keys(candidates)
        if needing:
            names = "; ".join(f"{path.name} needs {', '.join(kids)}" for path, kids in needing.items())
            raise CommandError(
                f"not retired: these backups, kept for LANTERN_BACKUP_KEEP_DAYS="
                f"{settings.LANTERN_BACKUP_KEEP_DAYS} days, would become unreadable: {names}. "
                "Retire the keys after they have been pruned."
            )
        if not candidates:
            self.stdout.write("no old key to retire")
            return
        retired = retire_keys(keyring, Path(settings.LANTERN_KEYRING_FILE), sorted(candidates))
        record(
            AuditRecord.Action.SYSTEM,
            object_type="crypto.keyring",
            object_id=keyring.primary,
            detail={"operation": "retire", "retired": retired},
        )
        self.stdout.write(f"retired: {', '.join(retired)}")
