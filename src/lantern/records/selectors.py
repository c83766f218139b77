"""Reading documents and cases for exports: always through the gate."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.authz import gate
from lantern.cases.models import Case

from .models import Document


def access_case(actor: Any, pk: Any, action: str) -> Case:
    """A case the actor may `action` (document.view, document.upload, export.case, …), or NotVisible."""
    return gate.access(actor, action, Case, pk)


def access_document(actor: Any, pk: Any) -> Document:
    return gate.access(actor, "document.view", Document, pk)


def documents_of(case: Case) -> QuerySet[Document]:
    return case.attachments.select_related("uploaded_by").order_by("-uploaded_at", "-pk")


def record_documents_read(actor: Any, case: Case) -> None:
    """Audit that the list of the case's documents (names and descriptions) was shown."""
    record(
        AuditRecord.Action.VIEW,
        case,
        actor=actor,
        fields=["attachments.original_name", "attachments.description"],
    )
