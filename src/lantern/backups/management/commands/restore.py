"""`lantern restore FILE`: put a backup back, then replay the erasures made since."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.backups import archive, database, services


class Command(BaseCommand):
    help = (
        "Replace the database and documents with a backup made by `lantern backup`, bring the schema up to "
        "date, check every table against the manifest, and erase again what the erasure ledger file lists."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument(
            "--check", action="store_true", help="only verify the archive and show its manifest"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["archive"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            manifest = services.check_backup(path)
        except archive.ArchiveError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        rows = sum(manifest.get("tables", {}).values())
        self.stdout.write(
            f"{path.name}: made {manifest.get('created_at')} on {manifest.get('database')}, {rows} rows, "
            f"{manifest.get('documents', 0)} documents, key id {manifest.get('key_id')}"
        )
        missing = services.missing_data_keys(manifest)
        if missing:
            raise CommandError(
                f"{path.name} needs data keys the keyring does not hold: {', '.join(missing)}. Put back the "
                "keyring that holds them (an offline copy from before the rotation); nothing was changed."
            )
        if options["check"]:
            return
        if not options["yes"]:
            answer = input("This replaces ALL current data with the backup's. Type 'restore' to go on: ")
            if answer.strip() != "restore":
                raise CommandError("not restored")
        try:
            result = services.restore_backup(path)
        except (archive.ArchiveError, database.DatabaseCopyError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        self.stdout.write(
            f"restored in {result.seconds:.1f} s; erasures replayed from the ledger: {len(result.replayed)}"
        )
        if result.documents_set_aside:
            self.stdout.write(f"the documents there before were moved to {result.documents_set_aside}")
