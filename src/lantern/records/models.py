"""Documents attached to a case, the retention schedule of closed cases, and the erasure ledger.

A document's file lives outside the web root (``VAR_DIR/documents``) under a random name, encrypted with a
key of its own that is kept here, encrypted with the keyring (`filecrypt`). Its name and description are
encrypted too: file names often carry the person's name.

The erasure ledger outlives everything: after a database restore, replaying it erases again the people who
had been erased (a later issue), so it holds only the case id, when and why.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.audit.models import AuditedModel
from lantern.crypto.fields import EncryptedTextField


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", _("Identity or travel document")
    MEDICAL = "medical", _("Medical or psychological report")
    LEGAL = "legal", _("Legal or court document")
    DECISION = "decision", _("Decision or letter from an authority")
    CORRESPONDENCE = "correspondence", _("Correspondence")
    OTHER = "other", _("Other")


class Document(AuditedModel):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind of document"), max_length=16, choices=DocumentKind.choices)
    original_name = EncryptedTextField(_("file name"), blank=True)
    description = EncryptedTextField(_("description"), blank=True)
    content_type = models.CharField(_("type"), max_length=40)  # detected from the content, never trusted
    size = models.PositiveIntegerField(_("size in bytes"))
    storage_name = models.CharField(max_length=64, unique=True, editable=False)
    file_key = EncryptedTextField(blank=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"document:{self.case_id}:{self.pk}"

    @property
    def file_context(self) -> str:
        """What the encrypted file is bound to (a file moved under another document does not decrypt)."""
        return f"records.document:{self.storage_name}"


class AgeGroup(models.TextChoices):
    CHILD = "child", _("Child when identified")
    ADULT = "adult", _("Adult when identified")
    UNKNOWN = "unknown", _("Not known")


class RetentionSchedule(AuditedModel):
    """When a closed case's personal data is to be erased (kept in step with the case by a signal)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="retention")
    closed_on = models.DateField(_("closed on"))
    anonymise_after = models.DateField(_("erase personal data after"), db_index=True)
    anonymised_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)
    # Kept for statistics once the date of birth is gone.
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices, blank=True)

    class Meta:
        verbose_name = _("retention schedule")
        verbose_name_plural = _("retention schedules")

    def __str__(self) -> str:
        return f"retention:{self.case_id}:{self.anonymise_after}"


class ErasureReason(models.TextChoices):
    RETENTION = "retention", _("The retention period after closing ended")
    REQUEST = "request", _("The person asked for erasure")


class ErasureLedgerQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The erasure ledger is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The erasure ledger is append-only.")


class ErasureLedger(models.Model):
    """Append-only: one row per erased case. Not a foreign key, so that it survives the case."""

    case_id = models.BigIntegerField(db_index=True)
    erased_at = models.DateTimeField()
    reason = models.CharField(max_length=16, choices=ErasureReason.choices)

    objects = ErasureLedgerQuerySet.as_manager()

    class Meta:
        ordering = ["erased_at", "pk"]
        verbose_name = _("erasure ledger entry")
        verbose_name_plural = _("erasure ledger")

    def __str__(self) -> str:
        return f"erased:{self.case_id}:{self.erased_at:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The erasure ledger is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The erasure ledger is append-only.")
