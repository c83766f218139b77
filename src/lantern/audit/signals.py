"""Record create, update and delete of every AuditedModel, in the same transaction as the change."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
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


@receiver(user_logged_in)
def _record_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(AuditRecord.Action.LOGIN, actor=user, object_type="accounts.user", object_id=str(user.pk))


@receiver(user_logged_out)
def _record_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(AuditRecord.Action.LOGOUT, actor=user, object_type="accounts.user", object_id=str(user.pk))


@receiver(user_login_failed)
def _record_login_failure(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # The username tried is recorded (it may not exist); the password never is.
    record(
        AuditRecord.Action.LOGIN_FAILED,
        actor_label=str(credentials.get("username", ""))[:150],
        object_type="accounts.user",
        detail={"stage": "two_factor" if sender == "lantern.accounts.two_factor" else "password"},
    )
