"""The lawyer-assignment page states legal aid's condition (issue #14, High item 4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_assignment_page_says_legal_aid_is_free_under_conditions(
    open_case: Any, worker: Any, login_client: Any
) -> None:
    body = login_client(worker).get(reverse("legal:assign_lawyer", args=[open_case().pk])).content.decode()
    assert "free legal aid (" not in body
    assert "lack sufficient resources" in body and "art. 12(2)" in body
