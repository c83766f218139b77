"""Record create, update and delete of every AuditedModel, in the same transaction as the change."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import AuditedModel, AuditRecord
from .services import record


@receiver(post_save)
def _record_save(
    sender: type, instance: Any, created: bool, raw: bool, update_fields: Any, **kwargs: Any
) -> None:
    if raw or not isinstance(instance, AuditedModel):
        return
    if created:
        fields = [
            f.attname
            for f in instance._meta.concrete_fields
            if f.attname not in instance.audit_exclude_fields
        ]
        record(AuditRecord.Action.CREATE, instance, fields=fields)
    else:
        fields = (
            [f for f in update_fields if f not in instance.audit_exclude_fields]
            if update_fields
            else instance.audit_changed_fields()
        )
        if not fields:
            return  # nothing auditable changed (e.g. only last_login)
        record(AuditRecord.Action.UPDATE, instance, fields=fields)
    # The new state is the baseline for the next save of this instance.
    instance._audit_loaded = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@receiver(post_delete)
def _record_delete(sender: type, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, AuditedModel):
        record(AuditRecord.Action.DELETE, instance)
