"""Documents of a case: checked by content on upload, encrypted at rest outside the web root, downloaded only
through the gate (audited), and nothing kept when a file is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord
from lantern.cases.models import CaseAccess, CaseEvent
from lantern.crypto.cipher import DecryptionError
from lantern.records.models import Document

from .conftest import PDF_BYTES, PNG_BYTES, stored_files, upload

pytestmark = pytest.mark.django_db

ZIP_BYTES = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 40
HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def post_file(client: Any, case: Any, name: str, content: bytes, kind: str = "medical") -> Any:
    return client.post(
        reverse("records:documents", args=[case.pk]),
        {"file": upload(name, content), "kind": kind, "description": "Report from the clinic"},
    )


def test_an_upload_is_kept_encrypted_outside_the_web_root(
    open_case: Any, worker: Any, login_client: Any, var_dir: Path
) -> None:
    case = open_case()
    secret = PDF_BYTES + b"Amina Okafor was treated on 3 March\n"
    response = post_file(login_client(worker), case, "Amina Okafor report.pdf", secret)
    assert response.status_code == 302
    document = Document.objects.get()
    [path] = stored_files(var_dir)
    assert path.name == document.storage_name and path.is_relative_to(var_dir / "documents")
    on_disk = path.read_bytes()
    assert b"Amina" not in on_disk and b"%PDF" not in on_disk
    assert document.content_type == "application/pdf" and document.size == len(secret)
    assert case.events.filter(kind=CaseEvent.Kind.DOCUMENT_ADDED, detail__document=document.pk).exists()


def test_the_download_goes_through_the_gate_and_is_audited(
    open_case: Any, worker: Any, login_client: Any
) -> None:
    case = open_case()
    client = login_client(worker)
    post_file(client, case, "scan.png", PNG_BYTES, kind="identity")
    document = Document.objects.get()
    response = client.get(reverse("records:download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG_BYTES
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "scan" not in response["Content-Disposition"]  # a neutral name, not the original one
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        "default-src 'none'" in response["Content-Security-Policy"]
        and "sandbox" in response["Content-Security-Policy"]
    )
    audit = AuditRecord.objects.get(action="export", object_type="records.document")
    assert audit.object_id == str(document.pk) and audit.actor == worker
    assert audit.detail == {"case": case.pk, "document": document.pk}


def test_another_organisations_document_is_404_and_the_attempt_audited(
    open_case: Any, worker: Any, login_client: Any, personas: Any
) -> None:
    case = open_case()
    post_file(login_client(worker), case, "report.pdf", PDF_BYTES)
    document = Document.objects.get()
    outsider = personas.other[Role.CASE_WORKER]
    response = login_client(outsider).get(reverse("records:download", args=[document.pk]))
    assert response.status_code == 404 and PDF_BYTES not in response.content
    assert AuditRecord.objects.filter(
        action="denied", actor=outsider, object_type="records.document", object_id=str(document.pk)
    ).exists()
    assert login_client(outsider).get(reverse("records:documents", args=[case.pk])).status_code == 404


def test_a_lawyer_granted_the_legal_track_only_does_not_see_the_documents(
    open_case: Any, worker: Any, login_client: Any, personas: Any
) -> None:
    case = open_case()
    post_file(login_client(worker), case, "report.pdf", PDF_BYTES)
    lawyer = personas.other[Role.LAWYER]
    CaseAccess.objects.create(case=case, user=lawyer, field_groups=["legal"], granted_by=worker)
    document = Document.objects.get()
    assert login_client(lawyer).get(reverse("records:download", args=[document.pk])).status_code == 404
    CaseAccess.objects.create(case=case, user=lawyer, field_groups=["documents"], granted_by=worker)
    assert login_client(lawyer).get(reverse("records:download", args=[document.pk])).status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("statement.pdf", HTML_BYTES, "ends in “.pdf” but the file is a web page (HTML)"),
        ("statement.pdf", ZIP_BYTES, "ends in “.pdf” but the file is a ZIP archive"),
        ("statement.pdf", EXE_BYTES, "ends in “.pdf” but the file is a program"),
        ("statement.txt", PDF_BYTES, "ends in “.txt” but the file is a PDF"),
        ("statement.docx", ZIP_BYTES, "cannot be uploaded"),
        ("statement.html", HTML_BYTES, "cannot be uploaded"),
        ("empty.pdf", b"", "The file is empty"),
    ],
)
def test_a_disguised_or_wrong_file_is_refused_and_nothing_is_kept(
    open_case: Any,
    worker: Any,
    login_client: Any,
    var_dir: Path,
    name: str,
    content: bytes,
    message: str,
) -> None:
    case = open_case()
    response = post_file(login_client(worker), case, name, content)
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert 'id="id_file-error"' in body and message in body
    assert not Document.objects.exists() and stored_files(var_dir) == []
    assert not case.events.filter(kind=CaseEvent.Kind.DOCUMENT_ADDED).exists()


def test_an_oversized_file_is_refused_with_the_limit_and_nothing_is_kept(
    open_case: Any, worker: Any, login_client: Any, var_dir: Path, settings: Any
) -> None:
    settings.LANTERN_MAX_UPLOAD_MB = 1
    big = PDF_BYTES + b"0" * (1024 * 1024)
    response = post_file(login_client(worker), open_case(), "big.pdf", big)
    body = response.content.decode()
    assert response.status_code == 200 and "files can be at most 1 MB" in body
    assert not Document.objects.exists() and stored_files(var_dir) == []


def test_a_plain_text_file_is_accepted_and_read_back(open_case: Any, worker: Any, login_client: Any) -> None:
    client = login_client(worker)
    text = "Notes — Ольга, أمينة\n".encode()
    assert post_file(client, open_case(), "notes.txt", text, kind="other").status_code == 302
    document = Document.objects.get()
    response = client.get(reverse("records:download", args=[document.pk]))
    assert b"".join(response.streaming_content) == text and response["Content-Type"] == "text/plain"


def test_the_list_shows_the_names_and_its_read_is_audited(
    open_case: Any, worker: Any, login_client: Any
) -> None:
    case = open_case()
    client = login_client(worker)
    post_file(client, case, "clinic.pdf", PDF_BYTES)
    body = client.get(reverse("records:documents", args=[case.pk])).content.decode()
    assert "clinic.pdf" in body and "Report from the clinic" in body
    assert AuditRecord.objects.filter(
        action="view", object_type="cases.case", object_id=str(case.pk), actor=worker
    ).exists()


def test_a_decision_maker_sees_the_documents_but_cannot_upload(
    open_case: Any, refer: Any, decider: Any, worker: Any, login_client: Any
) -> None:
    case = refer(open_case())
    post_file(login_client(worker), case, "report.pdf", PDF_BYTES)
    client = login_client(decider)
    page = client.get(reverse("records:documents", args=[case.pk])).content.decode()
    assert "report.pdf" in page and "Add a document" not in page
    response = post_file(client, case, "mine.pdf", PDF_BYTES)
    assert response.status_code == 403 and Document.objects.count() == 1


def test_a_tampered_file_is_not_served(open_case: Any, worker: Any, login_client: Any, var_dir: Path) -> None:
    client = login_client(worker)
    post_file(client, open_case(), "report.pdf", PDF_BYTES)
    [path] = stored_files(var_dir)
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(DecryptionError):
        client.get(reverse("records:download", args=[Document.objects.get().pk]))
