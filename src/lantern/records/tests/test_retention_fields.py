"""Retention erases all free text about the person, wherever it is attached to the case — and every new field
of a model attached to a case needs a rule: erased (encrypted, or listed in `CASE_CLEARED` /
`ATTACHED_CLEARED`), cut to the month (dates), or explicitly kept below with the reason. Also: the daily run
forgets old form keys.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from lantern.cases.models import Case, CaseEvent
from lantern.cases.services import log_event
from lantern.cases.tests.factories import CaseFactory
from lantern.crypto.fields import BlindIndexField, EncryptedTextField
from lantern.legal.models import LegalTrack, RightsInformation
from lantern.records.holdings import holdings
from lantern.records.retention import ATTACHED_CLEARED, CASE_CLEARED, anonymise_case
from lantern.referrals.models import Need, NeedKind, Referral, ReferralStatus
from lantern.referrals.tests.factories import ServiceOfferFactory, shelter
from lantern.screening.models import ProcessedSubmission, Screening, Status
from lantern.screening.tests.factories import interviewing

pytestmark = pytest.mark.django_db

# Plain (not encrypted) fields kept after erasure, per model, and why: none of them is free text about the
# person. Categories and statuses feed the statistics; references, ids and machinery identify nothing.
KEPT: dict[str, set[str]] = {
    "cases.case": {
        "reference",  # random, reveals nothing
        "profile",
        "stage",
        "sections_completed",
        "sex",
        "citizenships",
        "exploitation_forms",
        "recruitment_countries",
        "exploitation_countries",
        "identified_by",
        "risk_level",
    },
    "cases.caseevent": {"kind", "from_stage", "to_stage", "detail"},  # detail: ids and codes only
    "cases.consent": {"purpose", "basis", "recipient_country"},
    "cases.decision": {"stage", "outcome"},
    "cases.caseaccess": {"field_groups"},
    "cases.handover": {"status"},  # message and reason are encrypted and erased
    "referrals.referral": {"service", "kind", "field_groups", "status"},
    "referrals.need": {"kind", "priority", "status"},
    "legal.legaltrack": {"non_punishment_categories", "non_punishment_status"},
    "legal.rightsinformation": {"methods"},
    "legal.criminalproceeding": {"role", "status", "measures_requested", "measures_granted"},
    "legal.hearing": set(),
    "legal.residencepermit": {"type", "outcome"},
    "legal.compensationclaim": {"against", "status", "currency"},
    "records.document": {"kind", "content_type", "storage_name"},  # the rows and files are deleted
    "screening.screening": {
        "status",
        "screener_language",  # the screener's, not the person's
        "interpreter_gender",
        "interviewer_gender",
        "gender_preference",
        "consent",
        "age_group",
        "outcome",
    },
}
# Fields that need no rule: what they hold is never text.
NOT_TEXT = (
    models.BooleanField,
    models.IntegerField,
    models.DecimalField,
    models.FloatField,
    models.DateField,  # DateTimeField too: cut to the month
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
)


def _rules_for(model: type[models.Model]) -> tuple[set[str], set[str]]:
    label = model._meta.label_lower
    cleared = set(CASE_CLEARED) if model is Case else set(ATTACHED_CLEARED.get(label, {}))
    needing = {
        f.name
        for f in model._meta.concrete_fields
        if not isinstance(f, NOT_TEXT) and not isinstance(f, EncryptedTextField | BlindIndexField)
    }
    return needing, cleared


def test_every_plain_field_attached_to_a_case_has_a_retention_rule() -> None:
    models_seen = [Case, *(h.model for h in holdings())]
    labels = {m._meta.label_lower for m in models_seen}
    assert {"referrals.need", "referrals.referral", "screening.screening", "legal.hearing"} <= labels
    missing, stale = {}, {}
    for model in models_seen:
        label = model._meta.label_lower
        needing, cleared = _rules_for(model)
        kept = KEPT.get(label)
        assert kept is not None, f"{label} is attached to a case: list its kept fields in KEPT"
        if needing - cleared - kept:
            missing[label] = sorted(needing - cleared - kept)
        if kept - needing:
            stale[label] = sorted(kept - needing)
        assert not (kept & cleared), f"{label}: a field cannot be both kept and cleared"
    assert not missing, f"fields without a retention rule (erase them, or keep them here): {missing}"
    assert not stale, f"KEPT names fields that are gone or need no rule: {stale}"


def test_the_rule_test_notices_a_new_text_field() -> None:
    field = models.TextField(name="life_story", blank=True)
    field.set_attributes_from_name("life_story")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Need._meta, "concrete_fields", (*Need._meta.concrete_fields, field))
        needing, cleared = _rules_for(Need)
    assert "life_story" in needing - cleared - KEPT["referrals.need"]


@pytest.fixture
def full_case(personas: Any, worker: Any) -> Case:
    """A closed case with free text in the support plan, a declined referral, an attached screening, the
    timeline, the legal track and the rights information."""
    case = CaseFactory(
        organisation=personas.own_org,
        created_by=worker,
        identified_on=dt.date(2018, 2, 10),
        given_names="Amina",
        family_name="Okafor",
        languages=["yo"],
    )
    offer = ServiceOfferFactory(organisation=shelter())
    referral = Referral.objects.create(
        case=case,
        from_organisation=case.organisation,
        to_organisation=offer.organisation,
        offer=offer,
        service=offer.service,
        kind="national",
        field_groups=["identity"],
        message="She is afraid of her former employer in Piraeus",
        status=ReferralStatus.DECLINED,
        sent_at=timezone.now(),
        answered_at=timezone.now(),
        decline_reason="No room for her two children",
        created_by=worker,
    )
    Need.objects.create(
        case=case, kind=NeedKind.MEDICAL, description="Untreated injury to the left hand", created_by=worker
    )
    Screening.objects.filter(pk=interviewing(worker).pk).update(
        case_id=case.pk,
        notes="Told us about the flat in Kypseli",
        person_reference="A.O. 1990",
        answers={"ilo.al.dr.01": "yes"},
        first_signs=["fs.minor"],
        result={"outcome": "presumed-victim", "observed": ["ilo.al.dr.01"]},
        outcome="presumed-victim",
        status=Status.COMPLETED,
        completed_at=timezone.now(),
    )
    log_event(case, CaseEvent.Kind.UPDATED, actor=worker, note="Moved to her cousin's in Patras")
    LegalTrack.objects.create(case=case, non_punishment_offences="Use of a false passport")
    RightsInformation.objects.create(
        case=case, given_on=dt.date(2018, 2, 11), language="yo", notes="Explained twice", recorded_by=worker
    )
    case.stage, case.closed_on = "closed", dt.date(2018, 3, 17)
    case.save()
    assert referral.pk
    return case


def _assert_no_free_text_left(case: Case) -> None:
    referral = Referral.objects.get(case=case)
    assert (referral.message, referral.decline_reason) == ("", "")
    assert referral.status == ReferralStatus.DECLINED and referral.service == "shelter"
    need = Need.objects.get(case=case)
    assert need.description == "" and need.kind == NeedKind.MEDICAL
    screening = Screening.objects.get(case_id=case.pk)
    assert (screening.notes, screening.person_reference) == ("", "")
    assert (screening.answers, screening.first_signs, screening.result) == ({}, [], {})
    assert screening.outcome == "presumed-victim" and screening.interview_language == ""
    assert [e.note for e in case.events.all() if e.note] == []
    assert LegalTrack.objects.get(case=case).non_punishment_offences == ""
    rights = RightsInformation.objects.get(case=case)
    assert (rights.notes, rights.language) == ("", "")


def test_retention_erases_needs_referrals_screenings_and_notes(full_case: Case) -> None:
    out = StringIO()
    call_command("retention", "run", "--today", "2024-01-01", stdout=out)
    assert f"erased 1 case(s): {full_case.pk}" in out.getvalue()
    _assert_no_free_text_left(full_case)


def test_erasure_on_request_erases_them_too(full_case: Case) -> None:
    call_command("retention", "erase", str(full_case.pk), stdout=StringIO())
    _assert_no_free_text_left(full_case)


def test_anonymising_reports_the_screening_fields_in_the_audit(full_case: Case) -> None:
    erased = anonymise_case(full_case)
    assert erased.rows["screening.screening"] == 1 and erased.rows["referrals.need"] == 1
    assert "screening.answers" in erased.fields and "referral.decline_reason" in erased.fields


def test_the_subject_access_export_includes_the_attached_screening(full_case: Case) -> None:
    from lantern.records.subject_access import subject_access_data

    data = subject_access_data(full_case)
    screenings = data["other"]["screening.screening"]
    assert [s["notes"] for s in screenings] == ["Told us about the flat in Kypseli"]


def test_the_daily_run_forgets_old_form_submission_keys(worker: Any) -> None:
    old = ProcessedSubmission.objects.create(key="old-key", user=worker, payload_digest="x" * 64)
    ProcessedSubmission.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    ProcessedSubmission.objects.create(key="new-key", user=worker, payload_digest="y" * 64)
    out = StringIO()
    call_command("retention", "run", stdout=out)
    assert "1 old submission key(s) forgotten" in out.getvalue()
    assert list(ProcessedSubmission.objects.values_list("key", flat=True)) == ["new-key"]


def test_a_dry_run_keeps_the_form_submission_keys(worker: Any) -> None:
    old = ProcessedSubmission.objects.create(key="old-key", user=worker, payload_digest="x" * 64)
    ProcessedSubmission.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    call_command("retention", "run", "--dry-run", stdout=StringIO())
    assert ProcessedSubmission.objects.filter(key="old-key").exists()
