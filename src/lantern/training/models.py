"""What training leaves behind: quiz attempts (questions and their order fixed when started) and certificates.

The module texts, question banks and practice cases are content files (see `content.py`), not rows; rows
name them by id and version.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.audit.models import AuditedModel


class QuizAttempt(AuditedModel):
    """One try at a module's quiz. The questions and their shuffled order are stored when it starts, so a
    submission can be checked against them; it can be submitted once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    module_id = models.CharField(max_length=64)
    module_version = models.PositiveIntegerField()
    language = models.CharField(max_length=10)
    # [{"id": question id, "options": [option ids in the order shown]}, ...] in the order shown
    questions = models.JSONField()
    answers = models.JSONField(default=dict, blank=True)  # question id -> [option ids]
    pass_mark = models.PositiveSmallIntegerField()
    score_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "module_id"])]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")

    def __str__(self) -> str:
        return f"{self.module_id} v{self.module_version} ({self.started_at:%Y-%m-%d})"

    @property
    def question_ids(self) -> list[str]:
        return [entry["id"] for entry in self.questions]


class Certificate(AuditedModel):
    """Proof that a staff member passed a module's quiz; verifiable by its code until it expires."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    attempt = models.OneToOneField(QuizAttempt, on_delete=models.PROTECT, related_name="certificate")
    module_id = models.CharField(max_length=64)
    module_version = models.PositiveIntegerField()
    module_title = models.CharField(max_length=200)  # as it read when issued, in English
    holder_name = models.CharField(max_length=200)  # the staff member's name as it was when issued
    code = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["organisation", "expires_at"])]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.module_id} {self.issued_at:%Y-%m-%d}"

    def is_valid(self, now=None) -> bool:  # type: ignore[no-untyped-def]
        return self.expires_at > (now or timezone.now())
