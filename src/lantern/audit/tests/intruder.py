"""What an intruder with the database's credentials (but not the keyring) can do to the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import connection

from lantern.audit import triggers


def lift_triggers() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditrecord DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE audit_chainhead DISABLE TRIGGER USER")
        else:
            for sql in triggers.remove_sql("sqlite"):
                cursor.execute(sql)


def as_intruder(sql: str, params: list[Any]) -> None:
    """Run `sql` with the audit triggers dropped (SQLite) or disabled (PostgreSQL)."""
    lift_triggers()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
