"""`lantern seed`: fictional cases with consistent stages, deadlines, consents, encrypted identities,
screenings scored by the real engine, support plans, referrals that respect consent and capacity, decisions
and legal tracks."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from lantern.accounts.roles import Role
from lantern.cases.models import Basis, Case, CaseAccess, CaseEvent, Consent, Decision, Purpose
from lantern.demo.seed import seed_cases
from lantern.legal.models import LegalTrack
from lantern.referrals.models import Need, NeedStatus, Referral, ReferralStatus, ServiceOffer
from lantern.screening.models import Screening
from lantern.screening.services import score_answers

pytestmark = pytest.mark.django_db

# The entries that move a case, as the services write them (`refer_to_nrm` logs "referred").
STAGE_KINDS = (
    CaseEvent.Kind.CREATED,
    CaseEvent.Kind.REFERRED,
    CaseEvent.Kind.STAGE_CHANGED,
    CaseEvent.Kind.DECISION,
)


@pytest.fixture
def seeded() -> Any:
    return seed_cases(200, seed=7)


def test_seed_creates_cases_with_timelines_and_consents() -> None:
    out = StringIO()
    call_command("seed", "--cases", "60", stdout=out)
    assert "seeded 60 cases" in out.getvalue() and "screenings" in out.getvalue()
    assert Case.objects.count() == 60
    for case in Case.objects.all():
        events = list(case.events.order_by("at", "pk"))
        assert events[0].kind == CaseEvent.Kind.CREATED
        assert [e for e in events if e.kind in STAGE_KINDS][-1].to_stage == case.stage
        assert [e.on for e in events] == sorted(e.on for e in events)
        if case.referred_to_id:
            assert case.consents.filter(purpose=Purpose.COMPETENT_AUTHORITY).exists()
    assert Consent.objects.filter(purpose=Purpose.STATISTICS).exists()


def test_seeded_names_are_encrypted_and_in_several_scripts() -> None:
    call_command("seed", "--cases", "80", stdout=StringIO())
    names = [c.family_name for c in Case.objects.all()]
    scripts = {
        "arabic": any("\u0600" <= ch <= "\u06ff" for n in names for ch in n),
        "cyrillic": any("\u0400" <= ch <= "\u04ff" for n in names for ch in n),
        "latin": any("a" <= ch.lower() <= "z" for n in names for ch in n),
    }
    assert all(scripts.values()), scripts
    with connection.cursor() as cursor:
        cursor.execute("SELECT family_name FROM cases_case")
        assert all(row[0].startswith("lc1:") for row in cursor.fetchall())
        cursor.execute("SELECT description FROM referrals_need")
        rows = cursor.fetchall()
        assert rows and all(row[0].startswith("lc1:") for row in rows)


def test_seed_if_empty_adds_nothing_the_second_time() -> None:
    call_command("seed", "--cases", "5", stdout=StringIO())
    out = StringIO()
    call_command("seed", "--cases", "5", "--if-empty", stdout=out)
    assert Case.objects.count() == 5 and "nothing seeded" in out.getvalue()


def test_the_same_seed_gives_the_same_people_and_answers() -> None:
    def content(first_pk: int) -> list[tuple[Any, ...]]:
        cases = Case.objects.filter(pk__gte=first_pk).order_by("pk")
        answers = {s.case_id: s.answers for s in Screening.objects.filter(case_id__gte=first_pk)}
        return [(c.given_names, c.family_name, c.stage, answers.get(c.pk)) for c in cases]

    seed_cases(40, seed=11)
    second = Case.objects.order_by("-pk").first().pk + 1
    seed_cases(40, seed=11)
    assert content(0)[:40] == content(second) and len(content(second)) == 40


def test_the_seed_fills_every_part_of_a_case(seeded: Any) -> None:
    assert seeded.cases == 200
    referred = Case.objects.filter(referred_to__isnull=False).count()
    assert 0.4 * 200 < Screening.objects.count() < 0.8 * 200
    assert Need.objects.values("case").distinct().count() > 0.6 * referred
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert {ReferralStatus.DRAFT, ReferralStatus.ACCEPTED, ReferralStatus.DECLINED} <= statuses
    assert LegalTrack.objects.exists() and Decision.objects.exists()
    assert Consent.objects.filter(revoked_at__isnull=False).exists()
    assert Referral.objects.filter(status=ReferralStatus.DECLINED).exists()
    assert all(r.decline_reason for r in Referral.objects.filter(status=ReferralStatus.DECLINED))


def test_seeded_screenings_are_scored_by_the_engine(seeded: Any) -> None:
    outcomes = set()
    for screening in Screening.objects.all():
        case = Case.objects.get(pk=screening.case_id)
        population = "child" if case.treated_as_child else "adult"
        fresh = score_answers(population=population, answers=screening.answers)
        assert screening.result["population"] == population
        assert screening.outcome == fresh["outcome"] == screening.result["outcome"]
        assert screening.result["instruments"] == fresh["instruments"]
        assert case.events.filter(kind=CaseEvent.Kind.SCREENING_ATTACHED, detail__screening=screening.pk)
        outcomes.add(screening.outcome)
    assert {"presumed-victim", "further-assessment"} <= outcomes


def test_seeded_referrals_respect_consent_and_places(seeded: Any) -> None:
    for referral in Referral.objects.select_related("case", "consent", "access"):
        case, consent = referral.case, referral.consent
        assert referral.to_organisation_id != case.organisation_id
        if referral.status == ReferralStatus.DRAFT:
            assert consent is None and referral.access is None and referral.sent_at is None
            continue
        assert consent is not None and consent.purpose == Purpose.REFERRAL
        assert consent.organisation_id == referral.to_organisation_id and consent.case_id == case.pk
        assert consent.given_on <= referral.sent_at.date()
        assert consent.revoked_at is None or consent.revoked_at > referral.sent_at
        expected = {Basis.GUARDIAN, Basis.BEST_INTERESTS} if case.treated_as_child else {Basis.PERSON}
        assert consent.basis in expected
        access = referral.access
        assert access.organisation_id == referral.to_organisation_id
        assert access.field_groups == referral.field_groups and access.consent_id == consent.pk
        shared_now = CaseAccess.objects.active().filter(pk=access.pk).exists()
        assert shared_now == (referral.is_open and consent.revoked_at is None)
    for offer in ServiceOffer.objects.filter(total_places__isnull=False):
        held = Referral.objects.filter(offer=offer, holds_place=True).count()
        assert 0 <= offer.free_places == offer.total_places - held
        assert not Referral.objects.filter(offer=offer, holds_place=True).exclude(status="accepted").exists()


def test_seeded_needs_follow_their_referral(seeded: Any) -> None:
    expected = {
        ReferralStatus.DRAFT: {NeedStatus.IDENTIFIED},
        ReferralStatus.SENT: {NeedStatus.REFERRED},
        ReferralStatus.ACCEPTED: {NeedStatus.IN_PROGRESS},
        ReferralStatus.CLOSED: {NeedStatus.MET},
    }
    for need in Need.objects.select_related("referral"):
        assert need.description
        if need.referral is not None:
            assert need.status in expected[need.referral.status]
            assert need.offer_id == need.referral.offer_id


def test_seeded_decisions_are_the_decision_makers_at_decision_stages(seeded: Any) -> None:
    for decision in Decision.objects.select_related("case", "decided_by"):
        assert decision.case.nrm_profile.stage(decision.stage).is_decision
        assert decision.decided_by.has_role(Role.NRM_DECISION_MAKER) and decision.reasons
        assert decision.case.events.filter(
            kind=CaseEvent.Kind.DECISION, detail__decision=decision.pk
        ).exists()


def test_some_seeded_decisions_are_negative_and_move_the_case_off_the_main_track(seeded: Any) -> None:
    negative = Decision.objects.filter(outcome="negative").select_related("case")
    assert negative.exists() and Decision.objects.filter(outcome="positive").exists()
    for decision in negative:
        case = decision.case
        assert case.nrm_profile.stage(case.stage).track == "appeal"
        turned = case.events.get(kind=CaseEvent.Kind.DECISION, detail__decision=decision.pk)
        assert turned.from_stage == decision.stage and turned.detail["outcome"] == "negative"


# The seed goes by the services' rules: each row is one the service would have written.


def test_every_seeded_consent_is_one_record_consent_accepts(seeded: Any) -> None:
    from lantern.cases.services import check_consent

    fields = ("purpose", "basis", "language", "organisation", "recipient_country", "interpreter_used")
    more = ("interpreter", "representative", "best_interests_note", "notes")
    for consent in Consent.objects.select_related("case", "organisation"):
        check_consent(consent.case, {name: getattr(consent, name) for name in fields + more})


def test_seeded_stage_steps_are_ones_the_workflow_allows(seeded: Any) -> None:
    from lantern.cases.procedure import workflow

    ways = {CaseEvent.Kind.REFERRED: "referral", CaseEvent.Kind.DECISION: "decision"}
    for case in Case.objects.all():
        entries = list(case.events.exclude(to_stage="").order_by("at", "pk"))
        entered = {entries[0].to_stage: entries[0].on}
        for event in entries[1:]:
            by = ways.get(event.kind) or event.detail["by"]
            outcome = event.detail.get("outcome") if by == "decision" else None
            workflow.check_transition(
                case.nrm_profile,
                event.from_stage,
                event.to_stage,
                by=by,
                outcome=outcome,
                on=event.on,
                entered=entered,
            )
            entered[event.to_stage] = event.on
        assert entries[-1].to_stage == case.stage


def test_seeded_grants_and_their_end_are_on_the_timeline(seeded: Any) -> None:
    granted = set(
        CaseEvent.objects.filter(kind=CaseEvent.Kind.ACCESS_GRANTED).values_list("detail__access", flat=True)
    )
    revoked = set(
        CaseEvent.objects.filter(kind=CaseEvent.Kind.ACCESS_REVOKED).values_list("detail__access", flat=True)
    )
    assert set(CaseAccess.objects.values_list("pk", flat=True)) == granted
    ended = Referral.objects.filter(status__in=[ReferralStatus.DECLINED, ReferralStatus.CLOSED])
    assert ended.exists()
    for referral in ended.select_related("access", "consent"):
        consent_ended_it = referral.consent.revoked_at is not None and referral.consent.revoked_at <= (
            referral.answered_at if referral.status == ReferralStatus.DECLINED else referral.ended_at
        )
        assert (referral.access_id in revoked) is not consent_ended_it
