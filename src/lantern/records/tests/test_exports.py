"""PDF exports and the subject-access export: generated, limited to what the actor may see, and audited.

pypdf is not a dependency: a PDF is checked by its header and its (decompressed) document title, which
carries the case reference.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord
from lantern.cases import services as case_services
from lantern.cases.models import CaseAccess
from lantern.legal import services as legal_services
from lantern.legal.models import CriminalProceeding
from lantern.records.subject_access import SECTION_ORDER, export_subject_access

from .conftest import PDF_BYTES, upload
from .pdf_streams import decompressed_streams

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> bytes:
    """The PDF's decompressed streams (its metadata, such as the title, is readable there)."""
    return b"".join(decompressed_streams(pdf))


@pytest.fixture
def full_case(open_case: Any, worker: Any, login_client: Any) -> Any:
    """A case with an Arabic name, a Cyrillic alias, a consent, a proceeding and a document."""
    case = open_case(given_names="أمينة", family_name="Okafor", aliases="Ольга Петрова")
    case_services.record_consent(
        actor=worker, case=case, purpose="statistics", basis="person", language="ar", notes="Explained"
    )
    legal_services.save_legal_record(
        actor=worker, case=case, record=CriminalProceeding(role="witness", court="Athens Court")
    )
    login_client(worker).post(
        reverse("records:documents", args=[case.pk]),
        {"file": upload("report.pdf", PDF_BYTES), "kind": "medical"},
    )
    return case


def test_the_case_summary_pdf_is_generated_and_audited(
    full_case: Any, worker: Any, login_client: Any
) -> None:
    response = login_client(worker).get(reverse("records:case_summary_pdf", args=[full_case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and len(response.content) > 5000
    assert full_case.reference.encode() in pdf_text(response.content)
    assert response["Content-Disposition"] == f'attachment; filename="{full_case.reference}-summary.pdf"'
    audit = AuditRecord.objects.get(action="export", object_id=str(full_case.pk))
    assert audit.detail == {"export": "case_summary", "format": "pdf"}
    assert {"family_name", "legal_track", "attachments"} <= set(audit.fields)


def test_a_grantees_summary_holds_only_their_field_groups(
    full_case: Any, worker: Any, personas: Any, login_client: Any
) -> None:
    provider = personas.other[Role.SERVICE_PROVIDER]
    CaseAccess.objects.create(case=full_case, user=provider, field_groups=["background"], granted_by=worker)
    response = login_client(provider).get(reverse("records:case_summary_pdf", args=[full_case.pk]))
    assert response.content.startswith(b"%PDF-")
    audit = AuditRecord.objects.get(action="export", actor=provider)
    assert "languages" in audit.fields
    assert not {"family_name", "given_names", "legal_track", "attachments", "timeline"} & set(audit.fields)


def test_the_referral_pdf_uses_the_cases_nrm_referral_without_the_referrals_app(
    open_case: Any, refer: Any, worker: Any, login_client: Any
) -> None:
    case = refer(open_case(given_names="Ольга"))
    response = login_client(worker).get(reverse("records:referral_pdf", args=[case.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert case.reference.encode() in pdf_text(response.content)
    audit = AuditRecord.objects.get(action="export", object_id=str(case.pk))
    assert audit.detail["export"] == "referral" and "referred_to" in audit.fields


@pytest.mark.skipif(not apps.is_installed("lantern.referrals"), reason="the referrals app is not installed")
def test_the_referral_pdf_takes_a_referral_of_the_referrals_app(
    personas: Any, worker: Any, login_client: Any, open_case: Any
) -> None:
    from lantern.referrals.tests.factories import referral_related_to

    referral = referral_related_to(personas.own_org, worker)
    client = login_client(worker)
    url = reverse("records:referral_pdf", args=[referral.case_id])
    response = client.get(url, {"referral": referral.pk})
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    audit = AuditRecord.objects.get(action="export", object_id=str(referral.case_id))
    assert audit.detail["referral"] == referral.pk and "referral" in audit.fields
    another_case = open_case()
    other_url = reverse("records:referral_pdf", args=[another_case.pk])
    assert client.get(other_url, {"referral": referral.pk}).status_code == 404


def test_another_organisation_cannot_export_the_case(
    full_case: Any, personas: Any, login_client: Any
) -> None:
    client = login_client(personas.other[Role.CASE_WORKER])
    assert client.get(reverse("records:case_summary_pdf", args=[full_case.pk])).status_code == 404
    assert not AuditRecord.objects.filter(action="export").exists()


def test_the_subject_access_json_holds_every_section(full_case: Any, worker: Any, login_client: Any) -> None:
    response = login_client(worker).get(
        reverse("records:subject_access_download", args=[full_case.pk, "json"])
    )
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert set(SECTION_ORDER) <= set(data)
    assert data["case"]["given_names"] == "أمينة" and data["case"]["aliases"] == "Ольга Петрова"
    assert "family_name_index" not in data["case"]
    assert data["timeline"] and data["consents"][0]["notes"] == "Explained"
    assert data["legal"]["criminalproceeding"][0]["court"] == "Athens Court"
    assert data["documents"][0]["original_name"] == "report.pdf"
    assert "storage_name" not in data["documents"][0] and "file_key" not in data["documents"][0]
    assert any(row["object_type"] == "records.document" for row in data["audit"])
    assert any(row["object_type"] == "cases.case" for row in data["audit"])
    exported = AuditRecord.objects.get(action="export", detail__export="subject_access")
    assert exported.actor == worker and exported.detail["format"] == "json"


def test_the_subject_access_pdf_is_generated(full_case: Any) -> None:
    pdf = export_subject_access(case=full_case, fmt="pdf")
    assert pdf.startswith(b"%PDF-") and full_case.reference.encode() in pdf_text(pdf)
    assert AuditRecord.objects.get(action="export", detail__format="pdf").actor_label == "command line"


@pytest.mark.parametrize("role", [Role.SCREENER, Role.NRM_DECISION_MAKER])
def test_only_the_organisations_case_workers_get_the_subject_access_export(
    full_case: Any, personas: Any, login_client: Any, role: str
) -> None:
    response = login_client(personas.own[role]).get(
        reverse("records:subject_access_download", args=[full_case.pk, "json"])
    )
    # Both may see the case (so a 404 would hide nothing): the export itself is refused.
    assert response.status_code == 403
    outsider = login_client(personas.other[Role.CASE_WORKER])
    assert outsider.get(reverse("records:subject_access", args=[full_case.pk])).status_code == 404


def test_the_subject_access_command_writes_a_private_file(full_case: Any, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    call_command("subject_access", str(full_case.pk), "--format", "json", "--out", str(out))
    assert json.loads(out.read_text())["case_reference"] == full_case.reference
    assert out.stat().st_mode & 0o077 == 0
