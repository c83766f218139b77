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

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def verify_chain(batch: int = 5000) -> VerifyResult:
    """Walk the chain in sequence order; stop at the first altered, inserted or missing record."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for entry in AuditRecord.objects.order_by("seq").iterator(chunk_size=batch):
        if entry.seq != expected_seq:
            return VerifyResult(checked, expected_seq, f"record {expected_seq} is missing", prev_hash)
        if entry.prev_hash != prev_hash:
            return VerifyResult(checked, entry.seq, "its link to the previous record is broken", prev_hash)
        if entry.compute_hash() != entry.hash:
            return VerifyResult(
                checked, entry.seq, "its content does not match its hash (altered)", prev_hash
            )
        prev_hash = entry.hash
        expected_seq += 1
        checked += 1
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != prev_hash):
        return VerifyResult(
            checked,
            checked + 1,
            f"the chain head expects {head.last_seq} records; records were removed",
            prev_hash,
        )
    return VerifyResult(checked, None, "", prev_hash)
