"""Turning a pair into what the review pages show: field agreement in words, identities side by side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from lantern.cases.presenters import _display
from lantern.linkage.compare import COMPARISONS

from .models import MatchPair

COMPARISON_LABELS = {
    "given_name": _("Given names"),
    "family_name": _("Family name"),
    "date_of_birth": _("Date of birth or estimated year"),
    "sex": _("Sex"),
    "citizenship": _("Citizenship"),
}
# Rows of the side-by-side comparison: (field group, case field, label).
SIDE_BY_SIDE = (
    ("identity", "given_names", _("Given names")),
    ("identity", "family_name", _("Family name")),
    ("identity", "aliases", _("Other names and aliases")),
    ("identity", "date_of_birth", _("Date of birth")),
    ("identity", "estimated_age", _("Estimated age")),
    ("identity", "sex", _("Sex")),
    ("background", "citizenships", _("Citizenships")),
)
_LEVEL_COUNTS = {comparison.name: len(comparison.levels) for comparison in COMPARISONS}


@dataclass(frozen=True)
class Agreement:
    label: Any
    verdict: Any
    tag: str  # a CSS class of the tag


def agreement_word(name: str, level: int | None) -> tuple[Any, str]:
    if level is None:
        return _("Not recorded on both"), "tag-grey"
    if level == 0:
        return _("Same"), "tag-green"
    if level >= _LEVEL_COUNTS.get(name, 2) - 1:
        return _("Different"), "tag-red"
    return _("Similar"), ""


def agreements(pair: MatchPair) -> list[Agreement]:
    """Which compared fields agree, in words (no values: safe for every row of the queue)."""
    rows = []
    for name, label in COMPARISON_LABELS.items():
        verdict, tag = agreement_word(name, pair.levels.get(name))
        rows.append(Agreement(label=label, verdict=verdict, tag=tag))
    return rows


def side_by_side(pair: MatchPair, groups: frozenset[str]) -> list[tuple[Any, str, str]]:
    """(label, left value, right value) for the fields of the groups the reviewer may see of both cases."""
    return [
        (label, _display(pair.left, name), _display(pair.right, name))
        for group, name, label in SIDE_BY_SIDE
        if group in groups
    ]


def fields_shown(groups: frozenset[str]) -> list[str]:
    """The case fields :func:`side_by_side` shows for these groups (what the read audit names)."""
    return [name for group, name, _label in SIDE_BY_SIDE if group in groups]
