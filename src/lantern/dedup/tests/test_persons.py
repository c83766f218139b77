"""Persons from pairs: merges, keep-aparts and undos change `person_ids`; keys stay stable; one query."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lantern.audit.models import AuditRecord
from lantern.authz.gate import Denied
from lantern.dedup import services
from lantern.dedup.clusters import group_persons, person_keys, proposal
from lantern.dedup.models import Band, MatchPair, PairReview, Verdict
from lantern.dedup.persons import person_ids

from .factories import pair_of, person_case

# The pure part ------------------------------------------------------------------------------------------


def test_a_keep_apart_holds_against_a_chain_of_automatic_links() -> None:
    grouping = group_persons([(1, 2, 0.999), (2, 3, 0.995)], merged=[], apart=[(1, 3)], threshold=0.99)
    assert grouping.groups == [[1, 2]] and grouping.blocked_links == 1


def test_merges_join_persons_the_linkage_left_apart() -> None:
    grouping = group_persons([(1, 2, 0.999)], merged=[(2, 5)], apart=[], threshold=0.99)
    assert grouping.groups == [[1, 2, 5]]


def test_a_person_keeps_the_key_most_of_its_cases_had() -> None:
    keys = person_keys([[3, 4, 9]], {3: "person-1", 4: "person-1", 9: "person-7"})
    assert keys == {3: "person-1", 4: "person-1", 9: "person-1"}


def test_a_new_person_is_named_after_its_first_case_and_keys_are_never_shared() -> None:
    keys = person_keys([[1, 2], [5, 6]], {1: "person-5", 5: "person-5"})
    assert keys[1] == keys[2] == "person-5"  # equal groups: the one with the lower case ids chooses first
    assert keys[5] == keys[6] == "person-5-2"


def test_a_probable_pair_whose_names_agree_is_linked() -> None:
    same = {"given_name": 0, "family_name": 1, "date_of_birth": 1, "sex": 0}
    assert proposal(0.995, same, 0.5, 0.99) == "linked"
    assert proposal(0.95, same, 0.5, 0.99) == "review"
    assert proposal(0.4, same, 0.5, 0.99) is None


def test_a_probability_alone_never_links_persons_whose_family_names_or_dates_differ() -> None:
    married = {"given_name": 0, "family_name": 4, "date_of_birth": 0}
    assert proposal(0.9999, married, 0.5, 0.99) == "review"
    other_birthday = {"given_name": 0, "family_name": 0, "date_of_birth": 6}
    assert proposal(0.9999, other_birthday, 0.5, 0.99) == "review"


def test_a_pair_agreeing_on_one_identifier_only_is_dropped() -> None:
    namesakes = {"given_name": 1, "family_name": 4, "date_of_birth": 6, "sex": 0, "citizenship": 0}
    assert proposal(0.9999, namesakes, 0.5, 0.99) is None
    same_year_only = {"given_name": 0, "family_name": 4, "date_of_birth": 5}
    assert proposal(0.9999, same_year_only, 0.5, 0.99) is None


# With the database --------------------------------------------------------------------------------------


@pytest.fixture
def three(personas: Any, nrm: Any) -> list[Any]:
    return [person_case(personas.own_org, nrm, given_names="A", family_name=str(n)) for n in range(3)]


@pytest.mark.django_db
def test_same_person_joins_two_cases_and_undo_separates_them(three: list[Any], decider: Any) -> None:
    first, second, _third = three
    pair = pair_of(first, second)
    assert person_ids([first.pk, second.pk]) == {first.pk: f"case-{first.pk}", second.pk: f"case-{second.pk}"}
    services.mark_same_person(actor=decider, pair=pair, reason="Same passport")
    keys = person_ids([first.pk, second.pk])
    assert keys[first.pk] == keys[second.pk] == f"person-{first.pk}"
    services.undo_decision(actor=decider, pair=pair)
    assert person_ids([first.pk, second.pk])[first.pk] == f"case-{first.pk}"
    assert list(PairReview.objects.values_list("action", flat=True)) == ["same", "undo"]


@pytest.mark.django_db
def test_different_persons_splits_an_automatic_link_and_undo_restores_it(
    three: list[Any], decider: Any
) -> None:
    first, second, _third = three
    pair = pair_of(first, second, probability=0.999, band=Band.LINKED)
    services.refresh_persons()
    assert len(set(person_ids([first.pk, second.pk]).values())) == 1
    services.mark_different_persons(actor=decider, pair=pair, reason="Different mothers' names")
    assert len(set(person_ids([first.pk, second.pk]).values())) == 2
    services.undo_decision(actor=decider, pair=pair)
    assert len(set(person_ids([first.pk, second.pk]).values())) == 1


@pytest.mark.django_db
def test_a_decided_pair_cannot_be_decided_again_without_undo(three: list[Any], decider: Any) -> None:
    pair = pair_of(three[0], three[1])
    services.mark_same_person(actor=decider, pair=pair)
    with pytest.raises(ValidationError):
        services.mark_different_persons(actor=decider, pair=pair)
    with pytest.raises(ValidationError):
        services.undo_decision(actor=decider, pair=services.undo_decision(actor=decider, pair=pair))
    assert MatchPair.objects.get(pk=pair.pk).decision == ""


@pytest.mark.django_db
def test_undoing_a_decision_on_a_pair_no_longer_proposed_puts_it_back_in_review(
    three: list[Any], decider: Any
) -> None:
    pair = pair_of(three[0], three[1], band=Band.BELOW, decision=Verdict.DIFFERENT)
    assert services.undo_decision(actor=decider, pair=pair).band == Band.REVIEW


@pytest.mark.django_db
def test_decisions_are_audited_with_the_reviewer(three: list[Any], decider: Any) -> None:
    pair = pair_of(three[0], three[1])
    services.mark_same_person(actor=decider, pair=pair, reason="Same passport")
    entry = AuditRecord.objects.get(object_type="dedup.matchpair", action=AuditRecord.Action.UPDATE)
    assert entry.actor == decider and entry.object_id == str(pair.pk) and "decision" in entry.fields
    assert entry.detail["action"] == "same" and entry.detail["cases"] == [pair.left_id, pair.right_id]
    assert "Same passport" not in str(entry.detail)


@pytest.mark.django_db
def test_only_a_reviewer_who_sees_both_cases_may_decide(
    three: list[Any], decider: Any, personas: Any
) -> None:
    from lantern.accounts.roles import Role

    hidden = person_case(
        personas.other_org, given_names="B", family_name="C"
    )  # not referred to the authority
    with pytest.raises(Denied):
        services.mark_same_person(actor=decider, pair=pair_of(three[0], hidden))
    with pytest.raises(Denied):
        services.mark_same_person(actor=personas.own[Role.CASE_WORKER], pair=pair_of(three[0], three[1]))


@pytest.mark.django_db
def test_person_ids_is_one_query_however_many_cases(
    three: list[Any], decider: Any, django_assert_num_queries: Any
) -> None:
    services.mark_same_person(actor=decider, pair=pair_of(three[0], three[1]))
    ids = [case.pk for case in three] + list(range(10_000, 13_000))
    with django_assert_num_queries(1):
        keys = person_ids(ids[:3])
    with django_assert_num_queries(1):
        many = person_ids(ids)
    assert keys[three[0].pk] == keys[three[1].pk] != keys[three[2].pk] == f"case-{three[2].pk}"
    assert len(many) == len(ids) and many[10_000] == "case-10000" and many[three[1].pk] == keys[three[1].pk]
    assert person_ids([]) == {}


@pytest.mark.django_db
def test_erasing_a_case_clears_the_reasons_written_about_its_pairs_but_keeps_the_person(
    three: list[Any], decider: Any
) -> None:
    from lantern.records.retention import anonymise_case

    first, second, third = three
    services.mark_same_person(actor=decider, pair=pair_of(first, second), reason="Same passport P123")
    services.mark_different_persons(actor=decider, pair=pair_of(first, third), reason="Other mother")
    anonymise_case(second)
    reasons = dict(PairReview.objects.values_list("pair__right_id", "reason"))
    assert reasons == {second.pk: "", third.pk: "Other mother"}
    keys = person_ids([first.pk, second.pk])
    assert keys[first.pk] == keys[second.pk]
