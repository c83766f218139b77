"""Recompute the keyed hash chain, check it against the signed checkpoints kept outside the database, and name
the first record that does not fit."""

from __future__ import annotations

from dataclasses import dataclass, field

from lantern.crypto.keyring import KeyringError

from . import checkpoints
from .models import GENESIS_HASH, AuditRecord, ChainHead


@dataclass
class VerifyResult:
    checked: int
    first_broken: int | None
    reason: str
    head_hash: str
    unsealed: int = 0
    checkpoints: int = 0  # how many checkpoints the chain was checked against
    lost_with_restore: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def _checkpoint_label(checkpoint: checkpoints.Checkpoint) -> str:
    return f"the checkpoint of {checkpoint.at} (position {checkpoint.position})"


def verify_chain(batch: int = 5000, *, seal: bool = True) -> VerifyResult:
    """Walk the chain in order; stop at the first altered, inserted or missing record.

    `first_broken` is the sequence number of the first record that does not fit (or, for a record that is
    missing, its chain position). Records not yet sealed are sealed first (unless `seal=False`). Besides the
    links and hashes, the chain must match every checkpoint in `LANTERN_AUDIT_CHECKPOINT_DIR` (a chain cut
    short, or rewritten, by someone with database access fails here), and once a record is keyed every later
    one must be too (the plain SHA-256 records from before keying may only come first, followed by the
    marker that started the keyed chain).
    """
    from lantern.crypto.cipher import active_keyring

    if seal:
        from .services import seal_pending

        while seal_pending(wait=True):
            pass
    keyring = active_keyring()
    try:
        binding, lost = checkpoints.binding_checkpoints(checkpoints.read_checkpoints())
    except checkpoints.CheckpointError as exc:
        return VerifyResult(0, 0, f"the checkpoints cannot be trusted: {exc}", GENESIS_HASH)
    lost_labels = [_checkpoint_label(c) for c in lost]

    def broken(at: int, reason: str) -> VerifyResult:
        return VerifyResult(
            checked, at, reason, prev_hash, checkpoints=len(binding), lost_with_restore=lost_labels
        )

    prev_hash = GENESIS_HASH
    expected = 1
    checked = 0
    legacy = 0  # plain SHA-256 records before the keyed chain
    keyed = False
    genesis = binding.get(0)
    if genesis is not None and genesis.head_hash != GENESIS_HASH:
        return broken(0, f"{_checkpoint_label(genesis)} does not start from the genesis hash")
    sealed = AuditRecord.objects.exclude(chain_pos__isnull=True).order_by("chain_pos")
    for entry in sealed.iterator(chunk_size=batch):
        if entry.chain_pos != expected:
            return broken(expected, f"the record at chain position {expected} is missing")
        if entry.prev_hash != prev_hash:
            return broken(entry.seq, "its link to the previous record is broken")
        key = None
        if entry.key_id:
            if not keyed and legacy and not entry.is_keyed_chain_marker(legacy):
                return broken(
                    entry.seq, "the keyed chain does not start with its marker after the plain records"
                )
            keyed = True
            try:
                key = keyring.audit_key(entry.key_id)
            except KeyringError:
                return broken(
                    entry.seq, f"it was sealed with audit key '{entry.key_id}', which the keyring lacks"
                )
        elif keyed:
            return broken(entry.seq, "it has a plain hash after the keyed chain began (rewritten)")
        else:
            legacy += 1
        if entry.compute_hash(key) != entry.hash:
            return broken(entry.seq, "its content does not match its hash (altered)")
        checkpoint = binding.get(expected)
        if checkpoint is not None and checkpoint.head_hash != entry.hash:
            return broken(
                entry.seq,
                f"its hash differs from the one {_checkpoint_label(checkpoint)} recorded (rewritten)",
            )
        prev_hash = entry.hash
        expected += 1
        checked += 1
    beyond = [c for position, c in sorted(binding.items()) if position > checked]
    if beyond:
        newest = beyond[-1]
        return broken(
            checked + 1,
            f"the chain ends at position {checked} but {_checkpoint_label(newest)} recorded "
            f"{newest.position} records: records {checked + 1} to {newest.position} are missing",
        )
    if checked and not keyed:
        return broken(
            checked,
            "the chain ends in records with plain hashes: it was rewritten, or never sealed with a key",
        )
    unsealed = AuditRecord.objects.filter(chain_pos__isnull=True).count()
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != prev_hash):
        result = broken(checked + 1, f"the chain head expects {head.last_seq} records; records were removed")
        result.unsealed = unsealed
        return result
    return VerifyResult(
        checked, None, "", prev_hash, unsealed, checkpoints=len(binding), lost_with_restore=lost_labels
    )
