"""The audit chain is keyed and anchored outside the database: the attacks of the security review
(issue 13, finding 4) — cutting the chain short and setting its head back, rewriting records with plain
SHA-256 — fail `lantern audit verify`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, models, transaction

from lantern.audit import checkpoints
from lantern.audit.models import KEYED_CHAIN_MARKER, AuditRecord, ChainHead
from lantern.audit.services import record, seal_pending
from lantern.audit.tests.intruder import as_intruder, lift_triggers
from lantern.audit.verify import verify_chain
from lantern.crypto import cipher
from lantern.crypto.keyring import Keyring, load_keyring, main, parse_keyring, write_keyring

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def checkpoint_dir(settings: Any, tmp_path: Path) -> Path:
    settings.LANTERN_AUDIT_CHECKPOINT_DIR = str(tmp_path / "audit-checkpoints")
    return tmp_path / "audit-checkpoints"


def _write_some(n: int) -> list[AuditRecord]:
    written = [record("system", object_type="test.thing", object_id=str(i)) for i in range(n)]
    seal_pending()
    return [AuditRecord.objects.get(pk=entry.pk) for entry in written]


def _verify_command_fails() -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "verify")
    assert excinfo.value.returncode == 1
    return str(excinfo.value)


def test_records_are_sealed_with_the_audit_key_not_plain_sha256() -> None:
    entry = _write_some(1)[0]
    assert entry.key_id == cipher.active_keyring().audit_primary
    entry_plain = AuditRecord(**{f.attname: getattr(entry, f.attname) for f in AuditRecord._meta.fields})
    entry_plain.key_id = ""
    assert entry.hash != entry_plain.compute_hash()


def test_checkpoint_is_signed_and_appended_outside_the_database(checkpoint_dir: Path, capsys: Any) -> None:
    records = _write_some(3)
    call_command("audit", "checkpoint")
    call_command("audit", "checkpoint")
    lines = (checkpoint_dir / "checkpoints.jsonl").read_text().splitlines()
    assert len(lines) == 2
    saved = json.loads(lines[-1])
    assert saved["position"] == records[-1].chain_pos and saved["head_hash"] == records[-1].hash
    assert len(saved["signature"]) == 64
    call_command("audit", "verify")
    assert "matches 1 checkpoint(s)" in capsys.readouterr().out


def test_cutting_the_chain_short_and_setting_the_head_back_fails_against_the_checkpoint() -> None:
    records = _write_some(6)
    call_command("audit", "checkpoint")
    kept = records[3]
    as_intruder("DELETE FROM audit_auditrecord WHERE seq > %s", [kept.seq])
    as_intruder(
        "UPDATE audit_chainhead SET last_seq = %s, last_hash = %s WHERE id = 1", [kept.chain_pos, kept.hash]
    )
    result = verify_chain()
    assert not result.ok and result.first_broken == kept.chain_pos + 1
    assert f"records {kept.chain_pos + 1} to {records[-1].chain_pos} are missing" in result.reason
    assert "are missing" in _verify_command_fails()


def test_rewriting_a_record_with_plain_sha256_fails_even_without_a_checkpoint() -> None:
    records = _write_some(5)
    lift_triggers()
    prev = records[1].hash
    for entry in records[2:]:  # change the third record, then recompute every hash after it as plain SHA-256
        if entry.pk == records[2].pk:
            entry.object_id = "forged"
        entry.prev_hash, entry.key_id = prev, ""
        entry.hash = entry.compute_hash()
        as_intruder(
            "UPDATE audit_auditrecord SET object_id = %s, prev_hash = %s, hash = %s, key_id = '' "
            "WHERE seq = %s",
            [entry.object_id, entry.prev_hash, entry.hash, entry.seq],
        )
        prev = entry.hash
    as_intruder("UPDATE audit_chainhead SET last_hash = %s, key_id = '' WHERE id = 1", [prev])
    result = verify_chain(seal=False)
    assert result.first_broken == records[2].seq and "plain hash" in result.reason
    assert f"BROKEN at record {records[2].seq}" in _verify_command_fails()


def test_rewriting_the_whole_chain_with_plain_sha256_fails() -> None:
    records = _write_some(4)
    prev = "0" * 64
    for entry in records:
        entry.object_id = "forged" if entry.pk == records[1].pk else entry.object_id
        entry.prev_hash, entry.key_id = prev, ""
        entry.hash = entry.compute_hash()
        as_intruder(
            "UPDATE audit_auditrecord SET object_id = %s, prev_hash = %s, hash = %s, key_id = '' "
            "WHERE seq = %s",
            [entry.object_id, entry.prev_hash, entry.hash, entry.seq],
        )
        prev = entry.hash
    as_intruder("UPDATE audit_chainhead SET last_hash = %s, key_id = '' WHERE id = 1", [prev])
    result = verify_chain(seal=False)
    assert not result.ok and "plain hashes" in result.reason


def test_a_record_rewritten_with_a_guessed_key_fails_against_the_checkpoint() -> None:
    """Even an intruder who could recompute the keyed chain cannot match the checkpoint kept outside."""
    records = _write_some(4)
    call_command("audit", "checkpoint")
    key = b"\x01" * 32
    prev = records[1].hash
    for entry in records[2:]:
        entry.object_id = "forged"
        entry.prev_hash = prev
        entry.hash = entry.compute_hash(key)
        as_intruder(
            "UPDATE audit_auditrecord SET object_id = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            [entry.object_id, entry.prev_hash, entry.hash, entry.seq],
        )
        prev = entry.hash
    result = verify_chain(seal=False)
    assert result.first_broken == records[2].seq  # the keyed hash does not verify


def test_a_forged_checkpoint_is_refused(checkpoint_dir: Path) -> None:
    _write_some(2)
    call_command("audit", "checkpoint")
    path = checkpoint_dir / "checkpoints.jsonl"
    saved = json.loads(path.read_text())
    saved["position"] = 1
    path.write_text(json.dumps(saved) + "\n")
    result = verify_chain()
    assert not result.ok and "signature does not verify" in result.reason


def test_the_database_refuses_deletes_and_moving_the_chain_head_back() -> None:
    entry = _write_some(2)[0]
    refused = [
        ("DELETE FROM audit_auditrecord WHERE seq = %s", [entry.seq]),
        ("UPDATE audit_chainhead SET last_seq = 1 WHERE id = 1", []),
        ("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", ["f" * 64]),
        ("DELETE FROM audit_chainhead", []),
    ]
    for sql, params in refused:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    assert AuditRecord.objects.filter(pk=entry.pk).exists()
    assert ChainHead.objects.get(pk=1).last_seq == 2


def test_plain_records_from_before_keying_are_followed_by_a_marker_and_still_verify() -> None:
    """The upgrade: records sealed with plain SHA-256 keep their hashes; the next sealing starts the keyed
    chain with a marker record naming how many plain records precede it."""
    legacy = [record("system", object_type="test.thing", object_id=f"old-{i}") for i in range(3)]
    prev = "0" * 64
    for pos, entry in enumerate(legacy, start=1):  # sealed as before this change: no key
        entry.chain_pos, entry.prev_hash = pos, prev
        entry.hash = entry.compute_hash()
        models.QuerySet(model=AuditRecord).filter(pk=entry.pk).update(
            chain_pos=pos, prev_hash=prev, hash=entry.hash
        )
        prev = entry.hash
    ChainHead.objects.create(pk=1, last_seq=3, last_hash=prev)
    new = record("system", object_type="test.thing", object_id="new")
    seal_pending()
    marker = AuditRecord.objects.get(chain_pos=4)
    assert marker.object_type == KEYED_CHAIN_MARKER and marker.detail["legacy_records"] == 3 and marker.key_id
    assert AuditRecord.objects.get(pk=new.pk).chain_pos == 5
    result = verify_chain()
    assert result.ok and result.checked == 5


def test_verify_still_works_after_the_audit_key_is_rotated(settings: Any, tmp_path: Path) -> None:
    old = load_keyring(settings.LANTERN_KEYRING, None)
    path = tmp_path / "keyring.json"
    write_keyring(old, path)
    settings.LANTERN_KEYRING = ""
    settings.LANTERN_KEYRING_FILE = str(path)
    cipher.reset_keyring_cache()
    try:
        before = _write_some(2)
        call_command("audit", "checkpoint")
        call_command("keys", "rotate")
        rotated = parse_keyring(path.read_text(), "test")
        assert rotated.audit_primary != old.audit_primary and old.audit_primary in rotated.audit_keys
        after = _write_some(2)
        assert before[0].key_id == old.audit_primary and after[-1].key_id == rotated.audit_primary
        result = verify_chain()
        assert result.ok and result.checkpoints == 1
    finally:
        cipher.reset_keyring_cache()


def test_after_a_restore_the_shorter_chain_is_accepted_and_the_lost_checkpoints_named(capsys: Any) -> None:
    records = _write_some(5)
    call_command("audit", "checkpoint")
    kept = records[2]
    # What a restore from an older backup looks like to the chain: the newest records are gone.
    as_intruder("DELETE FROM audit_auditrecord WHERE seq > %s", [kept.seq])
    as_intruder(
        "UPDATE audit_chainhead SET last_seq = %s, last_hash = %s WHERE id = 1", [kept.chain_pos, kept.hash]
    )
    assert not verify_chain().ok
    call_command("audit", "checkpoint", "--after-restore", "restored the backup of last night")
    result = verify_chain()
    assert result.ok and len(result.lost_with_restore) == 1
    # The restored part is still held to the checkpoints: rewriting it fails.
    as_intruder("UPDATE audit_auditrecord SET object_id = 'forged' WHERE seq = %s", [records[1].seq])
    assert verify_chain().first_broken == records[1].seq


def test_keyring_create_adds_an_audit_key_to_an_older_keyring_and_keeps_its_keys(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    current = cipher.active_keyring()
    older = Keyring(primary=current.primary, keys=current.keys, index_key=current.index_key)
    write_keyring(older, path)
    assert "audit_keys" not in json.loads(path.read_text())
    assert main(["create", str(path)]) == 0
    upgraded = parse_keyring(path.read_text(), "test")
    assert upgraded.audit_keys and upgraded.keys == older.keys and upgraded.index_key == older.index_key
    assert main(["create", str(path)]) == 0
    assert parse_keyring(path.read_text(), "test") == upgraded  # never replaced


def test_checkpoint_refuses_a_broken_chain(checkpoint_dir: Path) -> None:
    records = _write_some(3)
    as_intruder("UPDATE audit_auditrecord SET object_id = 'x' WHERE seq = %s", [records[0].seq])
    with pytest.raises(CommandError):
        call_command("audit", "checkpoint")
    assert checkpoints.read_checkpoints() == []


def test_a_keyring_without_an_audit_key_fails_the_system_check(settings: Any) -> None:
    from lantern.web.checks import keyring_present

    current = cipher.active_keyring()
    settings.LANTERN_KEYRING = Keyring(current.primary, current.keys, current.index_key).to_json()
    errors = keyring_present(None)
    assert [error.id for error in errors] == ["lantern.E003"]
    assert "python -m lantern.crypto.keyring create" in errors[0].hint
