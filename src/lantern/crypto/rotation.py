"""Key rotation: a new primary data key, and every encrypted value re-encrypted under it; a new primary audit
key (the old audit keys stay: they verify the audit records they sealed)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from pathlib import Path

from django.apps import apps
from django.db import transaction

from .cipher import PREFIX, decrypt, encrypt, key_id_of, reset_keyring_cache
from .fields import EncryptedTextField
from .keyring import Keyring, new_key_id, write_keyring


@dataclass
class RotationReport:
    new_key_id: str
    values: int
    retired: list[str]
    new_audit_key_id: str = ""


def encrypted_columns() -> list[tuple[type, EncryptedTextField]]:
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]


def rotate_keys(keyring: Keyring, path: Path, *, retire_old: bool = False) -> RotationReport:
    """Add a new primary key and re-encrypt every value under it in one transaction; old keys stay in the
    keyring (backups made before need them: `retire_keys` drops them once nothing needs them).

    The new keyring is written *before* re-encryption (holding old and new keys), so a crash half-way
    leaves data readable, and running workers, which read the keyring file again when it changes, can
    decrypt a re-encrypted value from the moment it commits.
    """
    kid = new_key_id()
    staged = replace(
        keyring.with_new_audit_key(), primary=kid, keys={**keyring.keys, kid: secrets.token_bytes(32)}
    )
    write_keyring(staged, path)
    reset_keyring_cache()
    count = 0
    with transaction.atomic():
        for model, field in encrypted_columns():
            context = f"{model._meta.label_lower}.{field.name}"
            for pk, token in _raw_tokens(model, field):
                if not token or not token.startswith(PREFIX) or key_id_of(token) == kid:
                    continue
                plain = decrypt(token, context, staged)
                _write_raw(model, field, pk, encrypt(plain, context, staged))
                count += 1
    retired: list[str] = []
    if retire_old:
        retired = [k for k in staged.keys if k != kid]
        write_keyring(replace(staged, keys={kid: staged.keys[kid]}), path)
        reset_keyring_cache()
    return RotationReport(
        new_key_id=kid, values=count, retired=retired, new_audit_key_id=staged.audit_primary
    )


def key_ids_in_use() -> dict[str, int]:
    """Each key id the stored data is encrypted with, and how many values use it (one scan per column)."""
    from django.db import connection

    used: dict[str, int] = {}
    for model, field in encrypted_columns():
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(field.column)
        if connection.vendor == "postgresql":
            key_id = f"split_part({column}, ':', 2)"
        else:
            key_id = f"substr({column}, 5, instr(substr({column}, 5), ':') - 1)"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {key_id}, COUNT(*) FROM {table} WHERE {column} LIKE %s GROUP BY 1",  # noqa: S608 (names from the model)  # nosec B608
                [f"{PREFIX}:%"],
            )
            for kid, count in cursor.fetchall():
                used[kid] = used.get(kid, 0) + count
    return used


def retire_keys(keyring: Keyring, path: Path, key_ids: list[str]) -> list[str]:
    """Drop `key_ids` from the keyring. The caller has checked that no data and no kept backup needs them."""
    keep = {kid: key for kid, key in keyring.keys.items() if kid not in key_ids or kid == keyring.primary}
    write_keyring(replace(keyring, keys=keep), path)
    reset_keyring_cache()
    return sorted(set(keyring.keys) - set(keep))


def _raw_tokens(model: type, field: EncryptedTextField):  # type: ignore[no-untyped-def]
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(field.column)
    pk_column = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk_column}, {column} FROM {table} WHERE {column} IS NOT NULL")  # noqa: S608 (names from the model)  # nosec B608
        return list(cursor.fetchall())


def _write_raw(model: type, field: EncryptedTextField, pk: object, token: str) -> None:
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(field.column)
    pk_column = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk_column} = %s", [token, pk])  # noqa: S608 (names from the model)  # nosec B608
