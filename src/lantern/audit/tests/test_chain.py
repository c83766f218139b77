"""The audit trail is append-only and hash-chained; `lantern audit verify` finds the first broken record."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from lantern.accounts.roles import Role
from lantern.audit.models import AuditImmutableError, AuditRecord
from lantern.audit.services import record, seal_pending
from lantern.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def _write_some(n: int = 5) -> list[AuditRecord]:
    """Write and seal n records (a test runs in one transaction, so it calls the after-commit sealing)."""
    written = [
        record("system", object_type="test.thing", object_id=str(i), detail={"i": i}) for i in range(n)
    ]
    seal_pending()
    return [AuditRecord.objects.get(pk=entry.pk) for entry in written]


def test_records_link_to_the_previous_one() -> None:
    first, second, *_ = _write_some()
    assert second.prev_hash == first.hash
    assert verify_chain().ok


def test_changes_to_audited_models_are_recorded_with_field_names_not_values(personas: Any) -> None:
    user = personas.own[Role.SCREENER]
    user.last_name = "Changed-Secret-Value"
    user.save()
    entry = AuditRecord.objects.filter(
        object_type="accounts.user", object_id=str(user.pk), action="update"
    ).first()
    assert entry is not None and entry.fields == ["last_name"]
    assert "Changed-Secret-Value" not in entry.canonical().decode()


def _raw_update(sql: str, params: list[Any]) -> None:
    """Alter a row behind the application's back, as an intruder with database access would."""
    from lantern.audit.tests.intruder import as_intruder

    as_intruder(sql, params)


def test_verify_names_the_first_record_altered_in_the_database(capsys: Any) -> None:
    records = _write_some(6)
    target = records[3]
    _raw_update("UPDATE audit_auditrecord SET object_id = %s WHERE seq = %s", ["tampered", target.seq])
    result = verify_chain()
    assert result.first_broken == target.seq
    assert "altered" in result.reason
    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "verify")
    assert f"BROKEN at record {target.seq}" in str(excinfo.value)


def test_verify_detects_a_deleted_record() -> None:
    records = _write_some(4)
    _raw_update("DELETE FROM audit_auditrecord WHERE seq = %s", [records[1].seq])
    result = verify_chain()
    # A missing record is named by its position in the chain (its row, and so its id, is gone).
    assert result.first_broken == records[1].chain_pos and "missing" in result.reason


def test_verify_detects_records_removed_from_the_end() -> None:
    records = _write_some(4)
    _raw_update("DELETE FROM audit_auditrecord WHERE seq = %s", [records[-1].seq])
    result = verify_chain()
    assert not result.ok and result.first_broken == records[-1].chain_pos


def test_intact_chain_verifies_through_the_command(capsys: Any) -> None:
    _write_some(3)
    call_command("audit", "verify")
    assert "audit chain intact" in capsys.readouterr().out


def test_the_application_cannot_change_or_delete_audit_records() -> None:
    entry = _write_some(1)[0]
    entry.object_id = "changed"
    with pytest.raises(AuditImmutableError):
        entry.save()
    with pytest.raises(AuditImmutableError):
        entry.delete()
    with pytest.raises(AuditImmutableError):
        AuditRecord.objects.filter(pk=entry.pk).update(object_id="changed")
    with pytest.raises(AuditImmutableError):
        AuditRecord.objects.all().delete()


def test_records_are_sealed_in_commit_order_and_unsealed_ones_are_reported() -> None:
    entry = record("system", object_type="test.thing", object_id="late")
    assert entry.hash == "" and entry.chain_pos is None
    assert verify_chain(seal=False).unsealed == 1
    result = verify_chain()  # seals first
    assert result.ok and result.unsealed == 0
    assert AuditRecord.objects.get(pk=entry.pk).chain_pos == result.checked


def test_the_database_refuses_to_reseal_a_sealed_record() -> None:
    entry = _write_some(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditrecord SET hash = %s WHERE seq = %s", ["f" * 64, entry.seq])


def test_the_database_refuses_to_change_content_while_sealing() -> None:
    entry = record("system", object_type="test.thing", object_id="x")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditrecord SET hash = %s, object_id = 'forged' WHERE seq = %s",
            ["f" * 64, entry.seq],
        )


def test_the_database_refuses_updates_even_in_raw_sql() -> None:
    entry = _write_some(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditrecord SET object_id = 'x' WHERE seq = %s", [entry.seq])
    assert AuditRecord.objects.get(pk=entry.pk).object_id == entry.object_id


def test_one_sealing_pass_is_scheduled_per_transaction(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for i in range(5):
            record("system", object_type="test.thing", object_id=str(i))
    assert len(callbacks) == 1
    assert not AuditRecord.objects.filter(hash="").exists()


@pytest.mark.django_db(transaction=True)
def test_sealing_after_commit_does_not_queue_behind_another_process_sealing() -> None:
    """A worker that finds the chain head locked leaves its records for the next pass instead of waiting."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks: SQLite serialises writers itself")
    from django.db import connections

    seal_pending(wait=True)
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute("SELECT id FROM audit_chainhead WHERE id = 1 FOR UPDATE")
        with transaction.atomic():  # the after-commit pass finds the head locked and returns at once
            entry = record("system", object_type="test.thing", object_id="locked")
        assert AuditRecord.objects.get(pk=entry.pk).hash == ""
        assert seal_pending() == 0
    finally:
        other.rollback()
        other.close()
    assert seal_pending(wait=True) == 1
    assert verify_chain().ok
