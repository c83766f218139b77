"""Persons found across cases: the scored pairs of cases, the coordinators' decisions on them, and which
person each case belongs to.

- `LinkageRun`: one run of the record linkage over every case (counts only, no personal data).
- `MatchPair`: two cases the linkage found alike, by case ids only (no names are copied here), with the match
  probability, the agreement level per compared field, the machine's band (linked automatically, to review,
  or below the lower threshold in the latest run) and the current human decision, if any.
- `PairReview`: every decision and every undo, append-only (each one audited by the service).
- `PersonMembership`: the person key of each case that belongs to a person of two or more cases, rebuilt
  from the pairs in one transaction; a case without a row is a person of its own (`lantern.dedup.persons`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lantern.crypto.fields import EncryptedTextField


class LinkageRun(models.Model):
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    engine = models.CharField(max_length=20, default="lantern")
    lower_threshold = models.FloatField()
    upper_threshold = models.FloatField()
    cases = models.PositiveIntegerField(default=0)
    records = models.PositiveIntegerField(default=0)  # cases plus their usable aliases
    candidate_pairs = models.PositiveIntegerField(default=0)
    linked = models.PositiveIntegerField(default=0)
    to_review = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    persons = models.PositiveIntegerField(default=0)  # persons of two or more cases

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"run {self.pk} at {self.started_at:%Y-%m-%d %H:%M}"


class Band(models.TextChoices):
    LINKED = "linked", _("Linked automatically")
    REVIEW = "review", _("To review")
    BELOW = "below", _("No longer proposed")


class Verdict(models.TextChoices):
    SAME = "same", _("Same person")
    DIFFERENT = "different", _("Different persons")


class MatchPair(models.Model):
    """Two cases (`left_id < right_id`) that the linkage scored at or above the lower threshold at least
    once. A pair is kept while the latest run still proposes it or a person decided it."""

    left = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField(_("match probability"))
    levels = models.JSONField(default=dict)  # comparison name → agreement level (0 = strongest)
    band = models.CharField(_("proposal"), max_length=10, choices=Band.choices, db_index=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Verdict.choices, blank=True, default="", db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    found_at = models.DateTimeField(auto_now_add=True)
    scored_at = models.DateTimeField()

    class Meta:
        ordering = ["-probability", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="dedup_pair_once"),
            models.CheckConstraint(condition=Q(left__lt=F("right")), name="dedup_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.left_id}~{self.right_id}"

    @property
    def linked(self) -> bool:
        """Whether the pair joins its two cases into one person (before keep-apart constraints elsewhere)."""
        if self.decision:
            return self.decision == Verdict.SAME
        return self.band == Band.LINKED


class PairReview(models.Model):
    """One decision on a pair, or its undoing. Never changed; the pair holds the current decision. The service
    writes the audit record (with the reviewer, also outside a web request)."""

    class Action(models.TextChoices):
        SAME = "same", _("Marked as the same person")
        DIFFERENT = "different", _("Marked as different persons")
        UNDO = "undo", _("Decision undone")

    pair = models.ForeignKey(MatchPair, on_delete=models.CASCADE, related_name="reviews")
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = EncryptedTextField(_("reason"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.pair_id}:{self.action}"


class PersonMembership(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="+")
    person_key = models.CharField(max_length=40, db_index=True)

    def __str__(self) -> str:
        return f"{self.case_id}→{self.person_key}"
