"""End to end in Chromium: a coordinator reviews an uncertain pair, merges it in place (htmx), undoes it."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.accounts.tests.factories import TEST_PASSWORD
from lantern.dedup import services
from lantern.dedup.models import Band, MatchPair
from lantern.dedup.persons import person_ids
from lantern.web.tests.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_an_uncertain_pair_merge_it_and_undo(page: Any, decider: Any, people: dict[str, Any]) -> None:
    services.run_linkage()
    pair = MatchPair.objects.get(band=Band.REVIEW)
    sign_in(page, decider, TEST_PASSWORD)
    page.goto("/dedup/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Pair {pair.pk}").click()
    assert "Okafor" in page.locator("table").inner_text()
    assert_accessible(page)
    page.get_by_label("Same person").check()
    page.get_by_label("Reason").fill("Same passport number")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("button", name="Undo the decision").wait_for()
    assert "Same passport number" in page.locator("#decision").inner_text()
    assert_accessible(page)
    keys = person_ids([pair.left_id, pair.right_id])
    assert keys[pair.left_id] == keys[pair.right_id]
    page.get_by_role("button", name="Undo the decision").click()
    page.get_by_role("button", name="Record the decision").wait_for()
    keys = person_ids([pair.left_id, pair.right_id])
    assert keys[pair.left_id] != keys[pair.right_id]
    page.goto("/dedup/?queue=linked")
    assert_accessible(page)
