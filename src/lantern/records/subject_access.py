"""The person's right of access (GDPR art. 15): everything held about them, as JSON or PDF.

Sections: the case, its timeline, consents, decisions, access grants, the legal track, referrals and
support (when those apps are installed), other attached records, the documents list (not the files), and
the audit records about the case and everything attached to it. Every export is audited.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.authz import gate
from lantern.cases.models import Case
from lantern.crypto.fields import BlindIndexField

from .holdings import holdings
from .pdf import render_pdf

FORMAT_VERSION = 1
# Internal machinery, not information about the person.
HIDDEN_FIELDS = {"records.document": {"storage_name", "file_key"}}
SECTIONS = {
    "cases.caseevent": "timeline",
    "cases.consent": "consents",
    "cases.decision": "decisions",
    "cases.caseaccess": "access_grants",
    "records.document": "documents",
}
SECTION_ORDER = (
    "case",
    "timeline",
    "consents",
    "decisions",
    "access_grants",
    "legal",
    "referrals",
    "documents",
    "other",
    "audit",
)

SECTION_TITLES = {
    "case": _("The case record"),
    "timeline": _("Timeline"),
    "consents": _("Consents"),
    "decisions": _("Decisions"),
    "access_grants": _("Access given to others"),
    "legal": _("Legal track"),
    "referrals": _("Referrals and support"),
    "documents": _("Documents (list)"),
    "other": _("Other records"),
    "audit": _("Who did what with the record (audit trail)"),
}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if hasattr(value, "code") and hasattr(value, "name"):  # a django-countries Country
        return value.code
    if isinstance(value, list | tuple) or type(value).__name__ == "MultipleCountriesDescriptor":
        return [_plain(v) for v in value]
    return value


def row_data(obj: models.Model) -> dict[str, Any]:
    """A row's fields (foreign keys as ids; encrypted fields decrypted; machinery left out)."""
    hidden = HIDDEN_FIELDS.get(obj._meta.label_lower, set())
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if isinstance(field, BlindIndexField) or field.name in hidden:
            continue
        value = getattr(obj, field.attname if field.is_relation else field.name)
        data[field.name] = _plain(value)
    return data


def _section_of(label: str) -> tuple[str, str | None]:
    if label in SECTIONS:
        return SECTIONS[label], None
    app_label, model_name = label.split(".", 1)
    if app_label == "legal":
        return "legal", model_name
    if app_label in ("referrals", "support"):
        return "referrals", label
    return "other", label


def _audit_rows(case: Case, attached: dict[str, list[Any]]) -> list[dict[str, Any]]:
    about = Q(object_type="cases.case", object_id=str(case.pk)) | Q(detail__case=case.pk)
    for label, ids in attached.items():
        if ids:
            about |= Q(object_type=label, object_id__in=[str(i) for i in ids])
    return [
        {
            "seq": entry.seq,
            "at": entry.at.isoformat(),
            "action": entry.action,
            "actor": entry.actor_label,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "fields": entry.fields,
            "detail": entry.detail,
        }
        for entry in AuditRecord.objects.filter(about).order_by("seq")
    ]


def subject_access_data(case: Case) -> dict[str, Any]:
    """Everything held about the person of `case`, by section (see the module docstring)."""
    data: dict[str, Any] = {name: [] for name in SECTION_ORDER}
    data["legal"], data["referrals"], data["other"] = {}, {}, {}
    data["case"] = row_data(case)
    attached: dict[str, list[Any]] = {}
    for holding in holdings():
        rows = list(holding.rows_of(case))
        attached[holding.label] = [row.pk for row in rows]
        section, key = _section_of(holding.label)
        serialised = [row_data(row) for row in rows]
        if key is None:
            data[section] = serialised
        else:
            data[section][key] = serialised
    data["audit"] = _audit_rows(case, attached)
    return {
        "format": "lantern-subject-access",
        "version": FORMAT_VERSION,
        "generated_at": timezone.now().isoformat(),
        "case_reference": case.reference,
        **{name: data[name] for name in SECTION_ORDER},
    }


def _entries(rows: list[dict[str, Any]]) -> list[list[tuple[str, str]]]:
    return [[(key, "" if value is None else str(value)) for key, value in row.items()] for row in rows]


def pdf_sections(data: dict[str, Any]) -> list[tuple[str, list[tuple[str, list[list[tuple[str, str]]]]]]]:
    """The export as (section, [(sub-section, [rows of (field, value)])]) for the PDF template."""
    sections = []
    for name in SECTION_ORDER:
        value = data[name]
        if name == "case":
            parts = [("", _entries([value]))]
        elif isinstance(value, dict):
            parts = [(key, _entries(rows)) for key, rows in value.items()]
        else:
            parts = [("", _entries(value))]
        sections.append((str(SECTION_TITLES[name]), parts))
    return sections


def _audit_export(case: Case, fmt: str, actor: Any) -> None:
    record(
        AuditRecord.Action.EXPORT,
        case,
        actor=actor,
        actor_label="" if actor else "command line",
        fields=["subject_access"],
        detail={"export": "subject_access", "format": fmt},
    )


def export_subject_access(*, case: Case, fmt: str, actor: Any = None) -> bytes:
    """The export as bytes (``fmt``: "json" or "pdf"), audited. With an actor, the gate is checked; without
    one (the shell command, for administrators), the caller is trusted."""
    if fmt not in ("json", "pdf"):
        raise ValueError("format must be json or pdf")
    if actor is not None:
        gate.require(actor, "export.subject_access", case)
    data = subject_access_data(case)
    if fmt == "json":
        output = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")
    else:
        output = render_pdf(
            "records/pdf/subject_access.html",
            {
                "data": data,
                "sections": pdf_sections(data),
                "case": case,
                "title": case.reference,
                "generated_at": timezone.now(),
            },
        )
    _audit_export(case, fmt, actor)
    return output
