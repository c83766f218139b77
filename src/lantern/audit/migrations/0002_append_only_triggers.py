"""Database triggers so that audit records cannot be changed, even by SQL sent through the application's
connection. PostgreSQL also refuses row deletion; on SQLite deletion is refused by the application and
detected by `lantern audit verify` (Django's test flush deletes rows there)."""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION lantern_audit_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit records are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditrecord_no_update BEFORE UPDATE OR DELETE ON audit_auditrecord
  FOR EACH ROW EXECUTE FUNCTION lantern_audit_immutable();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS audit_auditrecord_no_update ON audit_auditrecord;
DROP FUNCTION IF EXISTS lantern_audit_immutable();
"""
SQLITE_UP = """
CREATE TRIGGER audit_auditrecord_no_update BEFORE UPDATE ON audit_auditrecord
BEGIN SELECT RAISE(ABORT, 'audit records are append-only (UPDATE refused)'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_auditrecord_no_update;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
