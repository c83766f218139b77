"""Writing audit records: one function, `record`, used by every part of Lantern."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from . import context
from .models import KEYED_CHAIN_MARKER, AuditRecord, ChainHead


def _actor_from_context(actor: Any) -> Any:
    if actor is not None:
        return actor
    user = context.current().user
    return user if getattr(user, "is_authenticated", False) else None


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    actor: Any = None,
    object_type: str = "",
    object_id: str = "",
    fields: Iterable[str] = (),
    detail: dict[str, Any] | None = None,
    organisation_id: int | None = None,
    actor_label: str = "",
) -> AuditRecord:
    """Append one record to the chain, in the caller's transaction (so it commits or rolls back with it)."""
    ctx = context.current()
    actor = _actor_from_context(actor)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        if organisation_id is None:
            organisation_id = getattr(obj, "organisation_id", None)
            if organisation_id is None and obj._meta.label_lower == "accounts.organisation":
                organisation_id = obj.pk
    if organisation_id is None and actor is not None:
        organisation_id = getattr(actor, "organisation_id", None)
    entry = AuditRecord.objects.create(
        at=timezone.now(),
        actor=actor,
        actor_label=getattr(actor, "username", "") if actor is not None else actor_label,
        organisation_id=organisation_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        fields=sorted(set(fields)),
        request_id=ctx.request_id,
        ip=ctx.ip,
        detail=detail or {},
    )
    # Hash-chaining needs one lock for the whole trail; taking it here would hold it until the request's
    # transaction ends and serialise every request that reads personal data. Seal right after commit instead.
    _schedule_sealing()
    return entry


def _schedule_sealing() -> None:
    """Seal once after the current transaction commits, however many records it wrote (one sealing pass
    chains them all)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(entry[1] is seal_pending for entry in connection.run_on_commit):
        return
    transaction.on_commit(seal_pending)


def seal_pending(limit: int = 10_000, *, wait: bool = False) -> int:
    """Chain every committed, unsealed record, oldest first, under a short lock of the chain head.

    Called after each commit that wrote audit records, and by `lantern audit verify` (with `wait=True`).
    Returns how many were sealed. Records are chained in the order they are sealed (their commit order), not
    their insert order. Without `wait`, a pass that finds the chain head locked by another process returns at
    once: that process, or the next pass, chains these records too — so busy workers never queue behind each
    other's sealing, and a record waits at most until the next pass (`lantern audit verify` waits for the lock
    and seals whatever is left).
    """
    from lantern.crypto.cipher import active_keyring

    keyring = active_keyring()
    key_id = keyring.audit_primary
    key = keyring.audit_key(key_id)  # no audit key, no sealing: KeyringError says how to add one
    sealed = 0
    with transaction.atomic():
        head = ChainHead.objects.select_for_update(skip_locked=not wait).filter(pk=1).first()
        if head is None:
            if not wait and ChainHead.objects.filter(pk=1).exists():
                return 0
            head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        pos, prev = head.last_seq, head.last_hash
        pending = list(AuditRecord.objects.filter(hash="").order_by("seq")[:limit])
        if pos and not head.key_id:
            pending.insert(0, _keyed_chain_marker(pos))
        for entry in pending:
            pos += 1
            entry.chain_pos, entry.prev_hash, entry.key_id = pos, prev, key_id
            entry.hash = entry.compute_hash(key)
            # The database allows this one update: filling the chain fields of an unsealed record.
            models.QuerySet(model=AuditRecord).filter(pk=entry.pk, hash="").update(
                chain_pos=pos, prev_hash=prev, hash=entry.hash, key_id=key_id
            )
            prev = entry.hash
            sealed += 1
        if sealed:
            ChainHead.objects.filter(pk=1).update(last_seq=pos, last_hash=prev, key_id=key_id)
    return sealed


def _keyed_chain_marker(legacy_records: int) -> AuditRecord:
    """The record that starts the keyed chain after `legacy_records` plain SHA-256 records (written once, by
    the first sealing pass after an upgrade; `verify` requires it where plain records precede keyed ones)."""
    return AuditRecord.objects.create(
        at=timezone.now(),
        action=AuditRecord.Action.SYSTEM,
        object_type=KEYED_CHAIN_MARKER,
        detail={"operation": "keyed_chain_start", "legacy_records": legacy_records},
    )


def record_read(
    actor: Any, objects: Iterable[models.Model], fields: Iterable[str], *, export: bool = False
) -> None:
    """Audit that `actor` was shown (or exported) the personal `fields` of each object."""
    action = AuditRecord.Action.EXPORT if export else AuditRecord.Action.VIEW
    field_list = sorted(set(fields))
    for obj in objects:
        record(action, obj, actor=actor, fields=field_list)
