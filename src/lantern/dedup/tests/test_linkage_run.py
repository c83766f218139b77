"""A linkage run over a fixed set of cases with known answers, and what reruns keep."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.audit.models import AuditRecord
from lantern.dedup import services
from lantern.dedup.models import Band, LinkageRun, MatchPair, PersonMembership, Verdict
from lantern.dedup.persons import person_ids

from .conftest import EXPECTED_PERSONS, PEOPLE

pytestmark = pytest.mark.django_db


def persons_found(people: dict[str, Any]) -> list[set[str]]:
    names = {case.pk: key for key, case in people.items()}
    keys = person_ids(names)
    groups: dict[str, set[str]] = {}
    for case_id, key in keys.items():
        groups.setdefault(key, set()).add(names[case_id])
    return sorted((group for group in groups.values() if len(group) > 1), key=sorted)


def review_pair(people: dict[str, Any]) -> MatchPair:
    return MatchPair.objects.get(band=Band.REVIEW)


def test_the_run_finds_the_same_person_across_alphabets_swapped_names_partial_dates_and_aliases(
    people: dict[str, Any],
) -> None:
    run = services.run_linkage()
    assert persons_found(people) == sorted(EXPECTED_PERSONS, key=sorted)
    assert run.cases == len(PEOPLE) and run.records == len(PEOPLE) + 1  # one usable alias
    assert run.persons == len(EXPECTED_PERSONS)


def test_an_uncertain_pair_goes_to_the_review_queue_and_stays_two_persons(people: dict[str, Any]) -> None:
    services.run_linkage()
    pair = review_pair(people)
    assert {pair.left_id, pair.right_id} == {people["amina"].pk, people["amina_other"].pk}
    assert services.LOWER_THRESHOLD <= pair.probability < services.UPPER_THRESHOLD
    assert pair.levels["given_name"] == 0 and pair.levels["date_of_birth"] > 0
    keys = person_ids([people["amina"].pk, people["amina_other"].pk])
    assert keys == {
        people["amina"].pk: f"case-{people['amina'].pk}",
        people["amina_other"].pk: f"case-{people['amina_other'].pk}",
    }


def test_different_people_with_a_shared_family_name_are_not_paired(people: dict[str, Any]) -> None:
    services.run_linkage()
    ids = {people["amina"].pk, people["blessing"].pk}
    assert not MatchPair.objects.filter(left_id__in=ids, right_id__in=ids).exists()


def test_pairs_hold_case_ids_and_levels_only_never_names(people: dict[str, Any]) -> None:
    services.run_linkage()
    stored = " ".join(str(row) for row in MatchPair.objects.values_list("levels", "band", "decision"))
    stored += " ".join(PersonMembership.objects.values_list("person_key", flat=True))
    for key in ("Mohammed", "Natalia", "Okafor", "Karimi", "محمد"):
        assert key not in stored


def test_a_rerun_on_unchanged_cases_changes_nothing(people: dict[str, Any]) -> None:
    services.run_linkage()
    before = list(MatchPair.objects.order_by("pk").values("pk", "probability", "band", "levels", "scored_at"))
    keys = person_ids([case.pk for case in people.values()])
    run = services.run_linkage()
    after = list(MatchPair.objects.order_by("pk").values("pk", "probability", "band", "levels", "scored_at"))
    assert after == before and person_ids([case.pk for case in people.values()]) == keys
    assert run.removed == 0 and LinkageRun.objects.count() == 2


def test_a_rerun_keeps_a_merge_and_a_keep_apart(people: dict[str, Any], decider: Any) -> None:
    services.run_linkage()
    services.mark_same_person(actor=decider, pair=review_pair(people), reason="Same passport number")
    linked = MatchPair.objects.get(left=people["fatima"], right=people["fatma"])
    services.mark_different_persons(actor=decider, pair=linked, reason="Sisters")
    services.run_linkage()
    keys = person_ids([people[name].pk for name in ("amina", "amina_other", "fatima", "fatma")])
    assert keys[people["amina"].pk] == keys[people["amina_other"].pk]
    assert keys[people["fatima"].pk] != keys[people["fatma"].pk]
    assert MatchPair.objects.get(pk=linked.pk).decision == Verdict.DIFFERENT


def test_a_pair_no_longer_proposed_is_forgotten_unless_decided(people: dict[str, Any], decider: Any) -> None:
    services.run_linkage()
    ahmad, lana = people["ahmad"], people["lana"]
    services.mark_different_persons(actor=decider, pair=MatchPair.objects.get(right=lana))
    for case, name in ((ahmad, "Zoran"), (lana, "Petra")):
        case.given_names, case.family_name = name, "Novak"
        case.save()
    run = services.run_linkage()
    assert run.removed == 1
    assert not MatchPair.objects.filter(right=ahmad).exists()
    kept = MatchPair.objects.get(right=lana)
    assert kept.band == Band.BELOW and kept.decision == Verdict.DIFFERENT


def test_the_run_is_audited_as_a_system_operation_without_personal_values(people: dict[str, Any]) -> None:
    run = services.run_linkage()
    entry = AuditRecord.objects.get(action=AuditRecord.Action.SYSTEM, object_type="dedup.linkagerun")
    assert entry.object_id == str(run.pk) and entry.actor is None and entry.actor_label == "dedup"
    assert entry.detail["persons"] == len(EXPECTED_PERSONS) and "family_name" in entry.fields
    assert "Okafor" not in str(entry.detail)


def test_a_person_may_run_the_linkage_only_with_dedup_run(
    people: dict[str, Any], decider: Any, personas: Any
) -> None:
    from lantern.accounts.roles import Role
    from lantern.authz.gate import Denied

    with pytest.raises(Denied):
        services.run_linkage(actor=personas.own[Role.CASE_WORKER])
    run = services.run_linkage(actor=decider)
    assert run.started_by == decider
