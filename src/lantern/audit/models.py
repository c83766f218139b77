"""Audit records (append-only, hash-chained) and the mixin that makes a model's changes recorded.

The chain is keyed: each record's hash is an HMAC-SHA-256 under an audit key of the keyring, named by the
record's `key_id`, so that nobody without the keyring can recompute a chain after changing or removing
records. Records sealed before the chain was keyed keep their plain SHA-256 (`key_id` empty); a marker
record (`KEYED_CHAIN_MARKER`) starts the keyed chain after them (see `services.seal_pending`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditImmutableError(Exception):
    """Raised on any attempt to change or delete an audit record through the application."""


class AuditedModel(models.Model):
    """Records create, update and delete of the model, naming the fields changed (never their values)."""

    audit_exclude_fields: ClassVar[frozenset[str]] = frozenset()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):  # type: ignore[no-untyped-def]
        instance = super().from_db(db, field_names, values)
        instance._audit_loaded = dict(zip(field_names, values, strict=False))
        return instance

    def audit_changed_fields(self) -> list[str]:
        loaded = getattr(self, "_audit_loaded", None)
        names = [f.attname for f in self._meta.concrete_fields if f.attname not in self.audit_exclude_fields]
        if loaded is None:
            return sorted(names)
        changed = []
        for field in self._meta.concrete_fields:
            if field.attname in self.audit_exclude_fields or field.attname not in loaded:
                continue
            # Compare in database form so that encrypted fields compare by value, not by ciphertext.
            if field.to_python(loaded[field.attname]) != field.to_python(getattr(self, field.attname)):
                changed.append(field.attname)
        return sorted(changed)


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AuditImmutableError("Audit records cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError("Audit records cannot be deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AuditImmutableError("Audit records cannot be changed.")


class AuditRecord(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        VIEW = "view", _("Viewed personal data")
        EXPORT = "export", _("Exported")
        LOGIN = "login", _("Signed in")
        LOGIN_FAILED = "login_failed", _("Failed sign-in")
        LOGOUT = "logout", _("Signed out")
        DENIED = "denied", _("Access refused")
        SYSTEM = "system", _("System operation")

    seq = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False
    )
    actor_label = models.CharField(max_length=150, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=16, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    fields = models.JSONField(default=list, blank=True)
    request_id = models.CharField(max_length=64, blank=True, db_index=True)
    ip = models.CharField(max_length=45, null=True, blank=True)  # noqa: DJ001 (null = not a web request)
    detail = models.JSONField(default=dict, blank=True)
    # Filled when the record is sealed into the chain, right after its transaction commits (see services).
    chain_pos = models.BigIntegerField(null=True, blank=True, unique=True)
    prev_hash = models.CharField(max_length=64, blank=True, default="")
    hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    # The audit key the hash was computed with ("" for the plain SHA-256 records from before keying).
    key_id = models.CharField(max_length=40, blank=True, default="")

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutableError("Audit records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError("Audit records cannot be deleted.")

    def canonical(self) -> bytes:
        """The bytes the hash covers: every field but the hash itself, in a fixed order and form."""
        payload = {
            "seq": self.seq,
            "chain_pos": self.chain_pos,
            "at": self.at.isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "organisation": self.organisation_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "fields": self.fields,
            "request_id": self.request_id,
            "ip": self.ip,
            "detail": self.detail,
            "prev_hash": self.prev_hash,
        }
        if self.key_id:  # records from before keying keep the bytes they were hashed with
            payload["key_id"] = self.key_id
        return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    def compute_hash(self, key: bytes | None = None) -> str:
        """HMAC-SHA-256 under `key` (the audit key named by `key_id`), or plain SHA-256 for a record from
        before the chain was keyed (no `key_id`)."""
        if self.key_id:
            if key is None:
                from lantern.crypto.cipher import active_keyring

                key = active_keyring().audit_key(self.key_id)
            return hmac.new(key, self.canonical(), hashlib.sha256).hexdigest()
        return hashlib.sha256(self.canonical()).hexdigest()

    def is_keyed_chain_marker(self, legacy_records: int) -> bool:
        return (
            self.object_type == KEYED_CHAIN_MARKER
            and self.detail.get("legacy_records") == legacy_records
            and bool(self.key_id)
        )


class ChainHead(models.Model):
    """One row: the last sealed record's chain position and hash. Locked only while records are sealed."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    # The audit key of the last sealed record; "" while the chain holds only plain SHA-256 records.
    key_id = models.CharField(max_length=40, blank=True, default="")

    def __str__(self) -> str:
        return f"head {self.last_seq}"


GENESIS_HASH = "0" * 64
KEYED_CHAIN_MARKER = "audit.keyed_chain"  # object_type of the record that starts the keyed chain
