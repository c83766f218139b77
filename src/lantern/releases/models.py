"""An anonymised release: k-anonymous microdata or differentially private tables, reviewed before publication.

A release goes draft → reviewed (approved by a second person, never its author) → published. Its file is made
when it is created and never changes afterwards: what the reviewer approved is what is published. Every change
is in the audit trail (`AuditedModel`), and every download is an audited export.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantern.audit.models import AuditedModel


class ReleaseKind(models.TextChoices):
    MICRODATA = "microdata", _("k-anonymous microdata")
    TABLES = "tables", _("Differentially private tables")


class ReleaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, awaiting review")
    REVIEWED = "reviewed", _("Reviewed")
    PUBLISHED = "published", _("Published")


class Release(AuditedModel):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="releases",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=ReleaseKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ReleaseStatus.choices, default=ReleaseStatus.DRAFT, db_index=True
    )
    k = models.PositiveSmallIntegerField(_("k"), null=True, blank=True)
    max_suppression = models.FloatField(_("largest share of records suppressed"), null=True, blank=True)
    epsilon = models.FloatField(_("epsilon"), null=True, blank=True)
    seed = models.BigIntegerField(_("seed"), null=True, blank=True)
    year_from = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    year_to = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    content = models.TextField(_("released file"), editable=False)
    report = models.JSONField(_("report"), default=dict, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(reviewed_by__isnull=False) & Q(reviewed_at__isnull=False)),
                name="release_reviewed_has_reviewer",
            ),
            models.CheckConstraint(
                condition=~Q(reviewed_by=models.F("created_by")), name="release_not_reviewed_by_author"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False, seed__isnull=True),
                name="release_published_has_date_and_no_seed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def publishable(self) -> bool:
        """Seeded (reproducible) DP noise is for review runs only; it is never published."""
        return self.seed is None

    @property
    def filename(self) -> str:
        return f"lantern-release-{self.pk}-{self.kind}.csv"
