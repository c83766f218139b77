"""Pages of the records app: a case's documents (list, upload, download), PDF exports and the subject-access
export. Thin: parse input → call a service → render or send the file. Files and exports are sent only
through here (never from the web root), as attachments that browsers do not sniff or run. An upload is kept
once per idempotency key (`lantern.web.idempotency`): a double click or a resend stores no second file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from lantern.authz.gate import NotVisible, can, require
from lantern.authz.views import allowed
from lantern.web import idempotency

from . import exports, filetypes, selectors, services
from .forms import UploadForm
from .models import Document
from .subject_access import export_subject_access

# A downloaded file is never a page of this site: no scripts, no plugins, no framing, nothing loaded.
FILE_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def attachment(body: bytes | Iterable[bytes], content_type: str, filename: str) -> HttpResponse:
    """A response that makes the browser save the file: attachment, no sniffing, restrictive CSP."""
    if isinstance(body, bytes):
        response: HttpResponse = HttpResponse(body, content_type=content_type)
    else:
        response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "no-store, private"
    return response


def download_name(document: Document) -> str:
    """A neutral name (the reference, not the person's name the original file name may carry)."""
    extension = next(
        (t.extensions[0] for t in filetypes.ACCEPTED if t.media_type == document.content_type), ""
    )
    return f"{document.case.reference}-document-{document.pk}{extension}"


def document_response(actor: Any, document: Document) -> HttpResponse:
    try:
        chunks = services.open_document(actor=actor, document=document)
    except FileNotFoundError:
        raise NotVisible from None
    return attachment(chunks, document.content_type, download_name(document))


@allowed("document.view")
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.access_case(user, pk, "document.view")
    may_upload = can(user, "document.upload", case)
    form = UploadForm() if may_upload else None
    if request.method == "POST":
        require(user, "document.upload", case)

        def act(form: UploadForm) -> str:
            data = form.cleaned_data
            services.add_document(
                actor=user, case=case, upload=data["file"], kind=data["kind"], description=data["description"]
            )
            messages.success(request, _("The document was added to the case."))
            return reverse("records:documents", args=[case.pk])

        # The same key sent again with another file is a new upload, not a repeat: the digest covers files.
        posted, response = idempotency.submit_once(request, lambda data: UploadForm(data, request.FILES), act)
        if response is not None:
            return response
        form = posted
    rows = list(selectors.documents_of(case))
    if rows:
        selectors.record_documents_read(user, case)
    return render(
        request,
        "records/documents.html",
        {
            "case": case,
            "documents": rows,
            "form": form,
            "max_mb": services.max_upload_bytes() // (1024 * 1024),
        },
    )


@allowed("document.view")
def download(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.access_document(request.user, pk)
    return document_response(request.user, document)


@allowed("export.case")
def case_summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.access_case(request.user, pk, "export.case")
    pdf = exports.export_case_summary(actor=request.user, case=case)
    return attachment(pdf, "application/pdf", f"{case.reference}-summary.pdf")


@allowed("export.case")
def referral_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.access_case(request.user, pk, "export.case")
    referral_id = request.GET.get("referral") or None
    pdf = exports.export_referral(actor=request.user, case=case, referral_id=referral_id)
    return attachment(pdf, "application/pdf", f"{case.reference}-referral.pdf")


@allowed("export.subject_access")
def subject_access(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.access_case(request.user, pk, "export.subject_access")
    return render(request, "records/subject_access.html", {"case": case})


@allowed("export.subject_access")
def subject_access_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    case = selectors.access_case(request.user, pk, "export.subject_access")
    if fmt not in ("json", "pdf"):
        raise NotVisible
    output = export_subject_access(case=case, fmt=fmt, actor=request.user)
    content_type = "application/json" if fmt == "json" else "application/pdf"
    return attachment(output, content_type, f"{case.reference}-subject-access.{fmt}")
