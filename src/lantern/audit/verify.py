"""Recompute the hash chain and name the first record that does not fit."""

from __future__ import annotations

from dataclasses import dataclass

from .models import GENESIS_HASH, AuditRecord, ChainHead


@dataclass
class VerifyResult:
    checked: int
    first_broken: int | None
    reason: str
    head_hash: str
    unsealed: int = 0

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def verify_chain(batch: int = 5000, *, seal: bool = True) -> VerifyResult:
    """Walk the chain in order; stop at the first altered, inserted or missing record.

    `first_broken` is the sequence number of the first record that does not fit (or, for a record that is
    missing, its chain position). Records not yet sealed are sealed first (unless `seal=False`).
    """
    if seal:
        from .services import seal_pending

        while seal_pending(wait=True):
            pass
    prev_hash = GENESIS_HASH
    expected = 1
    checked = 0
    sealed = AuditRecord.objects.exclude(chain_pos__isnull=True).order_by("chain_pos")
    for entry in sealed.iterator(chunk_size=batch):
        if entry.chain_pos != expected:
            return VerifyResult(
                checked, expected, f"the record at chain position {expected} is missing", prev_hash
            )
        if entry.prev_hash != prev_hash:
            return VerifyResult(checked, entry.seq, "its link to the previous record is broken", prev_hash)
        if entry.compute_hash() != entry.hash:
            return VerifyResult(
                checked, entry.seq, "its content does not match its hash (altered)", prev_hash
            )
        prev_hash = entry.hash
        expected += 1
        checked += 1
    unsealed = AuditRecord.objects.filter(chain_pos__isnull=True).count()
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != prev_hash):
        return VerifyResult(
            checked,
            checked + 1,
            f"the chain head expects {head.last_seq} records; records were removed",
            prev_hash,
            unsealed,
        )
    return VerifyResult(checked, None, "", prev_hash, unsealed)
