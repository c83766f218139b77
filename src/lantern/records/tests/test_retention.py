"""Retention: closing a case schedules the erasure of its personal data; `lantern retention run` erases what
is due — identifying fields emptied everywhere, statistics kept at month precision, documents deleted,
audited, and the case added to the erasure ledger."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from lantern.audit.models import AuditRecord
from lantern.cases import reactions
from lantern.cases import services as case_services
from lantern.cases.models import Case, CaseEvent, Consent, Decision
from lantern.cases.tests.factories import CaseFactory
from lantern.legal import services as legal_services
from lantern.legal.models import CriminalProceeding
from lantern.records.models import ErasureLedger, RetentionSchedule
from lantern.records.retention import retention_days

from .conftest import PDF_BYTES, stored_files, upload

pytestmark = pytest.mark.django_db

LONG_AGO = dt.date(2018, 3, 17)


def run(*args: str) -> str:
    out = StringIO()
    call_command("retention", "run", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def closed_case(personas: Any, worker: Any, login_client: Any) -> Any:
    """``closed_case(closed_on)``: a case with identifying data everywhere, closed on that day."""

    def make(closed_on: dt.date) -> Case:
        case = CaseFactory(
            organisation=personas.own_org,
            created_by=worker,
            identified_on=closed_on - dt.timedelta(days=40),
            given_names="Amina",
            family_name="Okafor",
            date_of_birth="1990-05-04",
            sex="female",
            citizenships=["NG"],
            languages=["en", "yo"],
            exploitation_forms=["labour"],
            contact="+30 690 000 0000",
        )
        Consent.objects.create(
            case=case,
            purpose="statistics",
            basis="person",
            language="yo",
            notes="Agreed after a long talk",
            given_on=case.identified_on,
            recorded_by=worker,
        )
        Decision.objects.create(
            case=case,
            stage="rg_decision",
            outcome="positive",
            decided_on=case.identified_on + dt.timedelta(days=5),
            reasons="Credible account of forced labour",
            decided_by=worker,
        )
        legal_services.save_legal_record(
            actor=worker,
            case=case,
            record=CriminalProceeding(role="witness", court="Athens Court", case_number="A-1"),
        )
        login_client(worker).post(
            reverse("records:documents", args=[case.pk]),
            {"file": upload("passport.pdf", PDF_BYTES), "kind": "identity"},
        )
        case.stage, case.closed_on = "closed", closed_on
        case.save()
        reactions.case_closed(case)  # closed directly: what `cases.services` does when it closes a case
        return case

    return make


def test_closing_a_case_schedules_its_erasure(closed_case: Any) -> None:
    case = closed_case(LONG_AGO)
    schedule = RetentionSchedule.objects.get(case=case)
    assert schedule.anonymise_after == LONG_AGO + dt.timedelta(days=retention_days())
    assert retention_days() == 1826


def test_a_case_closed_long_ago_is_erased_and_statistics_are_kept(
    closed_case: Any, var_dir: Path, django_capture_on_commit_callbacks: Any
) -> None:
    case = closed_case(LONG_AGO)
    assert len(stored_files(var_dir)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        output = run("--today", "2024-01-01")
    assert f"erased 1 case(s): {case.pk}" in output

    case = Case.objects.get(pk=case.pk)
    assert (case.given_names, case.family_name, case.date_of_birth, case.contact) == ("", "", "", "")
    assert case.family_name_index == "" and case.languages == []
    assert case.sex == "female" and [c.code for c in case.citizenships] == ["NG"]
    assert case.exploitation_forms == ["labour"] and case.stage == "closed"
    assert case.closed_on == LONG_AGO.replace(day=1) and case.identified_on.day == 1
    consent = case.consents.get()
    assert consent.notes == "" and consent.language == "" and consent.given_on.day == 1
    decision = case.decisions.get()
    assert decision.reasons == "" and decision.outcome == "positive" and decision.decided_on.day == 1
    proceeding = CriminalProceeding.objects.get(case=case)
    assert proceeding.court == "" and proceeding.case_number == "" and proceeding.role == "witness"
    assert not case.attachments.exists() and stored_files(var_dir) == []
    assert RetentionSchedule.objects.get(case=case).age_group == "adult"

    assert ErasureLedger.objects.filter(case_id=case.pk, reason="retention").count() == 1
    audit = AuditRecord.objects.get(action="system", object_id=str(case.pk))
    assert audit.detail["operation"] == "anonymise" and audit.actor_label == "retention"
    assert "given_names" in audit.fields and audit.detail["documents"] == 1
    assert case.events.filter(kind=CaseEvent.Kind.ANONYMISED).exists()
    assert not case.accesses.filter(revoked_at__isnull=True).exists()


def test_a_recently_closed_case_is_kept(closed_case: Any) -> None:
    case = closed_case(dt.date(2023, 6, 1))
    assert "erased 0 case(s)" in run("--today", "2024-01-01")
    case.refresh_from_db()
    assert case.family_name == "Okafor" and not ErasureLedger.objects.exists()


def test_a_dry_run_changes_nothing(closed_case: Any, var_dir: Path) -> None:
    case = closed_case(LONG_AGO)
    records_before = AuditRecord.objects.count()
    output = run("--dry-run", "--today", "2024-01-01")
    assert "1 case(s) due" in output and str(case.pk) in output
    case.refresh_from_db()
    assert case.family_name == "Okafor" and case.closed_on == LONG_AGO
    assert len(stored_files(var_dir)) == 1 and not ErasureLedger.objects.exists()
    assert AuditRecord.objects.count() == records_before


def test_a_closed_case_without_a_schedule_is_found_by_its_closing_date(personas: Any, worker: Any) -> None:
    case = CaseFactory(organisation=personas.own_org, created_by=worker, family_name="Okafor")
    Case.objects.filter(pk=case.pk).update(stage="closed", closed_on=LONG_AGO)  # as a bulk load would
    run("--today", "2024-01-01")
    case.refresh_from_db()
    assert case.family_name == "" and ErasureLedger.objects.filter(case_id=case.pk).exists()


def test_an_erased_case_is_not_erased_twice(closed_case: Any) -> None:
    closed_case(LONG_AGO)
    run("--today", "2024-01-01")
    assert "erased 0 case(s)" in run("--today", "2024-06-01")
    assert ErasureLedger.objects.count() == 1


def test_a_reopened_case_is_not_erased(closed_case: Any, worker: Any) -> None:
    case = closed_case(LONG_AGO)
    case.stage, case.closed_on = "identified", None
    case.save()
    assert "erased 0 case(s)" in run("--today", "2024-01-01")


def test_the_person_can_ask_for_erasure_at_once(open_case: Any) -> None:
    case = open_case()
    call_command("retention", "erase", str(case.pk), stdout=StringIO())
    case.refresh_from_db()
    assert case.family_name == ""
    assert ErasureLedger.objects.get(case_id=case.pk).reason == "request"


def test_the_ledger_is_append_only(open_case: Any) -> None:
    call_command("retention", "erase", str(open_case().pk), stdout=StringIO())
    with pytest.raises(PermissionError):
        ErasureLedger.objects.all().delete()
    with pytest.raises(PermissionError):
        ErasureLedger.objects.update(reason="request")


def test_closing_through_the_workflow_schedules_erasure(open_case: Any, worker: Any) -> None:
    case = open_case()
    choices = case_services.stage_choices(worker, case)
    if "closed" not in choices:
        pytest.skip("this profile does not close from its first stage")
    case_services.advance_stage(actor=worker, case=case, to_stage="closed")
    assert RetentionSchedule.objects.filter(case=case, closed_on=case.closed_on).exists()
