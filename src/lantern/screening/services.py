"""Changing screenings. Each service takes the acting user, checks the gate, and runs in one transaction.

Every write names the `version` it was based on (a mismatch raises `VersionConflict`: a second tab, a double
submit, a colleague) and takes the edit lock, which another user's unexpired lock refuses (`ScreeningLocked`)
unless they take over through `resume(take_over=True)`. A save also ends a pause. The version counts changes
of content only: taking the lock, pausing and resuming leave it, so forms open elsewhere stay valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.authz import gate
from lantern.authz.gate import require
from lantern.cases import services as case_services
from lantern.cases.models import IDENTIFIED_BY_CHOICES, Case, CaseEvent
from lantern.cases.timeline import log_event

from . import content as interview_content
from . import selectors
from .catalogue import Instrument, UnknownInstrument
from .engine import UnknownIndicator
from .engine import score as engine_score
from .models import (
    CHILD_AGE_GROUPS,
    LOCK_MINUTES,
    OUTCOME_SEVERITY,
    AgeGroup,
    Answer,
    Consent,
    Gender,
    GenderPreference,
    Outcome,
    Screening,
    Status,
)


class ScreeningError(Exception):
    """A change that cannot be made; the message says why and what to do."""


class VersionConflict(ScreeningError):
    def __init__(self, current: Screening) -> None:
        super().__init__(
            _(
                "This screening was changed after this page was opened (in another tab, by a double "
                "submission or by a colleague). Your entries are shown again: check them and save."
            )
        )
        self.current = current


class ScreeningLocked(ScreeningError):
    def __init__(self, holder: Any, since: Any) -> None:
        name = holder.get_full_name() or holder.username
        local = timezone.localtime(since).strftime("%H:%M")
        super().__init__(
            _("%(name)s is editing this screening since %(time)s; you can view it, or take over.")
            % {"name": name, "time": local}
        )
        self.holder = holder
        self.since = since


class StepNotAvailable(ScreeningError):
    pass


class InvalidInput(ScreeningError, ValueError):
    """Input naming unknown ids or values; `field` is the input it concerns."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


SETTING_FIELDS = frozenset(
    {
        "interview_language",
        "screener_language",
        "interpreter_used",
        "interpreter_gender",
        "interviewer_gender",
        "gender_preference",
        "gender_preference_unmet_reason",
        "private_space",
        "child_friendly",
    }
)
SETTING_REQUIRED = ("interview_language", "screener_language", "gender_preference")


# Reading what the screening implies ----------------------------------------------------------------


def population_of(screening: Screening) -> str:
    """'child' when under 18 or possibly a minor (presumption of minority, CoE Convention art. 10(3)).

    An age not recorded, or unknown, counts as possibly a minor when a first sign suggests it. Only an age
    group recorded as adult overrides such a sign.
    """
    if screening.age_group in CHILD_AGE_GROUPS:
        return "child"
    if screening.age_group in ("", AgeGroup.UNKNOWN) and selectors.first_signs_suggest_minor(
        screening.first_signs
    ):
        return "child"
    return "adult"


def instrument_named(instrument_id: str) -> Instrument:
    """The catalogue's instrument, or InvalidInput naming the valid ids."""
    try:
        return selectors.catalogue().instrument(instrument_id)
    except UnknownInstrument:
        raise InvalidInput(
            "instrument",
            _("Unknown instrument %(id)s. Valid instruments are: %(valid)s.")
            % {"id": instrument_id, "valid": ", ".join(selectors.all_instrument_ids())},
        ) from None


def check_instrument_fits(instrument: Instrument, age_group: str, first_signs: Iterable[str] = ()) -> None:
    """Refuse an adult instrument for a child or presumed child, and a child instrument for an adult."""
    probe = Screening(age_group=age_group, first_signs=list(first_signs))
    population = population_of(probe)
    if instrument.population != population:
        fitting = ", ".join(selectors.instrument_ids_for(population))
        raise InvalidInput(
            "instrument",
            _("%(instrument)s is for %(its)s; for this person (%(age)s) use one of: %(fitting)s.")
            % {
                "instrument": instrument.id,
                "its": _("adults") if instrument.population == "adult" else _("children"),
                "age": AgeGroup(age_group).label if age_group else _("age not recorded"),
                "fitting": fitting,
            },
        )


def score_answers(
    *, population: str, answers: Mapping[str, str], instrument_ids: Iterable[str] | None = None
) -> dict[str, Any]:
    """Score the YES answers with each instrument (default: labour and sexual for the population).

    Only YES is observed; "prefers not to say" and "not sure" are kept apart and never count as "no".
    The overall outcome is the most serious of the instruments'.
    """
    catalogue = selectors.catalogue()
    instruments = (
        [instrument_named(i) for i in instrument_ids]
        if instrument_ids
        else [catalogue.instrument_for(population, e) for e in ("labour", "sexual")]
    )
    observed = {i for i, answer in answers.items() if answer == Answer.YES}
    per_instrument = {}
    for instrument in instruments:
        result = engine_score(instrument, observed & instrument.indicator_ids)
        per_instrument[instrument.id] = {
            **selectors.result_json(instrument, result),
            "population": instrument.population,
            "exploitation": instrument.exploitation,
        }
    outcomes = {entry["outcome"] for entry in per_instrument.values()}
    overall = next(o.value for o in OUTCOME_SEVERITY if o.value in outcomes)
    return {
        "population": population,
        "outcome": overall,
        "observed": sorted(observed),
        "unsure": sorted(i for i, a in answers.items() if a == Answer.UNSURE),
        "declined": sorted(i for i, a in answers.items() if a == Answer.DECLINED),
        "instruments": per_instrument,
        "scored_at": timezone.now().isoformat(timespec="seconds"),
    }


# Validation of ids and values against the catalogue and the content -----------------------------------


def _check_answers(answers: Mapping[str, Any]) -> dict[str, str]:
    valid = selectors.all_indicator_ids()
    unknown = sorted(set(answers) - valid)
    if unknown:
        raise InvalidInput(
            "answers",
            _("Unknown indicator ids: %(unknown)s. Valid ids are: %(valid)s.")
            % {"unknown": ", ".join(unknown), "valid": ", ".join(sorted(valid))},
        )
    bad = sorted(i for i, a in answers.items() if a is not None and a not in Answer.values)
    if bad:
        raise InvalidInput(
            "answers",
            _("Unknown answers for %(ids)s. An answer is one of: %(answers)s (or null for not asked).")
            % {"ids": ", ".join(bad), "answers": ", ".join(Answer.values)},
        )
    return {i: a for i, a in answers.items() if a is not None}


def _check_first_signs(signs: Iterable[str]) -> list[str]:
    signs = list(dict.fromkeys(signs))
    valid = set(selectors.first_sign_ids())
    unknown = sorted(set(signs) - valid)
    if unknown:
        raise InvalidInput(
            "first_signs",
            _("Unknown first signs: %(unknown)s. Valid ids are: %(valid)s.")
            % {"unknown": ", ".join(unknown), "valid": ", ".join(sorted(valid))},
        )
    return signs


def _check_setting(changes: Mapping[str, Any]) -> None:
    unknown = sorted(set(changes) - SETTING_FIELDS)
    if unknown:
        raise InvalidInput("setting", _("Not a setting: %(names)s.") % {"names": ", ".join(unknown)})
    languages = set(interview_content.available_languages())
    for name in ("interview_language", "screener_language"):
        if name in changes and changes[name] and changes[name] not in languages:
            raise InvalidInput(
                name,
                _("No interview content in %(code)s. Available languages: %(codes)s.")
                % {"code": changes[name], "codes": ", ".join(sorted(languages))},
            )
    for name in ("interpreter_gender", "interviewer_gender"):
        if changes.get(name) not in (None, "", *Gender.values):
            raise InvalidInput(name, _("Choose one of: %(v)s.") % {"v": ", ".join(Gender.values)})
    if changes.get("gender_preference") not in (None, "", *GenderPreference.values):
        raise InvalidInput(
            "gender_preference", _("Choose one of: %(v)s.") % {"v": ", ".join(GenderPreference.values)}
        )


# The write path shared by every service -------------------------------------------------------------


def _row_for_update(screening: Screening) -> Screening:
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to the lock holder.
    return Screening.objects.select_for_update(of=("self",)).select_related("locked_by").get(pk=screening.pk)


def _begin(actor: Any, screening: Screening, version: int | None) -> Screening:
    """Check the gate, lock the row, check the version and the edit lock; return the fresh row."""
    require(actor, "screening.change", screening)
    fresh = _row_for_update(screening)
    # The lock first: "Eleni is editing" says more than "changed since" and leads to taking over.
    holder = fresh.lock_holder()
    if holder is not None and holder.pk != actor.pk:
        raise ScreeningLocked(holder, fresh.locked_at)
    if version is not None and int(version) != fresh.version:
        raise VersionConflict(fresh)
    return fresh


def _take_lock(screening: Screening, actor: Any) -> None:
    now = timezone.now()
    if screening.locked_by_id != actor.pk or screening.lock_holder(now) is None:
        screening.locked_at = now
    screening.locked_by = actor
    screening.lock_expires_at = now + timedelta(minutes=LOCK_MINUTES)


def _release_lock(screening: Screening) -> None:
    screening.locked_by = None
    screening.locked_at = None
    screening.lock_expires_at = None


def _commit(screening: Screening, actor: Any) -> Screening:
    _take_lock(screening, actor)
    screening.paused_at = None
    screening.version += 1
    screening.save()
    return screening


def _not_finished(screening: Screening) -> None:
    if screening.status == Status.COMPLETED:
        raise StepNotAvailable(_("This screening is completed; its answers can no longer be changed."))


def _interview_allowed(screening: Screening) -> None:
    _not_finished(screening)
    if not screening.interview_allowed:
        raise StepNotAvailable(
            _(
                "Questions can only be asked after the person has given informed consent. "
                "Without consent, only the first-signs checklist is available."
            )
        )


# Services -----------------------------------------------------------------------------------------


@transaction.atomic
def start_screening(*, actor: Any, person_reference: str = "") -> Screening:
    """Start a screening in the actor's organisation, anonymous unless a reference is given."""
    require(actor, "screening.create", actor.organisation)
    screening = Screening(
        organisation_id=actor.organisation_id,
        created_by=actor,
        person_reference=person_reference.strip(),
    )
    _take_lock(screening, actor)
    screening.save()
    return screening


@transaction.atomic
def record_details(
    *,
    actor: Any,
    screening: Screening,
    version: int | None,
    person_reference: str | None = None,
    notes: str | None = None,
) -> Screening:
    """Change the (encrypted) reference for the person or the screener's notes."""
    fresh = _begin(actor, screening, version)
    if person_reference is not None:
        fresh.person_reference = person_reference.strip()
    if notes is not None:
        fresh.notes = notes.strip()
    return _commit(fresh, actor)


@transaction.atomic
def record_setting(
    *,
    actor: Any,
    screening: Screening,
    version: int | None,
    changes: Mapping[str, Any],
    done: bool | None = True,
) -> Screening:
    """Record the setting of the interview (None values are left as they were).

    `done=False` (a pause) keeps what was given without finishing the step; `done=None` (the API) finishes
    it once the languages and the gender preference are known.
    """
    fresh = _begin(actor, screening, version)
    _not_finished(fresh)
    _check_setting(changes)
    for name, value in changes.items():
        if value is not None:
            setattr(fresh, name, value)
    if done is None:
        done = all(getattr(fresh, name) for name in SETTING_REQUIRED)
    if not fresh.interpreter_used:
        fresh.interpreter_gender = ""
    if fresh.gender_preference != GenderPreference.NOT_MET:
        fresh.gender_preference_unmet_reason = ""
    if done:
        fresh.setting_recorded_at = timezone.now()
        if fresh.status == Status.SETTING:
            fresh.status = Status.CONSENT
    return _commit(fresh, actor)


@transaction.atomic
def record_consent(*, actor: Any, screening: Screening, version: int | None, given: bool) -> Screening:
    """Record informed consent. A refusal stops the interview: only the first-signs checklist stays open.

    Consent can be asked again later (a refusal is not final), and withdrawn during the interview: the
    answers given so far stay recorded but no further question can be saved.
    """
    fresh = _begin(actor, screening, version)
    _not_finished(fresh)
    fresh.consent = Consent.GIVEN if given else Consent.REFUSED
    fresh.consent_at = timezone.now()
    fresh.status = Status.INTERVIEW if given else Status.STOPPED_NO_CONSENT
    return _commit(fresh, actor)


@transaction.atomic
def record_first_signs(
    *, actor: Any, screening: Screening, version: int | None, signs: Iterable[str]
) -> Screening:
    """Record the first signs observed. Needs no consent: they are the screener's own observations."""
    fresh = _begin(actor, screening, version)
    _not_finished(fresh)
    fresh.first_signs = _check_first_signs(signs)
    return _commit(fresh, actor)


@transaction.atomic
def record_age(*, actor: Any, screening: Screening, version: int | None, age_group: str) -> Screening:
    """Record the age group. A child or possible child switches child-friendly mode on."""
    fresh = _begin(actor, screening, version)
    _interview_allowed(fresh)
    if age_group not in AgeGroup.values:
        raise InvalidInput("age_group", _("Choose one of: %(v)s.") % {"v": ", ".join(AgeGroup.values)})
    fresh.age_group = age_group
    if population_of(fresh) == "child":
        fresh.child_friendly = True
    return _commit(fresh, actor)


@transaction.atomic
def record_answers(
    *,
    actor: Any,
    screening: Screening,
    version: int | None,
    answers: Mapping[str, str | None],
    theme: str | None = None,
) -> Screening:
    """Save answers ({indicator id: yes|no|unsure|declined}; None or absent = not asked).

    With `theme`, the answers are that theme page's: its questions left blank become "not asked" and the
    theme is marked as saved. Without, the given answers are merged into those already recorded.
    """
    fresh = _begin(actor, screening, version)
    _interview_allowed(fresh)
    if theme is not None:
        theme_ids = set(selectors.theme_indicator_ids(theme))
        outside = sorted(set(answers) - theme_ids)
        if outside:
            raise InvalidInput(
                "answers",
                _("Not questions of theme %(theme)s: %(ids)s.") % {"theme": theme, "ids": ", ".join(outside)},
            )
        merged = {i: a for i, a in fresh.answers.items() if i not in theme_ids}
        merged.update(_check_answers(answers))
        if theme not in fresh.themes_saved:
            fresh.themes_saved = [*fresh.themes_saved, theme]
    else:
        checked = _check_answers(answers)
        merged = {i: a for i, a in fresh.answers.items() if i not in answers}
        merged.update(checked)
    fresh.answers = dict(sorted(merged.items()))
    return _commit(fresh, actor)


@transaction.atomic
def save_and_pause(*, actor: Any, screening: Screening) -> Screening:
    """Pause (after the page's own save): release the lock so that anyone of the team can resume."""
    fresh = _begin(actor, screening, None)
    fresh.paused_at = timezone.now()
    _release_lock(fresh)
    fresh.save()  # the content is unchanged: the version stays, so open forms stay valid
    return fresh


@transaction.atomic
def resume(*, actor: Any, screening: Screening, take_over: bool = False) -> Screening:
    """Take the edit lock to continue. Another user's unexpired lock refuses unless `take_over`."""
    require(actor, "screening.change", screening)
    fresh = _row_for_update(screening)
    holder = fresh.lock_holder()
    if holder is not None and holder.pk != actor.pk and not take_over:
        raise ScreeningLocked(holder, fresh.locked_at)
    if fresh.status == Status.COMPLETED:
        return fresh  # nothing left to edit: no lock
    _take_lock(fresh, actor)
    fresh.paused_at = None
    fresh.save()  # the content is unchanged: the version stays, so open forms stay valid
    return fresh


@transaction.atomic
def complete(
    *,
    actor: Any,
    screening: Screening,
    version: int | None,
    notes: str | None = None,
    instrument_ids: Iterable[str] | None = None,
) -> Screening:
    """Score the answers with the population's instruments and store the result; the screening is closed.

    `instrument_ids` (API) restricts scoring to named instruments, which must fit the person's age.
    """
    fresh = _begin(actor, screening, version)
    _interview_allowed(fresh)
    if not fresh.age_group:
        raise StepNotAvailable(_("Record the person's age first: it decides which indicators apply."))
    population = population_of(fresh)
    ids = list(instrument_ids or [])
    for instrument_id in ids:
        check_instrument_fits(instrument_named(instrument_id), fresh.age_group, fresh.first_signs)
    try:
        result = score_answers(population=population, answers=fresh.answers, instrument_ids=ids or None)
    except UnknownIndicator as exc:  # the catalogue changed under stored answers
        raise InvalidInput("answers", str(exc)) from exc
    if notes is not None:
        fresh.notes = notes.strip()
    fresh.result = result
    fresh.outcome = result["outcome"]
    fresh.status = Status.COMPLETED
    fresh.completed_at = timezone.now()
    _release_lock(fresh)
    fresh.paused_at = None
    fresh.version += 1
    fresh.save()
    return fresh


# From a screening to a case ---------------------------------------------------------------------------

# The outcomes that lead to a case: the NRM referral (presumed victim) or the assessment it needs first.
CASE_OUTCOMES = frozenset({Outcome.PRESUMED_VICTIM, Outcome.FURTHER_ASSESSMENT})


def case_data_from(screening: Screening) -> dict[str, Any]:
    """What the screening already knows about the person, as case fields: nothing is typed twice.

    The age group gives "reasons to believe the person is a child" (the screening's presumption of minority:
    under 18, or not known with signs of it); a screening records no age in years, so none is estimated.
    No name: a screening's reference may be a registration number, and names are entered on the case.
    """
    identified = screening.completed_at or screening.created_at or timezone.now()
    data: dict[str, Any] = {
        "identified_on": timezone.localdate(identified),
        "appears_minor": population_of(screening) == "child",
    }
    if screening.organisation.type in {value for value, _label in IDENTIFIED_BY_CHOICES}:
        data["identified_by"] = screening.organisation.type
    if screening.interview_language:
        data["languages"] = [screening.interview_language]
    if screening.interpreter_used:
        data["interpreter_needed"] = True
    return data


@transaction.atomic
def open_case_from_screening(*, actor: Any, screening: Screening) -> Case:
    """Open a case from a completed screening whose outcome calls for one, and attach the screening.

    Idempotent: when the screening is already attached to a case, that case is returned and nothing is
    created. The case opens at its NRM profile's first stage; consents and the referral follow on the case.
    """
    require(actor, "screening.view", screening)
    require(actor, "case.create", screening.organisation)
    fresh = _row_for_update(screening)  # a second press waits here, then finds the case
    if fresh.case_id is not None:
        return Case.objects.get(pk=fresh.case_id)
    if fresh.status != Status.COMPLETED or fresh.outcome not in CASE_OUTCOMES:
        raise StepNotAvailable(
            _(
                "A case can be opened from a completed screening whose result is a referral for "
                "identification or a further assessment."
            )
        )
    case = case_services.create_case(actor=actor, data=case_data_from(fresh), organisation=fresh.organisation)
    attach_screening(actor=actor, case=case, screening_id=fresh.pk)
    return case


@transaction.atomic
def attach_screening(*, actor: Any, case: Case, screening_id: Any) -> Screening:
    """Link a screening of the same organisation to the case, and say so on the case's timeline.

    The screening must be one the actor may change (other organisations' screenings raise NotVisible, a 404).
    """
    require(actor, "case.change", case)
    screening = gate.access(actor, "screening.change", Screening, screening_id)
    if screening.organisation_id != case.organisation_id:
        raise ValidationError({"screening": [_("The screening belongs to another organisation.")]})
    if screening.case_id not in (None, case.pk):
        raise ValidationError({"screening": [_("The screening is already attached to another case.")]})
    if screening.case_id != case.pk:
        screening.case = case
        screening.save(update_fields=["case"])
        log_event(case, CaseEvent.Kind.SCREENING_ATTACHED, actor=actor, detail={"screening": screening.pk})
    return screening
