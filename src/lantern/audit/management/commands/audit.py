"""`lantern audit verify`: recompute the keyed hash chain and check it against the checkpoints;
`lantern audit checkpoint`: sign the chain's head into the checkpoint file outside the database."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.audit import checkpoints
from lantern.audit.verify import VerifyResult, verify_chain


def _broken(result: VerifyResult) -> CommandError:
    return CommandError(
        f"audit chain BROKEN at record {result.first_broken}: {result.reason} "
        f"({result.checked} records before it are intact)",
        returncode=1,
    )


class Command(BaseCommand):
    help = (
        "Audit trail tools. `verify` recomputes the hash chain and checks it against the signed checkpoints; "
        "exit status 1 names the first broken or missing record. `checkpoint` verifies, then appends a "
        "signed checkpoint (position, head hash, time) to LANTERN_AUDIT_CHECKPOINT_DIR."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Recompute the hash chain and check it against the checkpoints.")
        checkpoint = sub.add_parser("checkpoint", help="Verify, then append a signed checkpoint of the head.")
        checkpoint.add_argument("--syslog", action="store_true", help="Also send the checkpoint to syslog.")
        checkpoint.add_argument(
            "--after-restore",
            metavar="REASON",
            default="",
            help="After a restore from backup: accept the restored (shorter) chain; the checkpoints "
            "beyond it are reported as lost with the restore.",
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "checkpoint" and options["after_restore"]:
            self._after_restore(options["after_restore"], options["syslog"])
            return
        result = verify_chain()
        for label in result.lost_with_restore:
            self.stdout.write(f"note: records after {label} were lost with a restore from backup")
        if not result.ok:
            raise _broken(result)
        if subcommand == "verify":
            self.stdout.write(
                f"audit chain intact: {result.checked} records; head hash {result.head_hash}; "
                f"matches {result.checkpoints} checkpoint(s) in {checkpoints.checkpoint_dir()}"
            )
            return
        written = checkpoints.write_checkpoint(result.checked, result.head_hash)
        if options["syslog"]:
            checkpoints.to_syslog(written)
        self.stdout.write(
            f"audit checkpoint written: position {written.position}, head hash {written.head_hash}, "
            f"key {written.key_id}, in {checkpoints.checkpoint_file()}"
        )

    def _after_restore(self, reason: str, syslog: bool) -> None:
        from lantern.audit.models import GENESIS_HASH, AuditRecord

        # The restored chain itself must be intact (up to where the backup ends): verify it without the
        # checkpoints that the restore made unreachable, then record the restore.
        last = AuditRecord.objects.exclude(chain_pos__isnull=True).order_by("-chain_pos").first()
        position, head = (last.chain_pos, last.hash) if last else (0, GENESIS_HASH)
        written = checkpoints.write_checkpoint(position, head, kind=checkpoints.RESTORE, reason=reason)
        result = verify_chain()
        if not result.ok:
            raise _broken(result)
        if syslog:
            checkpoints.to_syslog(written)
        self.stdout.write(
            f"restore recorded at position {written.position}; audit chain intact: {result.checked} records; "
            f"{len(result.lost_with_restore)} checkpoint(s) beyond the restore reported as lost"
        )
