"""The list of reactions (`lantern.cases.reactions`) names functions that exist: a reaction is named by its
dotted path, so a renamed or moved function must fail here, not be skipped in production."""

from __future__ import annotations

import inspect

import pytest
from django.utils.module_loading import import_string

from lantern.cases import reactions

LISTS = {
    "CASE_COUNTED": 1,  # (case_ids)
    "CASE_CLOSED": 1,  # (case)
    "CONSENT_REVOKED": 1,  # (consent)
    "CASE_ERASED": 2,  # (case, erasure)
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_reaction_is_an_installed_function_taking_what_its_event_passes(name: str) -> None:
    paths = getattr(reactions, name)
    assert paths
    for path in paths:
        assert reactions._installed(path), path
        function = import_string(path)
        assert callable(function), path
        inspect.signature(function).bind(*range(LISTS[name]))  # raises TypeError if it cannot take them
