"""The rules of the case services: opening, referral, stage steps, decisions — and nothing half-saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lantern.accounts.roles import Role
from lantern.authz.gate import Denied
from lantern.cases import services
from lantern.cases.models import Case, CaseEvent, Decision
from lantern.cases.tests.factories import decision_maker

pytestmark = pytest.mark.django_db


def test_opening_a_case_starts_at_the_profiles_first_stage_with_a_timeline(
    open_case: Any, worker: Any
) -> None:
    case = open_case(profile="uk-style")
    assert (case.profile, case.stage, case.case_worker) == ("uk-style", "identified", worker)
    assert case.reference.startswith("LT-")
    assert list(case.events.values_list("kind", flat=True)) == [CaseEvent.Kind.CREATED]


def test_the_default_profile_follows_the_organisations_country(
    open_case: Any, worker: Any, today: Any
) -> None:
    case = services.create_case(actor=worker, data={"identified_on": today})
    assert case.profile == "greece-style"  # the own organisation is in Greece


def test_identifying_fields_are_encrypted_and_the_family_name_searchable(open_case: Any) -> None:
    from django.db import connection

    from lantern.crypto.fields import blind_index_for

    case = open_case(family_name="Okafor")
    with connection.cursor() as cursor:
        cursor.execute("SELECT family_name FROM cases_case WHERE id = %s", [case.pk])
        assert "Okafor" not in cursor.fetchone()[0]
    digest = blind_index_for(Case, "family_name_index", "okafor ")
    assert Case.objects.filter(family_name_index=digest).get() == case


def test_a_date_of_birth_in_the_future_is_a_field_error_and_nothing_is_saved(
    open_case: Any, today: dt.date
) -> None:
    with pytest.raises(ValidationError) as caught:
        open_case(date_of_birth=today + dt.timedelta(days=1))
    assert "date_of_birth" in caught.value.message_dict
    assert not Case.objects.exists() and not CaseEvent.objects.exists()


def test_identification_before_birth_is_a_field_error(open_case: Any, today: dt.date) -> None:
    with pytest.raises(ValidationError) as caught:
        open_case(date_of_birth=today - dt.timedelta(days=100), days_ago=200)
    assert "identified_on" in caught.value.message_dict


def test_age_unknown_and_appearance_of_a_minor_is_treated_as_a_child_until_assessed(
    open_case: Any, worker: Any, today: dt.date
) -> None:
    case = open_case(appears_minor=True)
    assert case.treated_as_child and case.presumed_minor
    services.update_case(actor=worker, case=case, changes={"estimated_age": 25, "age_assessed_on": today})
    assert not Case.objects.get(pk=case.pk).treated_as_child


def test_referral_of_an_adult_without_consent_is_refused(open_case: Any, worker: Any, nrm: Any) -> None:
    case = open_case()
    with pytest.raises(ValidationError, match="not consented"):
        services.refer_to_nrm(actor=worker, case=case, authority=nrm)
    case.refresh_from_db()
    assert case.stage == "identified" and case.referred_to is None


def test_uk_refusal_mentions_the_anonymous_notification(open_case: Any, worker: Any, nrm: Any) -> None:
    with pytest.raises(ValidationError, match="anonymous notification"):
        services.refer_to_nrm(actor=worker, case=open_case(profile="uk-style"), authority=nrm)


def test_referral_with_consent_moves_the_case_and_starts_the_uk_target(
    open_case: Any, refer: Any, nrm: Any
) -> None:
    case = refer(open_case(profile="uk-style"))
    assert (case.stage, case.referred_to) == ("referred", nrm)
    assert case.target_due_on is not None and case.target_due_on.weekday() < 5
    assert case.events.filter(kind=CaseEvent.Kind.REFERRED, to_stage="referred").exists()


def test_a_child_is_referred_without_consent_in_their_best_interests(
    open_case: Any, worker: Any, nrm: Any
) -> None:
    case = open_case(appears_minor=True)
    with pytest.raises(ValidationError) as caught:
        services.refer_to_nrm(actor=worker, case=case, authority=nrm)
    assert "best_interests_note" in caught.value.message_dict
    services.refer_to_nrm(actor=worker, case=case, authority=nrm, best_interests_note="Needs protection now.")
    assert case.stage == "referred"
    assert case.consents.get().basis == "best_interests"


def test_only_an_nrm_authority_can_receive_a_referral(
    open_case: Any, refer: Any, worker: Any, personas: Any
) -> None:
    case = open_case()
    with pytest.raises(ValidationError) as caught:
        services.refer_to_nrm(actor=worker, case=case, authority=personas.other_org)
    assert "authority" in caught.value.message_dict


def test_the_case_worker_cannot_take_the_authoritys_step(open_case: Any, refer: Any, worker: Any) -> None:
    case = refer(open_case())
    with pytest.raises(ValidationError, match="competent authority takes this step"):
        services.advance_stage(actor=worker, case=case, to_stage="reasonable_grounds")


def test_a_step_skipping_the_decision_is_refused(open_case: Any, refer: Any, decider: Any) -> None:
    case = refer(open_case())
    services.advance_stage(actor=decider, case=case, to_stage="reasonable_grounds")
    with pytest.raises(ValidationError, match="record a positive decision"):
        services.advance_stage(actor=decider, case=case, to_stage="recovery_reflection")
    assert Case.objects.get(pk=case.pk).stage == "reasonable_grounds"


@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.NRM_DECISION_MAKER])
def test_only_the_nrm_decision_maker_may_decide(
    open_case: Any, refer: Any, decider: Any, personas: Any, role: str, today: dt.date
) -> None:
    case = refer(open_case())
    services.advance_stage(actor=decider, case=case, to_stage="reasonable_grounds")
    with pytest.raises(Denied):
        services.record_decision(
            actor=personas.own[role], case=case, outcome="positive", decided_on=today, reasons="Indicators."
        )
    assert not Decision.objects.exists()


def test_a_decision_maker_of_another_authority_may_not_decide(
    open_case: Any, refer: Any, decider: Any, today: dt.date
) -> None:
    from lantern.cases.tests.factories import authority

    case = refer(open_case())
    services.advance_stage(actor=decider, case=case, to_stage="reasonable_grounds")
    stranger = decision_maker(authority("Another Authority", "FR"), "stranger")
    with pytest.raises(Denied):
        services.record_decision(actor=stranger, case=case, outcome="positive", decided_on=today, reasons="x")


def test_a_positive_decision_starts_the_recovery_period(
    open_case: Any, refer: Any, decider: Any, today: dt.date
) -> None:
    case = refer(open_case())
    services.advance_stage(actor=decider, case=case, to_stage="reasonable_grounds")
    decision = services.record_decision(
        actor=decider, case=case, outcome="positive", decided_on=today, reasons="Credible account."
    )
    case.refresh_from_db()
    assert (decision.stage, case.stage) == ("reasonable_grounds", "recovery_reflection")
    assert case.period_ends_on == today + dt.timedelta(days=30)


def test_a_negative_decision_can_be_appealed_and_reversed(
    open_case: Any, refer: Any, decider: Any, worker: Any, today: dt.date
) -> None:
    case = refer(open_case())
    services.advance_stage(actor=decider, case=case, to_stage="reasonable_grounds")
    services.record_decision(
        actor=decider, case=case, outcome="negative", decided_on=today, reasons="Not enough."
    )
    services.advance_stage(actor=worker, case=case, to_stage="reasonable_grounds_appeal")
    appeal = services.record_decision(
        actor=decider, case=case, outcome="positive", decided_on=today, reasons="New evidence."
    )
    assert appeal.is_appeal and case.stage == "recovery_reflection"


def test_decision_reasons_and_date_are_required(open_case: Any, refer: Any, decider: Any) -> None:
    case = refer(open_case())
    services.advance_stage(actor=decider, case=case, to_stage="reasonable_grounds")
    with pytest.raises(ValidationError) as caught:
        services.record_decision(actor=decider, case=case, outcome="positive", decided_on=None, reasons=" ")
    assert {"reasons", "decided_on"} <= set(caught.value.message_dict)


def test_a_decision_dated_in_the_future_is_refused(
    open_case: Any, refer: Any, decider: Any, today: Any
) -> None:
    case = refer(open_case())
    services.advance_stage(actor=decider, case=case, to_stage="reasonable_grounds")
    with pytest.raises(ValidationError) as caught:
        services.record_decision(
            actor=decider, case=case, outcome="positive", decided_on=today + dt.timedelta(days=2), reasons="x"
        )
    assert "decided_on" in caught.value.message_dict


def test_uk_conclusive_grounds_cannot_be_decided_before_the_recovery_period_ends(
    open_case: Any, refer: Any, decider: Any, today: dt.date
) -> None:
    case = refer(open_case(profile="uk-style", days_ago=60), days_ago=50)
    services.advance_stage(
        actor=decider, case=case, to_stage="reasonable_grounds", on=today - dt.timedelta(days=49)
    )
    services.record_decision(
        actor=decider,
        case=case,
        outcome="positive",
        decided_on=today - dt.timedelta(days=45),
        reasons="Reasonable grounds.",
    )
    with pytest.raises(ValidationError, match="lasts at least 30 days"):
        services.advance_stage(
            actor=decider, case=case, to_stage="conclusive_grounds", on=today - dt.timedelta(days=20)
        )
    services.advance_stage(
        actor=decider, case=case, to_stage="conclusive_grounds", on=today - dt.timedelta(days=15)
    )
    services.record_decision(
        actor=decider, case=case, outcome="positive", decided_on=today, reasons="Conclusive."
    )
    assert case.stage == "move_on"


def test_the_person_may_withdraw_and_the_case_worker_closes_the_case(
    open_case: Any, refer: Any, worker: Any, today: dt.date
) -> None:
    case = refer(open_case())
    services.advance_stage(actor=worker, case=case, to_stage="closed", note="The person withdrew.")
    assert (case.stage, case.closed_on) == ("closed", today)
    with pytest.raises(ValidationError, match="closed"):
        services.advance_stage(actor=worker, case=case, to_stage="identified")
