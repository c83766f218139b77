"""`lantern backup`: an encrypted, checksummed backup of the database and the document files."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.backups import archive, services


class Command(BaseCommand):
    help = (
        "Back up the database and the encrypted documents into one archive encrypted with the backup key "
        "(LANTERN_BACKUP_KEY_FILE), with a manifest and a .sha256 file; prune backups older than "
        "LANTERN_BACKUP_KEEP_DAYS. The keyring and the erasure ledger file are not included: keep them apart."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, help="directory for the archive (default LANTERN_BACKUP_DIR)")
        parser.add_argument(
            "--keep-days", type=int, help="prune older backups (default LANTERN_BACKUP_KEEP_DAYS)"
        )
        parser.add_argument(
            "--create-key", action="store_true", help="create the backup key file (once) and stop"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["create_key"]:
            path = services.backup_key_path()
            try:
                archive.create_key(path)
            except FileExistsError:
                raise CommandError(f"{path} exists already; a backup key is never overwritten") from None
            self.stdout.write(f"backup key created: {path} (keep a copy apart from the backups)")
            return
        try:
            result = services.make_backup(out_dir=options["out"], keep_days=options["keep_days"])
        except archive.ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        size = result.path.stat().st_size
        self.stdout.write(
            f"{result.path} ({size / 2**20:.1f} MiB, {sum(result.manifest['tables'].values())} rows in "
            f"{len(result.manifest['tables'])} tables, {result.manifest['documents']} documents) "
            f"in {result.seconds:.1f} s"
        )
        for path in result.pruned:
            self.stdout.write(f"pruned {path.name}")
