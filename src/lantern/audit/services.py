"""Writing audit records: one function, `record`, used by every part of Lantern."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from . import context
from .models import AuditRecord, ChainHead


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
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditRecord(
            seq=head.last_seq + 1,
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
            prev_hash=head.last_hash,
        )
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
        ChainHead.objects.filter(pk=1).update(last_seq=entry.seq, last_hash=entry.hash)
    return entry


def record_read(
    actor: Any, objects: Iterable[models.Model], fields: Iterable[str], *, export: bool = False
) -> None:
    """Audit that `actor` was shown (or exported) the personal `fields` of each object."""
    action = AuditRecord.Action.EXPORT if export else AuditRecord.Action.VIEW
    field_list = sorted(set(fields))
    for obj in objects:
        record(action, obj, actor=actor, fields=field_list)
