"""The database triggers that keep the audit trail append-only, even for SQL sent through the application's
connection: a record may be updated once, to fill its chain fields while unsealed; no record may be deleted;
the chain head may only move forward and may not be deleted.

Installed by the audit migrations. On SQLite, Django's test flush empties tables with DELETE: the test
settings wrap that flush with `remove` and `install` (see `lantern.conftest`), never the application.
"""

from __future__ import annotations

from typing import Any

PG_RECORD_FUNCTION = """
CREATE OR REPLACE FUNCTION lantern_audit_immutable() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.hash = '' AND NEW.hash <> ''
     AND (to_jsonb(NEW) - 'chain_pos' - 'prev_hash' - 'hash' - 'key_id')
       = (to_jsonb(OLD) - 'chain_pos' - 'prev_hash' - 'hash' - 'key_id')
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit records are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
PG_HEAD_FUNCTION = """
CREATE OR REPLACE FUNCTION lantern_audit_head_forward() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.last_seq > OLD.last_seq THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the audit chain head only moves forward (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
PG_INSTALL = [
    PG_RECORD_FUNCTION,
    PG_HEAD_FUNCTION,
    "DROP TRIGGER IF EXISTS audit_auditrecord_no_update ON audit_auditrecord",
    "CREATE TRIGGER audit_auditrecord_no_update BEFORE UPDATE OR DELETE ON audit_auditrecord "
    "FOR EACH ROW EXECUTE FUNCTION lantern_audit_immutable()",
    "DROP TRIGGER IF EXISTS audit_chainhead_forward_only ON audit_chainhead",
    "CREATE TRIGGER audit_chainhead_forward_only BEFORE UPDATE OR DELETE ON audit_chainhead "
    "FOR EACH ROW EXECUTE FUNCTION lantern_audit_head_forward()",
]

SQLITE_TRIGGERS = {
    "audit_auditrecord_no_update": """
CREATE TRIGGER audit_auditrecord_no_update BEFORE UPDATE ON audit_auditrecord
WHEN OLD.hash != '' OR NEW.hash = '' OR NEW.seq IS NOT OLD.seq OR NEW.at IS NOT OLD.at
  OR NEW.actor_id IS NOT OLD.actor_id OR NEW.actor_label IS NOT OLD.actor_label
  OR NEW.organisation_id IS NOT OLD.organisation_id OR NEW.action IS NOT OLD.action
  OR NEW.object_type IS NOT OLD.object_type OR NEW.object_id IS NOT OLD.object_id
  OR NEW.fields IS NOT OLD.fields OR NEW.request_id IS NOT OLD.request_id OR NEW.ip IS NOT OLD.ip
  OR NEW.detail IS NOT OLD.detail
BEGIN SELECT RAISE(ABORT, 'audit records are append-only (UPDATE refused)'); END
""",
    "audit_auditrecord_no_delete": """
CREATE TRIGGER audit_auditrecord_no_delete BEFORE DELETE ON audit_auditrecord
BEGIN SELECT RAISE(ABORT, 'audit records are append-only (DELETE refused)'); END
""",
    "audit_chainhead_forward_only": """
CREATE TRIGGER audit_chainhead_forward_only BEFORE UPDATE ON audit_chainhead
WHEN NEW.id IS NOT OLD.id OR NEW.last_seq <= OLD.last_seq
BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward (UPDATE refused)'); END
""",
    "audit_chainhead_no_delete": """
CREATE TRIGGER audit_chainhead_no_delete BEFORE DELETE ON audit_chainhead
BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward (DELETE refused)'); END
""",
}


def install_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return list(PG_INSTALL)
    if vendor == "sqlite":
        drops = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]
        return drops + [sql.strip() for sql in SQLITE_TRIGGERS.values()]
    return []


def remove_sql(vendor: str) -> list[str]:
    """SQLite only: what the test flush runs before emptying the tables."""
    return [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS] if vendor == "sqlite" else []


def install(schema_editor: Any) -> None:
    for sql in install_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)
