"""Synthetic, fictional cases for demos, tests and benchmarks (`lantern seed --cases N`).

Names come from Faker in several locales and scripts (Latin, Arabic, Cyrillic, Greek). Besides the case and
its timeline, a realistic share of cases gets:

- the completed screening that led to it: answers drawn from the instrument for the case's population (adult
  or child) and form of exploitation, scored by the real engine (`screening.services.score_answers`), so its
  stored result and outcome are what the screening app would have stored;
- a support plan (needs) and referrals to the service directory (one offer per organisation and service it
  lists, created when the directory is empty): a referral is sent only when a consent to a referral to that
  organisation exists (for a child: the guardian's, or a best-interests determination where the profile allows
  it); sent referrals grant access to their field groups, accepted ones take a free place where places are
  counted (none left: declined, saying so); some consents are revoked later, which ends the access;
- the NRM competent authority's decisions at the decision stages passed, by its decision-maker, with reasons;
- consents per purpose (competent authority, statistics, referral), a few revoked;
- for some, a legal track: the lawyer assigned (resting on a referral consent to the lawyer's organisation),
  the non-punishment principle for forced criminality and begging, criminal proceedings, rights information.

Rows are written with bulk inserts in batches, as the services would leave them (the services check the
gate, lock rows and audit each change: far too slow for 100,000 cases); values still pass through the
encrypted fields. The audit trail gets one record for the whole run instead of one per row. Deterministic for
a `seed` and the same database content (case references stay random: they must be unique).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from faker import Faker

from lantern.accounts.models import Organisation, User
from lantern.accounts.roles import OrganisationType, Role, Service
from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.cases.models import (
    Basis,
    Case,
    CaseAccess,
    CaseEvent,
    Consent,
    Decision,
    Outcome,
    Purpose,
    RiskLevel,
    Sex,
    new_reference,
)
from lantern.cases.procedure import deadlines
from lantern.cases.procedure.profiles import load_profiles

LOCALES = ["en_GB", "fr_FR", "el_GR", "ar_AA", "ru_RU", "uk_UA", "es_ES", "ro_RO", "it_IT"]
CITIZENSHIPS = [
    "NG",
    "ER",
    "SY",
    "AF",
    "UA",
    "RO",
    "BG",
    "AL",
    "MA",
    "PK",
    "VN",
    "GR",
    "FR",
    "BD",
    "IQ",
    "SO",
]
LANGUAGES = {
    "NG": "en",
    "ER": "ti",
    "SY": "ar",
    "AF": "fa",
    "UA": "uk",
    "RO": "ro",
    "BG": "bg",
    "AL": "sq",
    "MA": "ar",
    "PK": "ur",
    "VN": "vi",
    "GR": "el",
    "FR": "fr",
    "BD": "bn",
    "IQ": "ar",
    "SO": "so",
}
FORMS = [
    ("sexual", 40),
    ("labour", 35),
    ("domestic_servitude", 8),
    ("forced_criminality", 6),
    ("forced_begging", 5),
    ("forced_marriage", 3),
    ("other", 3),
]
# The screening instrument's exploitation for a case's form (the catalogue has labour and sexual sets).
SCREENED_AS = {"sexual": "sexual", "forced_marriage": "sexual"}

# Shares (0..1) of cases that get each part.
SCREENED = 0.6  # opened from a completed screening
PRESUMED_VICTIM = 0.7  # of those: answers showing every group of the verdict rule (the engine decides)
WITH_NEEDS = 0.85  # of the cases referred to the NRM: a support plan
NEED_REFERRED = 0.6  # of the needs: referred to a service
REFERRAL_CONSENT = 0.88  # of the referrals: a consent to the receiving organisation exists (else a draft)
CONSENT_REVOKED = 0.06
LEGAL_TRACK = 0.15  # of the cases referred to the NRM

NEED_KINDS = [
    ("accommodation", 18),
    ("medical", 16),
    ("psychological", 16),
    ("legal", 14),
    ("material", 10),
    ("interpretation", 8),
    ("safety", 6),
    ("residence", 5),
    ("employment", 3),
    ("education", 2),
    ("family", 1),
    ("return", 1),
]
NEED_TEXTS = {
    "safety": "Fictional: fears contact from the people who exploited them; needs a safe place quickly.",
    "accommodation": "Fictional: no safe accommodation; sleeping at a friend's for now.",
    "medical": "Fictional: untreated injuries and no access to a doctor for months.",
    "psychological": "Fictional: trouble sleeping, anxiety; asked to talk to someone.",
    "legal": "Fictional: wants advice on their rights and on reporting the employer.",
    "interpretation": "Fictional: needs an interpreter for appointments.",
    "material": "Fictional: no money, clothes or phone.",
    "education": "Fictional: wants to learn the language and finish school.",
    "employment": "Fictional: wants help to find safe, legal work.",
    "family": "Fictional: has lost contact with family at home.",
    "return": "Fictional: considering going home; wants to know the options.",
    "residence": "Fictional: no residence permit; needs the recovery-period permit.",
}
MESSAGES = [
    "Fictional: please contact the case worker before the first appointment.",
    "Fictional: the person prefers a woman as first contact.",
    "Fictional: an interpreter will come to the first meeting.",
    "",
]
DECLINE_REASONS = [
    "Fictional: the service does not work with this age group.",
    "Fictional: no interpreter for the person's language this month.",
    "Fictional: the person did not come to the first appointment.",
]
NO_PLACES = "Fictional: no free places at the moment."
NEGATIVE_REASONS = [
    "Fictional: the account could not be confirmed with the information available at this stage.",
    "Fictional: the indicators found do not yet meet the threshold; new information may be submitted.",
]
NEGATIVE_DECISION = 0.12  # of the cases that passed a decision stage: the first decision was negative
DECISION_REASONS = [
    "Fictional: the account is detailed and consistent; several indicators are present.",
    "Fictional: the screening and the case worker's report show reasonable grounds.",
    "Fictional: the evidence from the labour inspection supports the account.",
    "Fictional: credible account of recruitment by deception and control at destination.",
]
OFFENCES = {"forced_criminality": ["drugs", "property"], "forced_begging": ["begging"]}
SHELTER_PLACES = 40


@dataclass
class SeedReport:
    cases: int
    events: int
    consents: int
    decisions: int
    screenings: int = 0
    needs: int = 0
    referrals: int = 0
    legal_tracks: int = 0


def _case_organisations() -> tuple[list[Organisation], dict[int, User], Organisation | None, User | None]:
    owners = list(
        Organisation.objects.filter(
            type__in=[OrganisationType.RECEPTION_CENTRE, OrganisationType.NGO], active=True
        )
    )
    if not owners:
        from lantern.demo.accounts import load_demo

        load_demo()
        return _case_organisations()
    workers = {}
    for org in owners:
        user = (
            User.objects.filter(
                organisation=org, role_grants__role__in=[Role.CASE_WORKER, Role.SCREENER]
            ).first()
            or User.objects.filter(organisation=org).first()
        )
        if user is not None:
            workers[org.pk] = user
    authority = Organisation.objects.filter(type=OrganisationType.NRM_AUTHORITY, active=True).first()
    decider = (
        User.objects.filter(organisation=authority, role_grants__role=Role.NRM_DECISION_MAKER).first()
        if authority
        else None
    )
    return [o for o in owners if o.pk in workers], workers, authority, decider


def _main_track(profile) -> list:  # type: ignore[no-untyped-def]
    return [s for s in profile.stages if s.track == "main"]


_EIGHT_O_CLOCK = dt.time(8, 0)


def _at(day: dt.date, step: int) -> dt.datetime:
    """A time on `day` for a timeline entry; `step` keeps the entries of one day in order."""
    return dt.datetime.combine(day, _EIGHT_O_CLOCK, tzinfo=timezone.get_current_timezone()) + dt.timedelta(
        minutes=step
    )


def _day_between(rng: random.Random, start: dt.date, end: dt.date, most: int) -> dt.date:
    return min(end, start + dt.timedelta(days=rng.randint(0, most)))


@dataclass
class _World:
    """What a seed run draws on besides the cases: the directory, the people who answer and decide."""

    worker_of: dict[int, User]
    decider: User | None
    lawyer: User | None
    offers: dict[str, list[Any]]  # service -> offers
    answerer_of: dict[int, User]  # organisation id -> a user who answers referrals
    catalogue: Any
    score: Callable[..., dict[str, Any]]


def _directory() -> dict[str, list[Any]]:
    """The active service offers by service; when there are none, one per organisation and service it
    lists."""
    from lantern.referrals.models import ServiceOffer

    offers = list(
        ServiceOffer.objects.filter(active=True, organisation__active=True).select_related("organisation")
    )
    if not offers:
        for org in Organisation.objects.filter(active=True).order_by("pk"):
            for service in org.services or []:
                places = SHELTER_PLACES if service == Service.SHELTER else None
                offers.append(
                    ServiceOffer(
                        organisation=org,
                        service=service,
                        region="Attica",
                        description="Fictional service offer for demos.",
                        languages=list(org.languages or []),
                        total_places=places,
                        free_places=places,
                        email=f"referrals-{org.pk}@demo.lantern.invalid",
                    )
                )
        for offer in offers:
            offer.save()  # save() fills the languages index
    by_service: dict[str, list[Any]] = {}
    for offer in sorted(offers, key=lambda o: o.pk):
        by_service.setdefault(offer.service, []).append(offer)
    return by_service


def _world(workers: dict[int, User], decider: User | None) -> _World:
    from lantern.screening import selectors as screening_selectors
    from lantern.screening.services import score_answers

    offers = _directory()
    answerers = {}
    for org_id in {o.organisation_id for group in offers.values() for o in group}:
        answerers_q = User.objects.filter(organisation_id=org_id, is_active=True).order_by("pk")
        user = answerers_q.filter(role_grants__role=Role.SERVICE_PROVIDER).first() or answerers_q.first()
        if user is not None:
            answerers[org_id] = user
    lawyer = (
        User.objects.filter(role_grants__role=Role.LAWYER, is_active=True, organisation__active=True)
        .order_by("pk")
        .first()
    )
    return _World(
        worker_of=workers,
        decider=decider,
        lawyer=lawyer,
        offers=offers,
        answerer_of=answerers,
        catalogue=screening_selectors.catalogue(),
        score=score_answers,
    )


@dataclass
class _Batch:
    """The rows of one batch, in the order they are inserted, and the timeline entries to write last."""

    screenings: list[Any] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    accesses: list[CaseAccess] = field(default_factory=list)
    referrals: list[Any] = field(default_factory=list)
    referral_access: list[tuple[Any, CaseAccess]] = field(default_factory=list)
    needs: list[Any] = field(default_factory=list)
    tracks: list[Any] = field(default_factory=list)
    legal_rows: list[Any] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    # (case, kind, day, actor, from_stage, to_stage, detail built once the rows have ids)
    events: list[tuple[Case, str, dt.date, Any, str, str, Callable[[], dict[str, Any]]]] = field(
        default_factory=list
    )

    def event(
        self,
        case: Case,
        kind: str,
        on: dt.date,
        actor: Any,
        detail: Callable[[], dict[str, Any]] = dict,
        from_stage: str = "",
        to_stage: str = "",
    ) -> None:
        self.events.append((case, kind, on, actor, from_stage, to_stage, detail))


def _screening_of(case: Case, form: str, world: _World, rng: random.Random) -> Any:
    """The completed screening that led to the case: answers for its population and form, scored."""
    from lantern.screening.models import AgeGroup, Answer, GenderPreference, Screening, Status
    from lantern.screening.models import Consent as ScreeningConsent

    child = case.treated_as_child
    population = "child" if child else "adult"
    instrument = world.catalogue.instrument_for(population, SCREENED_AS.get(form, "labour"))
    presumed = rng.random() < PRESUMED_VICTIM
    answers: dict[str, str] = {}
    for indicators in instrument.dimensions.values():
        ids = sorted(indicators)
        strong = [i for i in ids if indicators[i] == "strong"]
        if presumed or rng.random() < 0.35:  # this dimension's signs were seen
            seen = {rng.choice(strong)} if strong and rng.random() < 0.8 else set()
            seen.update(rng.sample(ids, min(len(ids), rng.randint(1, 2))))
        else:
            seen = set()
        for indicator in rng.sample(ids, min(len(ids), rng.randint(2, 4))):
            answers[indicator] = rng.choices([Answer.NO, Answer.UNSURE, Answer.DECLINED], [80, 12, 8])[0]
        answers.update(dict.fromkeys(seen, Answer.YES))
    answers = {i: str(answers[i]) for i in sorted(answers)}
    result = world.score(population=population, answers=answers)
    result["scored_at"] = _at(case.identified_on, 60).isoformat(timespec="seconds")
    interviewed = _at(case.identified_on, 0)
    age_group = (
        (AgeGroup.UNDER_18 if case.date_of_birth else AgeGroup.APPEARS_MINOR) if child else AgeGroup.ADULT
    )
    return Screening(
        organisation_id=case.organisation_id,
        created_by=case.created_by,
        status=Status.COMPLETED,
        case_id=case.pk,
        setting_recorded_at=interviewed,
        interview_language=case.languages[0],
        screener_language="el" if rng.random() < 0.6 else "en",
        interpreter_used=case.interpreter_needed,
        gender_preference=rng.choice([GenderPreference.NO_PREFERENCE, GenderPreference.MET]),
        private_space=True,
        child_friendly=child,
        consent=ScreeningConsent.GIVEN,
        consent_at=interviewed,
        age_group=age_group,
        answers=answers,
        result=result,
        outcome=result["outcome"],
        completed_at=_at(case.identified_on, 60),
    )


def _consent(
    batch: _Batch,
    case: Case,
    purpose: str,
    on: dt.date,
    rng: random.Random,
    *,
    organisation: Organisation | None = None,
    end: dt.date | None = None,
) -> Consent:
    """A consent for `purpose` (a child's by the guardian or a best-interests determination); some revoked."""
    actor = case.created_by
    if case.treated_as_child and purpose != Purpose.STATISTICS:
        basis = rng.choice([Basis.BEST_INTERESTS, Basis.GUARDIAN])
    else:
        basis = Basis.PERSON
    consent = Consent(
        case=case,
        purpose=purpose,
        basis=basis,
        organisation=organisation,
        given_on=on,
        recorded_by=actor,
        language=case.languages[0] if purpose != Purpose.STATISTICS else "",
        interpreter_used=case.interpreter_needed and purpose != Purpose.STATISTICS,
    )
    batch.consents.append(consent)
    batch.event(
        case,
        CaseEvent.Kind.CONSENT_GIVEN,
        on,
        actor,
        lambda c=consent: {"consent": c.pk, "purpose": str(c.purpose), "basis": str(c.basis)},
    )
    if end is not None and end > on and rng.random() < CONSENT_REVOKED:
        revoked_on = _day_between(rng, on + dt.timedelta(days=1), end, 60)
        consent.revoked_at, consent.revoked_by = _at(revoked_on, 400), actor
        batch.event(
            case,
            CaseEvent.Kind.CONSENT_REVOKED,
            revoked_on,
            actor,
            lambda c=consent: {"consent": c.pk, "purpose": str(c.purpose)},
        )
    return consent


def _revoked_on(consent: Consent | None) -> dt.date | None:
    return consent.revoked_at.date() if consent is not None and consent.revoked_at else None


def _support(batch: _Batch, case: Case, world: _World, rng: random.Random, today: dt.date) -> int:
    """The case's needs and the referrals meeting them. Returns how many referrals were made."""
    from lantern.referrals.models import (
        SERVICE_FOR_NEED,
        Need,
        NeedStatus,
        Priority,
        Referral,
        ReferralKind,
        ReferralStatus,
    )
    from lantern.referrals.policies import default_groups

    start, end = case.referred_on or case.identified_on, case.closed_on or today
    kinds, weights = zip(*NEED_KINDS, strict=True)
    wanted = {rng.choices(kinds, weights)[0] for _ in range(rng.choices([1, 2, 3, 4], [30, 35, 25, 10])[0])}
    if case.interpreter_needed:
        wanted.add("interpretation")
    consents: dict[int, Consent | None] = {}
    made = 0
    for kind in sorted(wanted):
        noted_on = _day_between(rng, start, end, 10)
        need = Need(
            case=case,
            kind=kind,
            description=NEED_TEXTS[kind],
            priority=rng.choices(list(Priority), [15, 30, 55])[0],
            created_by=case.created_by,
            status=NeedStatus.IDENTIFIED,
        )
        batch.needs.append(need)
        batch.event(
            case,
            CaseEvent.Kind.NEED_RECORDED,
            noted_on,
            case.created_by,
            lambda n=need: {"need": n.pk, "kind": n.kind, "status": NeedStatus.IDENTIFIED.value},
        )
        service = SERVICE_FOR_NEED[kind]
        candidates = [o for o in world.offers.get(service, []) if o.organisation_id != case.organisation_id]
        if not candidates or rng.random() >= NEED_REFERRED:
            if case.closed_on:
                need.status = rng.choices(
                    [NeedStatus.MET, NeedStatus.DECLINED, NeedStatus.NOT_AVAILABLE], [70, 15, 15]
                )[0]
            continue
        offer = rng.choice(candidates)
        made += 1
        org = offer.organisation
        if org.pk not in consents:
            consents[org.pk] = (
                _consent(batch, case, Purpose.REFERRAL, noted_on, rng, organisation=org, end=end)
                if rng.random() < REFERRAL_CONSENT
                else None
            )
        consent = consents[org.pk]
        groups = list(default_groups(offer.service))
        referral = Referral(
            case=case,
            from_organisation_id=case.organisation_id,
            to_organisation=org,
            offer=offer,
            service=offer.service,
            kind=ReferralKind.NATIONAL
            if org.country.code == case.organisation.country.code
            else ReferralKind.TRANSNATIONAL,
            field_groups=groups,
            message=rng.choice(MESSAGES),
            created_by=case.created_by,
        )
        batch.referrals.append(referral)
        need.referral, need.offer, need.updated_by = referral, offer, case.created_by

        def detail(r: Any = referral, **extra: Any) -> dict[str, Any]:
            return {
                "referral": r.pk,
                "organisation": r.to_organisation_id,
                "service": r.service,
                "kind": r.kind,
                **extra,
            }

        batch.event(
            case,
            CaseEvent.Kind.REFERRAL_DRAFTED,
            noted_on,
            case.created_by,
            lambda d=detail, g=groups: d(field_groups=g),
        )
        revoked = _revoked_on(consent)
        if (
            consent is None
            or consent.given_on > noted_on
            or referral.kind == ReferralKind.TRANSNATIONAL
            or (revoked and revoked <= noted_on)
        ):
            continue  # no consent to this referral when it was prepared: it stays a draft
        sent_on = noted_on
        referral.status, referral.sent_at, referral.sent_by = (
            ReferralStatus.SENT,
            _at(sent_on, 200),
            case.created_by,
        )
        referral.consent = consent
        access = CaseAccess(
            case=case,
            organisation=org,
            field_groups=groups,
            consent=consent,
            granted_by=case.created_by,
            revoked_at=consent.revoked_at,
        )
        batch.accesses.append(access)
        batch.referral_access.append((referral, access))
        need.status = NeedStatus.REFERRED
        batch.event(
            case,
            CaseEvent.Kind.REFERRAL_SENT,
            sent_on,
            case.created_by,
            lambda d=detail, g=groups: d(field_groups=g),
        )
        answered_on = _day_between(rng, sent_on, end, 5)
        if answered_on == end and not case.closed_on and rng.random() < 0.5:
            continue  # still waiting for an answer
        if revoked and revoked <= answered_on:
            continue  # the consent was revoked before an answer: nothing more is shared, no answer
        referral.answered_at, referral.answered_by = _at(answered_on, 300), world.answerer_of.get(org.pk)
        full = offer.capacity_bound and not offer.free_places
        if full or rng.random() < 0.2:
            referral.status = ReferralStatus.DECLINED
            referral.decline_reason = NO_PLACES if full else rng.choice(DECLINE_REASONS)
            access.revoked_at = referral.answered_at
            need.referral, need.offer = None, None
            need.status = NeedStatus.NOT_AVAILABLE if rng.random() < 0.3 else NeedStatus.IDENTIFIED
            batch.event(case, CaseEvent.Kind.REFERRAL_DECLINED, answered_on, referral.answered_by, detail)
            continue
        referral.status = ReferralStatus.ACCEPTED
        need.status = NeedStatus.IN_PROGRESS
        batch.event(case, CaseEvent.Kind.REFERRAL_ACCEPTED, answered_on, referral.answered_by, detail)
        # Services end when the case closes, or after some months of support: then a place is free again.
        ended_on = case.closed_on or (answered_on + dt.timedelta(days=rng.randint(60, 120)))
        if ended_on < today:
            referral.status, referral.ended_at, referral.ended_by = (
                ReferralStatus.CLOSED,
                _at(ended_on, 0),
                case.created_by,
            )
            access.revoked_at = access.revoked_at or referral.ended_at
            need.status = NeedStatus.MET
            batch.event(case, CaseEvent.Kind.REFERRAL_CLOSED, ended_on, case.created_by, detail)
        elif offer.capacity_bound:
            offer.free_places -= 1
            referral.holds_place = True
    return made


def _legal(batch: _Batch, case: Case, form: str, world: _World, rng: random.Random, today: dt.date) -> None:
    """A legal track: the lawyer (on a referral consent to the lawyer's organisation), non-punishment for
    forced criminality and begging, sometimes criminal proceedings; and the rights information given."""
    from lantern.legal.models import (
        CriminalProceeding,
        InformationMethod,
        LegalTrack,
        NonPunishmentStatus,
        ProceedingRole,
        ProceedingStatus,
        RightsInformation,
    )

    start, end = case.referred_on or case.identified_on, case.closed_on or today
    actor = case.created_by
    batch.legal_rows.append(
        RightsInformation(
            case=case,
            given_on=start,
            language=case.languages[0],
            methods=[InformationMethod.values[0]],
            recorded_by=actor,
        )
    )
    track = LegalTrack(case=case)
    batch.tracks.append(track)
    assigned_on = _day_between(rng, start, end, 20)
    lawyer = world.lawyer
    if lawyer is not None:
        own = lawyer.organisation_id == case.organisation_id
        consent = (
            None
            if own
            else _consent(batch, case, Purpose.REFERRAL, assigned_on, rng, organisation=lawyer.organisation)
        )
        access = CaseAccess(
            case=case,
            user=lawyer,
            field_groups=["legal", "identity", "exploitation"],
            consent=consent,
            granted_by=actor,
        )
        batch.accesses.append(access)
        track.lawyer, track.lawyer_access = lawyer, access
        batch.event(
            case,
            CaseEvent.Kind.LAWYER_ASSIGNED,
            assigned_on,
            actor,
            lambda t=track, a=access: {"lawyer": t.lawyer_id, "access": a.pk, "created": True},
        )
    if form in OFFENCES:
        track.non_punishment_applies = True
        track.non_punishment_categories = list(OFFENCES[form])
        track.non_punishment_status = rng.choice(list(NonPunishmentStatus))
        if track.non_punishment_status != NonPunishmentStatus.NOT_RAISED:
            track.non_punishment_raised_on = _day_between(rng, assigned_on, end, 30)
    if rng.random() < 0.5:
        batch.legal_rows.append(
            CriminalProceeding(
                case=case,
                role=rng.choice([ProceedingRole.WITNESS, ProceedingRole.INJURED_PARTY]),
                status=rng.choice(list(ProceedingStatus)),
                court="Fictional court of first instance",
                opened_on=_day_between(rng, start, end, 60),
            )
        )


def _outcome(case: Case, source: str, target: str) -> str:
    """The decision's outcome that moves a case from `source` to `target` in its profile."""
    for transition in case.nrm_profile.transitions:
        if transition.source == source and transition.target == target and transition.outcome:
            return Outcome(transition.outcome)
    return Outcome.POSITIVE


def _negative_turn(profile: Any, path: list, rng: random.Random, today: dt.date) -> list:  # type: ignore[type-arg]
    """For some cases, the first decision passed was negative: the case left the main track there (to the
    negative stage, and sometimes on to the appeal or reconsideration, awaiting its decision)."""
    for index, (stage, _on) in enumerate(path[:-1]):
        if not stage.is_decision:
            continue
        if rng.random() >= NEGATIVE_DECISION:
            return path
        turn = [t.target for t in profile.transitions if t.source == stage.id and t.outcome == "negative"]
        if not turn:
            return path
        negative = profile.stage(turn[0])
        day = path[index + 1][1]
        turned = [*path[: index + 1], (negative, day)]
        appeal = [t.target for t in profile.transitions if t.source == negative.id and t.by != "decision"]
        if appeal and rng.random() < 0.5:
            turned.append((profile.stage(appeal[0]), min(today, day + dt.timedelta(days=rng.randint(5, 30)))))
        return turned
    return path


def _decisions(batch: _Batch, case: Case, path: list, world: _World, rng: random.Random) -> None:  # type: ignore[type-arg]
    """The timeline along the stages passed: the step out of a decision stage is the authority's decision."""
    previous = ""
    for index, (stage, on) in enumerate(path):
        decision = None
        if previous and path[index - 1][0].is_decision and world.decider is not None:
            decided_stage = path[index - 1][0]
            decided = decided_stage.id
            outcome = _outcome(case, decided, stage.id)
            decision = Decision(
                case=case,
                stage=decided,
                outcome=outcome,
                decided_on=on,
                reasons=rng.choice(DECISION_REASONS if outcome == Outcome.POSITIVE else NEGATIVE_REASONS),
                is_appeal=decided_stage.track == "appeal",
                decided_by=world.decider,
            )
            batch.decisions.append(decision)
            batch.event(
                case,
                CaseEvent.Kind.DECISION,
                on,
                world.decider,
                lambda d=decision, s=decided: {"decision": d.pk, "stage": s, "outcome": str(d.outcome)},
                from_stage=previous,
                to_stage=stage.id,
            )
        else:
            kind = CaseEvent.Kind.CREATED if not previous else CaseEvent.Kind.STAGE_CHANGED
            batch.event(case, kind, on, case.created_by, from_stage=previous, to_stage=stage.id)
        previous = stage.id


def _new_case(
    rng: random.Random,
    fakers: dict[str, Faker],
    owners: list[Organisation],
    workers: dict[int, User],
    authority: Organisation | None,
    profiles: Any,
    today: dt.date,
) -> tuple[Case, list]:  # type: ignore[type-arg]
    forms, weights = zip(*FORMS, strict=True)
    org = rng.choice(owners)
    profile = profiles.for_country(org.country.code)
    locale = rng.choice(LOCALES)
    fake = fakers[locale]
    sex = rng.choices([Sex.FEMALE, Sex.MALE, Sex.UNKNOWN], [62, 36, 2])[0]
    child = rng.random() < 0.18
    age_years = rng.randint(12, 17) if child else rng.randint(18, 55)
    identified = today - dt.timedelta(days=rng.randint(0, 3 * 365))
    born = identified - dt.timedelta(days=age_years * 365 + rng.randint(0, 364))
    citizenship = rng.choice(CITIZENSHIPS)
    stages = _main_track(profile)
    reached = rng.choices(range(len(stages)), [30, 18, 12, 14, 10, 10, 3, 3][: len(stages)])[0]
    path, day = [], identified
    for stage in stages[: reached + 1]:
        path.append((stage, day))
        day = min(today, day + dt.timedelta(days=(stage.min_days or rng.randint(1, 20))))
    path = _negative_turn(profile, path, rng, today)
    current, entered = path[-1]
    known_dob = rng.random() < 0.7
    given = fake.first_name_female() if sex == Sex.FEMALE else fake.first_name_male()
    case = Case(
        organisation=org,
        reference=new_reference(),
        profile=profile.id,
        stage=current.id,
        stage_entered_on=entered,
        created_by=workers[org.pk],
        case_worker=workers[org.pk],
        given_names=given,
        family_name=fake.last_name(),
        date_of_birth=born.isoformat() if known_dob else "",
        estimated_age="" if known_dob else str(age_years),
        appears_minor=child and not known_dob,
        sex=sex,
        citizenships=[citizenship],
        languages=[LANGUAGES[citizenship]],
        interpreter_needed=LANGUAGES[citizenship] not in ("en", "el", "fr"),
        exploitation_forms=[rng.choices(forms, weights)[0]],
        recruitment_countries=[citizenship],
        exploitation_countries=[org.country.code],
        identified_on=identified,
        identified_by=org.type,
        immediate_danger=rng.random() < 0.03,
        risk_level=rng.choice(list(RiskLevel)),
        closed_on=entered if current.id == "closed" else None,
        referred_to=authority if reached >= 1 else None,
        referred_on=path[1][1] if reached >= 1 else None,
    )
    case.treated_as_child = case.child_on(today)
    state = deadlines.CaseState(profile, current.id)
    entries = [deadlines.StageEntry(s.id, on) for s, on in path]
    items = deadlines.due_items(state, entries, today)
    case.target_due_on = min((i.due_on for i in items if i.kind == deadlines.DECISION_TARGET), default=None)
    case.period_ends_on = min((i.due_on for i in items if i.kind == deadlines.PERIOD_END), default=None)
    return case, path


def _insert(batch: _Batch, offers: dict[str, list[Any]]) -> int:
    """Write the batch's rows, parents first; returns the number of timeline entries."""
    from lantern.legal.models import LegalTrack
    from lantern.referrals.models import Need, Referral, ServiceOffer
    from lantern.screening.models import Screening

    Screening.objects.bulk_create(batch.screenings, batch_size=500)
    Consent.objects.bulk_create(batch.consents, batch_size=1000)
    Referral.objects.bulk_create(batch.referrals, batch_size=1000)
    for referral, access in batch.referral_access:
        access.reason = f"referral {referral.pk}"
    CaseAccess.objects.bulk_create(batch.accesses, batch_size=1000)
    for referral, access in batch.referral_access:
        referral.access = access
    Referral.objects.bulk_update([r for r, _a in batch.referral_access], ["access"], batch_size=500)
    Need.objects.bulk_create(batch.needs, batch_size=1000)
    LegalTrack.objects.bulk_create(batch.tracks, batch_size=1000)
    by_model: dict[type, list[Any]] = {}
    for row in batch.legal_rows:
        by_model.setdefault(type(row), []).append(row)
    for model, rows in by_model.items():
        model.objects.bulk_create(rows, batch_size=1000)
    Decision.objects.bulk_create(batch.decisions, batch_size=1000)
    events, step_of = [], {}
    for case, kind, on, actor, from_stage, to_stage, detail in batch.events:
        step = step_of[case.pk] = step_of.get(case.pk, -1) + 1
        events.append(
            CaseEvent(
                case=case,
                kind=kind,
                at=_at(on, step),
                on=on,
                actor=actor,
                from_stage=from_stage,
                to_stage=to_stage,
                detail=detail(),
            )
        )
    CaseEvent.objects.bulk_create(events, batch_size=1000)
    ServiceOffer.objects.bulk_update(
        [o for group in offers.values() for o in group if o.capacity_bound], ["free_places"]
    )
    return len(events)


def seed_cases(
    count: int, *, seed: int = 20261129, batch: int = 2000, today: dt.date | None = None
) -> SeedReport:
    """Create `count` fictional cases with consistent timelines, screenings, consents, support plans,
    referrals, decisions, legal tracks and deadlines (see the module docstring)."""
    rng = random.Random(seed)
    fakers = {loc: Faker(loc) for loc in LOCALES}
    for i, f in enumerate(fakers.values()):
        f.seed_instance(seed + i)
    today = today or timezone.localdate()
    owners, workers, authority, decider = _case_organisations()
    world = _world(workers, decider)
    profiles = load_profiles()
    report = SeedReport(0, 0, 0, 0)
    remaining = count
    while remaining > 0:
        size = min(batch, remaining)
        remaining -= size
        planned = [_new_case(rng, fakers, owners, workers, authority, profiles, today) for _ in range(size)]
        with transaction.atomic():
            Case.objects.bulk_create([case for case, _path in planned], batch_size=500)
            rows = _Batch()
            for case, path in planned:
                form = case.exploitation_forms[0]
                _decisions(rows, case, path, world, rng)
                if rng.random() < SCREENED:
                    screening = _screening_of(case, form, world, rng)
                    rows.screenings.append(screening)
                    rows.event(
                        case,
                        CaseEvent.Kind.SCREENING_ATTACHED,
                        case.identified_on,
                        case.created_by,
                        lambda s=screening: {"screening": s.pk},
                    )
                if case.referred_to_id:
                    _consent(rows, case, Purpose.COMPETENT_AUTHORITY, case.identified_on, rng)
                if rng.random() < 0.85:
                    _consent(
                        rows, case, Purpose.STATISTICS, case.identified_on, rng, end=case.closed_on or today
                    )
                if case.referred_to_id and rng.random() < WITH_NEEDS:
                    report.referrals += _support(rows, case, world, rng, today)
                if case.referred_to_id and rng.random() < LEGAL_TRACK:
                    _legal(rows, case, form, world, rng, today)
            report.events += _insert(rows, world.offers)
        report.cases += len(planned)
        report.consents += len(rows.consents)
        report.decisions += len(rows.decisions)
        report.screenings += len(rows.screenings)
        report.needs += len(rows.needs)
        report.legal_tracks += len(rows.tracks)
    record(
        AuditRecord.Action.SYSTEM,
        object_type="cases.case",
        object_id="seed",
        detail={
            "operation": "seed",
            "cases": report.cases,
            "events": report.events,
            "screenings": report.screenings,
            "referrals": report.referrals,
        },
    )
    return report
