"""Adding and reading documents. Writes take `actor=`, check the gate and write the case's timeline; every
download is audited ("export", with the document's id).

An upload is checked before anything is kept: size (setting ``LANTERN_MAX_UPLOAD_MB``, default 10), and
type from the content (`filetypes`). A refused file leaves nothing behind — no file, no row.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.authz import gate
from lantern.cases.models import Case, CaseEvent
from lantern.cases.services import log_event

from . import filecrypt, filetypes, storage
from .models import Document, DocumentKind

DEFAULT_MAX_UPLOAD_MB = 10


def max_upload_bytes() -> int:
    return int(getattr(settings, "LANTERN_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB) * 1024 * 1024)


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


FOUND_WORDS = {
    "html": gettext_lazy("a web page (HTML)"),
    "zip": gettext_lazy("a ZIP archive or an Office document"),
    "office": gettext_lazy("an Office document"),
    "program": gettext_lazy("a program or script"),
    "archive": gettext_lazy("a compressed archive"),
    "image": gettext_lazy("an image of a type not accepted"),
    "media": gettext_lazy("a sound or video file"),
    "pdf": gettext_lazy("a PDF"),
    "jpeg": gettext_lazy("a JPEG image"),
    "png": gettext_lazy("a PNG image"),
    "text": gettext_lazy("a plain text file"),
}
ACCEPTED_WORDS = gettext_lazy("Upload a PDF, a JPEG or PNG image, or a plain text (.txt) file.")


def too_big_problem(size: int) -> str:
    limit = max_upload_bytes() // (1024 * 1024)
    return _(
        "The file is %(size)s MB: files can be at most %(limit)s MB. Scan it at a lower resolution, or "
        "split it into several files."
    ) % {"size": _size_text(size), "limit": limit}


def upload_problem(name: str, content: bytes) -> str | None:
    """Why the file cannot be accepted, in words for the person uploading it; None when it can."""
    verdict = filetypes.check(name, content, max_bytes=max_upload_bytes())
    if verdict.kind is not None:
        return None
    if verdict.problem == "empty":
        return _("The file is empty. Choose the file again.")
    if verdict.problem == "too_big":
        return too_big_problem(len(content))
    found = FOUND_WORDS.get(verdict.found)
    if verdict.problem == "mismatch":
        what = found or _("a kind of file that is not accepted")
        return _(
            "The file's name ends in “%(ext)s” but the file is %(what)s, so it was refused. %(accepted)s"
        ) % {"ext": filetypes.extension_of(name), "what": what, "accepted": ACCEPTED_WORDS}
    if found:
        return _("This file is %(what)s, which cannot be uploaded. %(accepted)s") % {
            "what": found,
            "accepted": ACCEPTED_WORDS,
        }
    return _("This kind of file cannot be uploaded. %(accepted)s") % {"accepted": ACCEPTED_WORDS}


def _checked_content(name: str, upload: Any) -> tuple[bytes, str | None]:
    """The upload's bytes and what is wrong with them. A file over the limit is refused unread."""
    if upload is None:
        return b"", _("Choose a file to upload.")
    size = getattr(upload, "size", None)
    if size is not None and size > max_upload_bytes():
        return b"", too_big_problem(size)
    upload.seek(0)
    content = upload.read(max_upload_bytes() + 1)
    return content, upload_problem(name, content)


def add_document(*, actor: Any, case: Case, upload: Any, kind: str, description: str = "") -> Document:
    """Check, encrypt and keep an uploaded file for the case. Raises ValidationError (on "file") and keeps
    nothing when the file is refused."""
    gate.require(actor, "document.upload", case)
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    errors: dict[str, list[str]] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = [_("Choose what kind of document this is.")]
    content, problem = _checked_content(name, upload)
    if problem:
        errors["file"] = [problem]
    if errors:
        raise ValidationError(errors)
    detected = filetypes.check(name, content, max_bytes=max_upload_bytes()).kind
    assert detected is not None
    document = Document(
        case=case,
        kind=kind,
        original_name=name,
        description=description.strip(),
        content_type=detected.media_type,
        size=len(content),
        storage_name=storage.new_storage_name(),
        uploaded_by=actor,
    )
    key = filecrypt.new_file_key()
    document.file_key = filecrypt.key_to_text(key)
    storage.store_encrypted(io.BytesIO(content), document.storage_name, key, document.file_context)
    try:
        with transaction.atomic():
            document.save()
            log_event(
                case,
                CaseEvent.Kind.DOCUMENT_ADDED,
                actor=actor,
                detail={"document": document.pk, "kind": kind, "type": detected.id},
            )
    except BaseException:
        storage.remove(document.storage_name)
        raise
    return document


def open_document(*, actor: Any, document: Document) -> Iterator[bytes]:
    """The decrypted file, streamed; the download is audited. The caller got `document` from the gate."""
    gate.require(actor, "document.view", document)
    chunks = storage.read_decrypted(
        document.storage_name, filecrypt.key_from_text(document.file_key), document.file_context
    )
    record(
        AuditRecord.Action.EXPORT,
        document,
        actor=actor,
        fields=["file"],
        organisation_id=document.case.organisation_id,
        detail={"case": document.case_id, "document": document.pk},
    )
    return chunks
