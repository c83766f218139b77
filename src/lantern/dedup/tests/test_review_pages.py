"""The review queue pages: who may use them, what they show (and audit), decisions that act once, outsiders
getting 404, pinned query counts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord
from lantern.cases.tests.factories import authority, decision_maker
from lantern.dedup import services
from lantern.dedup.models import Band, LinkageRun, MatchPair, Verdict
from lantern.dedup.persons import person_ids
from lantern.web.idempotency import new_key

from .factories import pair_of, person_case

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def linked(people: dict[str, Any]) -> dict[str, Any]:
    services.run_linkage()
    return people


@pytest.fixture
def uncertain(linked: dict[str, Any]) -> MatchPair:
    return MatchPair.objects.get(band=Band.REVIEW)


def test_the_decision_maker_sees_the_uncertain_pair_with_the_fields_that_agree(
    login_client: Any, decider: Any, linked: dict[str, Any], uncertain: MatchPair
) -> None:
    body = text(login_client(decider).get(reverse("dedup:queue")))
    assert reverse("dedup:pair", args=[uncertain.pk]) in body
    assert linked["amina"].reference in body and "Different" in body and "1 pair" in body
    assert "Okafor" not in body  # the list shows no names


@pytest.mark.parametrize("role", [role.value for role in Role if role != Role.NRM_DECISION_MAKER])
def test_other_roles_may_not_open_the_queue(login_client: Any, personas: Any, role: str) -> None:
    client = login_client(personas.own[role])
    assert client.get(reverse("dedup:queue")).status_code == 403


def test_pairs_with_a_case_the_reviewer_cannot_see_are_counted_not_shown(
    login_client: Any, decider: Any, personas: Any, nrm: Any
) -> None:
    seen = person_case(personas.own_org, nrm, given_names="Rana", family_name="Haddad")
    unseen = person_case(personas.other_org, given_names="Rana", family_name="Hadad")  # not referred to nrm
    hidden = pair_of(seen, unseen)
    body = text(login_client(decider).get(reverse("dedup:queue")))
    # One hidden pair is never told exactly: "fewer than 5", or nothing when the noise takes it to 0.
    assert "1 pair in this list involves cases you cannot see" not in body
    assert "Fewer than 5 pairs in this list involve cases you cannot see" in body or "cannot see" not in body
    assert reverse("dedup:pair", args=[hidden.pk]) not in body and unseen.reference not in body


def test_hidden_pairs_are_counted_in_the_reviewers_country_only_and_perturbed_consistently(
    login_client: Any, decider: Any, personas: Any, nrm: Any
) -> None:
    """The review found the count told exactly about cases elsewhere: now pairs wholly abroad are not
    counted, and the count is perturbed (cell-key method, at most 2 off), the same on every request."""
    abroad = authority("Autorité nationale", "FR")
    for i in range(4):  # pairs of two French cases: not the Greek reviewer's business
        pair_of(person_case(personas.other_org, abroad), person_case(personas.other_org, given_names=f"F{i}"))
    client = login_client(decider)
    assert "cannot see" not in text(client.get(reverse("dedup:queue")))
    seen = person_case(personas.own_org, nrm, given_names="Rana", family_name="Haddad")
    for i in range(9):
        pair_of(seen, person_case(personas.other_org, given_names=f"R{i}"))
    first, again = (text(client.get(reverse("dedup:queue"))) for _i in range(2))
    shown = re.search(r"(\d+) pairs in this list involve cases you cannot see", first)
    assert shown is not None and abs(int(shown.group(1)) - 9) <= 2
    assert shown.group(0) in again  # the same noise every time: repeating does not average it away


def test_an_outsider_gets_404_for_a_pair_and_its_buttons(
    login_client: Any, linked: dict[str, Any], uncertain: MatchPair
) -> None:
    outsider = decision_maker(authority("Another Authority", "FR"), username="outsider")
    client = login_client(outsider)
    assert client.get(reverse("dedup:pair", args=[uncertain.pk])).status_code == 404
    data = {"verdict": Verdict.SAME, "reason": "", "idempotency_key": new_key()}
    assert client.post(reverse("dedup:decide", args=[uncertain.pk]), data).status_code == 404
    assert client.post(reverse("dedup:undo", args=[uncertain.pk]), {}).status_code == 404
    assert MatchPair.objects.get(pk=uncertain.pk).decision == ""
    assert AuditRecord.objects.filter(action=AuditRecord.Action.DENIED, object_id=str(uncertain.pk)).exists()


def test_the_pair_page_shows_both_identities_and_audits_the_read_of_both_cases(
    login_client: Any, decider: Any, linked: dict[str, Any], uncertain: MatchPair
) -> None:
    body = text(login_client(decider).get(reverse("dedup:pair", args=[uncertain.pk])))
    assert body.count("Okafor") >= 2 and "1991" in body and "1988" in body
    reads = AuditRecord.objects.filter(
        action=AuditRecord.Action.VIEW, actor=decider, object_type="cases.case"
    )
    assert set(reads.values_list("object_id", flat=True)) == {str(uncertain.left_id), str(uncertain.right_id)}
    assert all("family_name" in entry.fields and "contact" not in entry.fields for entry in reads)


def test_same_person_then_undo_from_the_page(
    login_client: Any, decider: Any, linked: dict[str, Any], uncertain: MatchPair
) -> None:
    client = login_client(decider)
    ids = [uncertain.left_id, uncertain.right_id]
    data = {"verdict": Verdict.SAME, "reason": "Same passport number", "idempotency_key": new_key()}
    response = client.post(reverse("dedup:decide", args=[uncertain.pk]), data)
    assert response.status_code == 302
    assert len(set(person_ids(ids).values())) == 1
    body = text(client.get(response["Location"]))
    assert "Same passport number" in body and "Undo the decision" in body
    client.post(reverse("dedup:undo", args=[uncertain.pk]), {"reason": "", "idempotency_key": new_key()})
    assert len(set(person_ids(ids).values())) == 2
    assert MatchPair.objects.get(pk=uncertain.pk).decision == ""


def test_a_double_click_decides_once(
    login_client: Any, decider: Any, linked: dict[str, Any], uncertain: MatchPair
) -> None:
    client = login_client(decider)
    data = {"verdict": Verdict.DIFFERENT, "reason": "", "idempotency_key": new_key()}
    first = client.post(reverse("dedup:decide", args=[uncertain.pk]), data)
    second = client.post(reverse("dedup:decide", args=[uncertain.pk]), data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert uncertain.reviews.count() == 1


def test_a_decision_without_a_verdict_shows_the_error_next_to_the_choice(
    login_client: Any, decider: Any, linked: dict[str, Any], uncertain: MatchPair
) -> None:
    response = login_client(decider).post(
        reverse("dedup:decide", args=[uncertain.pk]), {"reason": "", "idempotency_key": new_key()}
    )
    assert response.status_code == 200 and "Choose whether the two cases are the same person." in text(
        response
    )
    assert MatchPair.objects.get(pk=uncertain.pk).decision == ""


def test_with_htmx_a_decision_swaps_in_the_decision_panel_only(
    login_client: Any, decider: Any, linked: dict[str, Any], uncertain: MatchPair
) -> None:
    data = {"verdict": Verdict.SAME, "reason": "", "idempotency_key": new_key()}
    response = login_client(decider).post(
        reverse("dedup:decide", args=[uncertain.pk]), data, HTTP_HX_REQUEST="true"
    )
    body = text(response)
    assert response.status_code == 200 and body.startswith('<section id="decision"')
    assert "Undo the decision" in body and "the two cases are the same person" in body
    assert "<html" not in body and "Okafor" not in body


def test_with_htmx_a_double_clicked_decision_is_recorded_once_and_both_get_the_panel(
    login_client: Any, decider: Any, linked: dict[str, Any], uncertain: MatchPair
) -> None:
    client = login_client(decider)
    data = {"verdict": Verdict.SAME, "reason": "", "idempotency_key": new_key()}
    url = reverse("dedup:decide", args=[uncertain.pk])
    first, second = (client.post(url, data, HTTP_HX_REQUEST="true") for _ in range(2))
    for response in (first, second):  # a redirect would make htmx swap a whole page into the panel
        assert response.status_code == 200 and text(response).startswith('<section id="decision"')
        assert "Undo the decision" in text(response)
    assert MatchPair.objects.get(pk=uncertain.pk).decision == Verdict.SAME and uncertain.reviews.count() == 1


def test_the_decision_maker_may_run_the_linkage_from_the_queue(
    login_client: Any, decider: Any, people: dict[str, Any]
) -> None:
    client = login_client(decider)
    assert "Run the linkage now" in text(client.get(reverse("dedup:queue")))
    response = client.post(reverse("dedup:run"), {"idempotency_key": new_key()})
    assert response.status_code == 302 and LinkageRun.objects.get().started_by == decider
    assert MatchPair.objects.filter(band=Band.REVIEW).count() == 1


def test_the_queue_query_count_does_not_grow_with_the_pairs(
    login_client: Any, decider: Any, personas: Any, nrm: Any, django_assert_max_num_queries: Any
) -> None:
    def add_pairs(count: int) -> None:
        for n in range(count):
            pair_of(
                person_case(personas.own_org, nrm, given_names="A", family_name=f"X{n}"),
                person_case(personas.other_org, nrm, given_names="A", family_name=f"Y{n}"),
            )

    client = login_client(decider)
    add_pairs(2)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("dedup:queue"))
    add_pairs(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "10 pairs" in text(client.get(reverse("dedup:queue")))
