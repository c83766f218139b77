"""`lantern backup` / `lantern restore`: back up, destroy, restore, and every table is as it was; an erased
person does not come back from a restore."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord, ChainHead
from lantern.audit.verify import verify_chain
from lantern.backups import archive, ledger, services
from lantern.cases.models import Case
from lantern.cases.tests.factories import CaseFactory
from lantern.records.models import ErasureLedger, ErasureReason
from lantern.records.retention import anonymise_case
from lantern.records.services import add_document
from lantern.records.storage import documents_dir

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AUDIT_TABLES = {AuditRecord._meta.label, ChainHead._meta.label}


@pytest.fixture(autouse=True)
def backup_settings(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path / "var"
    settings.LANTERN_BACKUP_DIR = str(tmp_path / "backups")
    settings.LANTERN_BACKUP_KEY_FILE = str(tmp_path / "backup.key")
    settings.LANTERN_ERASURE_LEDGER_FILE = str(tmp_path / "ledger" / "erasure-ledger.jsonl")
    archive.create_key(Path(settings.LANTERN_BACKUP_KEY_FILE))
    return tmp_path


@pytest.fixture
def some_data(personas: Any) -> dict[str, Any]:
    worker = personas.own[Role.CASE_WORKER]
    first = CaseFactory(
        organisation=personas.own_org, created_by=worker, given_names="Маріам", family_name="Saleh"
    )
    second = CaseFactory(
        organisation=personas.own_org, created_by=worker, given_names="Amal", family_name="Haddad"
    )
    document = add_document(
        actor=worker,
        case=first,
        upload=SimpleUploadedFile("passport.pdf", PDF, "application/pdf"),
        kind="other",
    )
    return {"first": first, "second": second, "document": document}


def every_table() -> dict[str, list[dict[str, Any]]]:
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def destroy_database() -> None:
    """Lose everything: every table dropped."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            return
        cursor.execute("PRAGMA foreign_keys = OFF")
        names = [row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for name in names:
            if not name.startswith("sqlite_"):
                cursor.execute(f'DROP TABLE "{name}"')


def document_files() -> dict[str, bytes]:
    root = documents_dir()
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_backup_destroy_restore_gives_back_every_table_and_document(some_data: dict[str, Any]) -> None:
    before, files = every_table(), document_files()
    assert files and before[Case._meta.label]
    result = services.make_backup()
    assert result.path.exists() and result.manifest["documents"] == 1
    assert result.manifest["tables"][Case._meta.db_table] == 2
    assert b"Saleh" not in result.path.read_bytes()  # encrypted, and the names were encrypted fields anyway

    destroy_database()
    for path in documents_dir().rglob("*"):
        if path.is_file():
            path.unlink()

    restored = services.restore_backup(result.path)
    assert restored.replayed == []
    after = every_table()
    for label, rows in before.items():
        if label in AUDIT_TABLES:
            continue
        assert after[label] == rows, f"{label} differs after the restore"
    # The audit trail is back as it was, followed by the restore's own record, and still verifies.
    old_seqs = {row["seq"] for row in before[AuditRecord._meta.label]}
    assert [r for r in after[AuditRecord._meta.label] if r["seq"] in old_seqs][: len(old_seqs)] == [
        r for r in before[AuditRecord._meta.label] if r["seq"] in old_seqs
    ]
    assert AuditRecord.objects.filter(object_type="backup", detail__operation="restore").count() == 1
    assert verify_chain().ok
    assert document_files() == files
    assert Case.objects.get(pk=some_data["first"].pk).given_names == "Маріам"


def test_a_person_erased_after_the_backup_is_erased_again_after_the_restore(
    some_data: dict[str, Any],
) -> None:
    first, second = some_data["first"], some_data["second"]
    backup = services.make_backup().path
    anonymise_case(first, reason=ErasureReason.REQUEST)
    assert [entry.case_id for entry in ledger.read()] == [first.pk]

    result = services.restore_backup(backup)  # the backup predates the erasure

    assert result.replayed == [first.pk]
    erased = Case.objects.get(pk=first.pk)
    assert erased.given_names != "Маріам" and erased.family_name != "Saleh"
    assert ErasureLedger.objects.filter(case_id=first.pk, reason=ErasureReason.REQUEST).exists()
    assert Case.objects.get(pk=second.pk).family_name == "Haddad"
    assert document_files() == {}  # the erased person's document went again
    assert [entry.case_id for entry in ledger.read()] == [first.pk]  # the replay adds no duplicate line


def test_the_ledger_file_catches_up_with_erasures_it_missed(some_data: dict[str, Any]) -> None:
    anonymise_case(some_data["first"])
    Path(ledger.ledger_path()).unlink()  # e.g. lost between the commit and the write
    services.make_backup()
    assert [entry.case_id for entry in ledger.read()] == [some_data["first"].pk]


def test_restore_refuses_a_damaged_archive_and_another_key(some_data: dict[str, Any], settings: Any) -> None:
    path = services.make_backup().path
    data = bytearray(path.read_bytes())
    data[-100] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(path), "--yes", stdout=io.StringIO())
    path.with_name(path.name + ".sha256").unlink()
    with pytest.raises(CommandError, match="altered"):
        call_command("restore", str(path), "--yes", stdout=io.StringIO())

    good = services.make_backup().path
    Path(settings.LANTERN_BACKUP_KEY_FILE).unlink()
    archive.create_key(Path(settings.LANTERN_BACKUP_KEY_FILE))
    with pytest.raises(CommandError, match="another key"):
        call_command("restore", str(good), "--yes", stdout=io.StringIO())
    assert Case.objects.count() == 2  # nothing was touched


def test_restore_refuses_a_backup_from_a_newer_lantern(some_data: dict[str, Any], monkeypatch: Any) -> None:
    real = services.applied_migrations
    monkeypatch.setattr(services, "applied_migrations", lambda: {**real(), "cases": "9999_from_the_future"})
    path = services.make_backup().path
    with pytest.raises(archive.ArchiveError, match="newer Lantern"):
        services.restore_backup(path)
    assert Case.objects.count() == 2


def test_the_commands_create_a_key_once_back_up_check_and_prune(settings: Any, tmp_path: Path) -> None:
    Path(settings.LANTERN_BACKUP_KEY_FILE).unlink()
    out = io.StringIO()
    call_command("backup", "--create-key", stdout=out)
    assert "backup key created" in out.getvalue()
    with pytest.raises(CommandError, match="never overwritten"):
        call_command("backup", "--create-key", stdout=io.StringIO())
    call_command("backup", stdout=(first := io.StringIO()))
    assert ".lbk" in first.getvalue()
    old = sorted(Path(settings.LANTERN_BACKUP_DIR).glob("*.lbk"))[0]
    import os

    os.utime(old, (0, 0))  # as if made in 1970
    call_command("backup", "--keep-days", "35", stdout=(second := io.StringIO()))
    assert f"pruned {old.name}" in second.getvalue()
    assert len(list(Path(settings.LANTERN_BACKUP_DIR).glob("*.lbk"))) == 1
    newest = next(Path(settings.LANTERN_BACKUP_DIR).glob("*.lbk"))
    call_command("restore", str(newest), "--check", stdout=(checked := io.StringIO()))
    assert "rows" in checked.getvalue() and "key id" in checked.getvalue()


def test_a_backup_without_its_key_says_how_to_make_one(settings: Any) -> None:
    Path(settings.LANTERN_BACKUP_KEY_FILE).unlink()
    with pytest.raises(CommandError, match="--create-key"):
        call_command("backup", stdout=io.StringIO())
