"""PDF exports of a case: the case summary and the referral form. Each holds only what the actor may see
(the case's field groups for them; the legal track and documents list only if they may see those) and each
export is audited ("export", naming the fields exported).

The referral form uses a referral of the referrals app when it is installed and one is named; otherwise the
case's referral to the NRM competent authority.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.authz import gate
from lantern.cases import selectors as case_selectors
from lantern.cases.models import FIELD_GROUPS, Case, Purpose
from lantern.cases.policies import visible_field_groups
from lantern.cases.presenters import stage_label, summary, timeline_rows
from lantern.crypto.fields import BlindIndexField

from .pdf import render_pdf


def _exported_fields(groups: frozenset[str], extra: list[str]) -> list[str]:
    fields = [name for group in sorted(groups) for name in FIELD_GROUPS.get(group, ())]
    return fields + [group for group in ("consents", "timeline") if group in groups] + extra


def _legal_overview(actor: Any, case: Case) -> Any:
    if not apps.is_installed("lantern.legal") or not gate.can(actor, "legal.view", case):
        return None
    from lantern.legal.selectors import overview

    return overview(case)


def _documents(actor: Any, case: Case) -> list[Any]:
    if not gate.can(actor, "document.view", case):
        return []
    return list(case.attachments.select_related("uploaded_by"))


def case_summary_context(actor: Any, case: Case) -> tuple[dict[str, Any], list[str]]:
    groups = visible_field_groups(actor, case)
    profile = case.nrm_profile
    show_timeline = "timeline" in groups
    legal = _legal_overview(actor, case)
    documents = _documents(actor, case)
    context = {
        "case": case,
        "title": _("Case summary %(ref)s") % {"ref": case.reference},
        "generated_at": timezone.now(),
        "summary": summary(case, groups),
        "timeline": timeline_rows(case, list(case_selectors.timeline(case)), with_notes=True)
        if show_timeline
        else [],
        "decisions": [(d, stage_label(profile, d.stage)) for d in case_selectors.decisions_of(case)]
        if show_timeline
        else [],
        "consents": list(case_selectors.consents_of(case)) if "consents" in groups else [],
        "legal": legal,
        "documents": documents,
    }
    extra = (["legal_track"] if legal else []) + (["attachments"] if documents else [])
    return context, _exported_fields(groups, extra)


def export_case_summary(*, actor: Any, case: Case) -> bytes:
    """The case summary as PDF (what the actor may see), audited."""
    gate.require(actor, "export.case", case)
    context, fields = case_summary_context(actor, case)
    pdf = render_pdf("records/pdf/case_summary.html", context)
    record(
        AuditRecord.Action.EXPORT,
        case,
        actor=actor,
        fields=fields,
        detail={"export": "case_summary", "format": "pdf"},
    )
    return pdf


# The referral form --------------------------------------------------------------------------------------


def referral_model() -> type[models.Model] | None:
    """The referrals app's Referral model, or None while that app is not installed."""
    if not apps.is_installed("lantern.referrals"):
        return None
    try:
        return apps.get_model("referrals", "Referral")
    except LookupError:
        return None


def access_referral(actor: Any, case: Case, referral_id: Any) -> Any:
    """A referral of the case the actor may see (the referrals app's own gate action), or NotVisible."""
    model = referral_model()
    if model is None or "referral.view" not in gate.registered_actions():
        raise gate.NotVisible
    referral = gate.access(actor, "referral.view", model, referral_id)
    if getattr(referral, "case_id", None) != case.pk:
        raise gate.NotVisible
    return referral


def _display(obj: models.Model, field: models.Field) -> str:
    display = getattr(obj, f"get_{field.name}_display", None)
    if display is not None:
        return str(display())
    value = getattr(obj, field.name)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def referral_rows(referral: models.Model) -> list[tuple[str, str]]:
    """A referral's own fields as (label, value) rows (the case is shown separately)."""
    rows = []
    for field in referral._meta.concrete_fields:
        if field.primary_key or isinstance(field, BlindIndexField) or field.name == "case":
            continue
        rows.append((str(field.verbose_name).capitalize(), _display(referral, field)))
    return rows


def referral_context(actor: Any, case: Case, referral: Any = None) -> tuple[dict[str, Any], list[str]]:
    groups = visible_field_groups(actor, case)
    # The person's details a referral carries: not the contact details unless the actor may see them.
    shown = groups & {"identity", "background", "exploitation", "safety", "contact", "documents"}
    consents = []
    if "consents" in groups:
        purposes = (Purpose.COMPETENT_AUTHORITY, Purpose.REFERRAL)
        consents = [c for c in case_selectors.consents_of(case) if c.purpose in purposes and c.active]
    context = {
        "case": case,
        "title": _("Referral form %(ref)s") % {"ref": case.reference},
        "generated_at": timezone.now(),
        "referral": referral,
        "referral_rows": referral_rows(referral) if referral is not None else [],
        "summary": summary(case, frozenset(shown)),
        "consents": consents,
    }
    extra = ["referral"] if referral is not None else ["referred_to", "referred_on"]
    return context, _exported_fields(frozenset(shown | ({"consents"} & groups)), extra)


def export_referral(*, actor: Any, case: Case, referral_id: Any = None) -> bytes:
    """The referral form as PDF, audited."""
    gate.require(actor, "export.case", case)
    referral = access_referral(actor, case, referral_id) if referral_id else None
    context, fields = referral_context(actor, case, referral)
    pdf = render_pdf("records/pdf/referral.html", context)
    detail: dict[str, Any] = {"export": "referral", "format": "pdf"}
    if referral is not None:
        detail["referral"] = referral.pk
    record(AuditRecord.Action.EXPORT, case, actor=actor, fields=fields, detail=detail)
    return pdf
