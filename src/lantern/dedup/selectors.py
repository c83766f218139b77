"""Reading the review queue: every query starts from what the gate shows the actor.

A reviewer sees a pair only when both of its cases are visible to them (`policies.pairs_reviewable`); the
pairs they cannot see are counted, never listed — only those with a case in the reviewer's country, and under
the statistics' disclosure control (`lantern.insights.disclosure`), so that the count tells nothing about one
case elsewhere. Showing two cases' identities side by side is audited as a
read of both cases (`record_pair_read`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.authz import gate
from lantern.cases.policies import visible_field_groups
from lantern.insights import disclosure

from .models import Band, LinkageRun, MatchPair, PairReview

QUEUES = ("review", "linked", "decided")
QUEUE_CONDITIONS = {
    "review": Q(band=Band.REVIEW, decision=""),
    "linked": Q(band=Band.LINKED, decision=""),
    "decided": ~Q(decision=""),
}
# What a row of the queue needs of each case: its reference and organisation, no personal field.
LIST_FIELDS = (
    "probability",
    "levels",
    "band",
    "decision",
    "decided_at",
    "left__reference",
    "left__organisation__name",
    "right__reference",
    "right__organisation__name",
)


def access_pair(actor: Any, pk: Any) -> MatchPair:
    """One pair whose two cases the actor may see, or NotVisible (404) — missing and forbidden alike."""
    return gate.access(actor, "dedup.review", MatchPair, pk)


def reviewable_pairs(actor: Any) -> QuerySet[MatchPair]:
    return gate.visible(actor, "dedup.review", MatchPair)


def pair_queue(actor: Any, queue: str = "review") -> QuerySet[MatchPair]:
    """The pairs of one queue the actor may review: the most likely matches first."""
    return (
        reviewable_pairs(actor)
        .filter(QUEUE_CONDITIONS[queue])
        .select_related("left__organisation", "right__organisation")
        .only(*LIST_FIELDS)
        .order_by("-probability", "pk")
    )


def hidden_pairs(actor: Any, queue: str = "review") -> int | None:
    """How many pairs of the queue, with a case in the actor's country, involve a case the actor cannot see
    (counted, never shown): perturbed by the cell-key method, None for "fewer than 5" (`disclosure`)."""
    country = actor.organisation.country.code
    in_country = MatchPair.objects.filter(QUEUE_CONDITIONS[queue]).filter(
        Q(left__organisation__country=country) | Q(right__organisation__country=country)
    )
    unseen = in_country.exclude(pk__in=reviewable_pairs(actor).values("pk"))
    hidden = list(unseen.order_by().values_list("pk", flat=True))
    key = disclosure.cell_key(disclosure.record_key("pair", pk) for pk in hidden)
    return disclosure.control_count(len(hidden), key)


def reviews_of(pair: MatchPair) -> QuerySet[PairReview]:
    return pair.reviews.select_related("actor").order_by("at", "pk")


def last_run() -> LinkageRun | None:
    return LinkageRun.objects.filter(finished_at__isnull=False).order_by("-started_at", "-pk").first()


def shown_groups(actor: Any, pair: MatchPair) -> frozenset[str]:
    """The field groups shown side by side: those the actor may see of BOTH cases."""
    return visible_field_groups(actor, pair.left) & visible_field_groups(actor, pair.right)


def record_pair_read(actor: Any, pair: MatchPair, fields: list[str]) -> None:
    """Audit that the actor was shown these fields of both cases of the pair."""
    for case in (pair.left, pair.right):
        record(AuditRecord.Action.VIEW, case, actor=actor, fields=fields, detail={"dedup_pair": pair.pk})
