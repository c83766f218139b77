"""Commands run by hand as root leave no root-owned file: a restore keeps the documents' owner and modes,
the erasure ledger file stays the service user's, and an erased person's files do not survive in the
folders a restore set aside."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from lantern.accounts.roles import Role
from lantern.backups import ledger, services
from lantern.backups.tests.test_backup_restore import PDF, backup_settings  # noqa: F401 (fixture)
from lantern.cases.tests.factories import CaseFactory
from lantern.records.retention import anonymise_case
from lantern.records.services import add_document
from lantern.records.storage import SET_ASIDE_PREFIX, documents_dir, set_aside_dirs

pytestmark = pytest.mark.django_db(transaction=True)
SERVICE_UID, SERVICE_GID = 65534, 65534  # nobody: stands for the service user
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root, like CI and an administrator's shell")


def case_with_document(personas: Any) -> Any:
    worker = personas.own[Role.CASE_WORKER]
    case = CaseFactory(organisation=personas.own_org, created_by=worker)
    upload = SimpleUploadedFile("passport.pdf", PDF, "application/pdf")
    return case, add_document(actor=worker, case=case, upload=upload, kind="other")


def owned_by_service_user(tmp_path: Path) -> Path:
    var = tmp_path / "var"
    var.mkdir(exist_ok=True)
    os.chown(var, SERVICE_UID, SERVICE_GID)
    return var


def root_owned(folder: Path) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.lstat().st_uid == 0]


@as_root
def test_a_restore_run_as_root_leaves_documents_the_service_user_can_read(
    personas: Any, tmp_path: Path
) -> None:
    var = owned_by_service_user(tmp_path)
    case_with_document(personas)
    backup = services.make_backup().path
    result = services.restore_backup(backup)  # as root, as the administrator did
    assert result.documents_set_aside is not None
    files = [p for p in documents_dir().rglob("*") if p.is_file()]
    assert files
    assert root_owned(documents_dir()) == [] and documents_dir().stat().st_uid == SERVICE_UID
    assert {oct(p.stat().st_mode & 0o777) for p in files} == {"0o600"}
    assert documents_dir().stat().st_mode & 0o777 == 0o700
    assert root_owned(var / "documents") == []


@as_root
def test_an_erasure_run_as_root_leaves_the_ledger_file_to_the_service_user(
    personas: Any, settings: Any, tmp_path: Path
) -> None:
    owned_by_service_user(tmp_path)
    settings.LANTERN_ERASURE_LEDGER_FILE = str(tmp_path / "var" / "erasure-ledger.jsonl")
    case, _document = case_with_document(personas)
    call_command("retention", "erase", str(case.pk))
    assert ledger.ledger_path().stat().st_uid == SERVICE_UID


def test_an_erased_persons_document_goes_from_the_folders_a_restore_set_aside(personas: Any) -> None:
    case, document = case_with_document(personas)
    backup = services.make_backup().path
    services.restore_backup(backup)  # the documents there before are moved aside
    [folder] = set_aside_dirs()
    name = document.storage_name
    assert (folder / name[:2] / name).exists()
    anonymise_case(case)
    assert not (folder / name[:2] / name).exists()
    assert not (documents_dir() / name[:2] / name).exists()


def test_retention_run_removes_set_aside_folders_older_than_the_backups_kept(settings: Any) -> None:
    settings.LANTERN_BACKUP_KEEP_DAYS = 35
    old_stamp = time.strftime("%Y%m%dT%H%M%S", time.localtime(time.time() - 40 * 86400))
    new_stamp = time.strftime("%Y%m%dT%H%M%S", time.localtime(time.time() - 2 * 86400))
    old, recent = (documents_dir().parent / f"{SET_ASIDE_PREFIX}{stamp}" for stamp in (old_stamp, new_stamp))
    for folder in (old, recent):
        (folder / "ab").mkdir(parents=True)
        (folder / "ab" / "ab12").write_bytes(b"x")
    call_command("retention", "run")
    assert not old.exists() and recent.exists()


def test_extraction_without_pythons_data_filter_still_refuses_paths_outside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Debian 12's Python 3.11.2 has no tarfile "data" filter: restores used to crash there."""
    import io
    import tarfile

    monkeypatch.delattr(tarfile, "data_filter", raising=False)
    payload = tmp_path / "payload.tar"
    with tarfile.open(payload, "w") as tar:
        data = b"document"
        info = tarfile.TarInfo("documents/ab/ab12")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with tarfile.open(payload) as tar:
        services._extract_safely(tar, tmp_path / "out")
    assert (tmp_path / "out" / "documents" / "ab" / "ab12").read_bytes() == b"document"
    with tarfile.open(payload, "w") as tar:
        info = tarfile.TarInfo("../escaped")
        tar.addfile(info, io.BytesIO(b""))
    with tarfile.open(payload) as tar, pytest.raises(services.archive.ArchiveError):
        services._extract_safely(tar, tmp_path / "out2")
    assert not (tmp_path / "escaped").exists()
