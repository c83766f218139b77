"""Everything held about a person: the case and every row that hangs off it, in any installed app.

Found by walking reverse foreign keys from `Case` (consents, events, decisions, access grants, the legal
track and its hearings, documents, and — when those apps are installed — referrals, support plans,
screenings …). Retention erases along this walk and the subject-access export reads along it, so a new app
that attaches to a case by a foreign key is covered without changes here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models

from lantern.cases.models import Case

MAX_DEPTH = 3


@dataclass(frozen=True)
class Holding:
    model: type[models.Model]
    lookup: str  # from the model to the case, e.g. "proceeding__case"

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def rows_of(self, case: Case) -> models.QuerySet:
        return self.model._base_manager.filter(**{self.lookup: case}).order_by("pk")


def _skipped(model: type[models.Model]) -> bool:
    # The retention schedule is about the case, not the person, and must survive erasure.
    return model._meta.label_lower in {"records.retentionschedule"}


def holdings() -> list[Holding]:
    """Every model whose rows belong to one case, nearest first (each model once)."""
    found: list[Holding] = []
    seen: set[type[models.Model]] = {Case}
    frontier: list[tuple[type[models.Model], str]] = [(Case, "")]
    for _depth in range(MAX_DEPTH):
        following: list[tuple[type[models.Model], str]] = []
        for parent, path in frontier:
            for relation in _reverse_relations(parent):
                model = relation.related_model
                if model in seen or _skipped(model):
                    continue
                seen.add(model)
                lookup = relation.field.name + (f"__{path}" if path else "")
                found.append(Holding(model, lookup))
                following.append((model, lookup))
        frontier = following
    return found


def _reverse_relations(model: type[models.Model]) -> Iterator[models.ForeignObjectRel]:
    for relation in model._meta.related_objects:
        if relation.many_to_many or not isinstance(relation.field, models.ForeignKey):
            continue
        if relation.related_model._meta.abstract or relation.related_model._meta.proxy:
            continue
        yield relation
