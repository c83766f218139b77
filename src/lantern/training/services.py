"""Training writes: starting and submitting quiz attempts, issuing certificates, exporting coverage.

Each takes the actor, checks the gate and runs in one transaction with its audit records.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.authz.gate import require
from lantern.web import spreadsheets

from . import codes, content, quiz, selectors
from .models import Certificate, QuizAttempt

DEFAULT_VALID_DAYS = 730


class SubmissionRefused(Exception):
    """A quiz submission that must not be stored (tampered, replayed); `.message` says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def mismatch_message() -> str:
    return _(
        "These answers do not match the questions of this attempt. Nothing was saved: start the quiz again."
    )


def certificate_valid_days() -> int:
    return int(getattr(settings, "LANTERN_CERTIFICATE_VALID_DAYS", DEFAULT_VALID_DAYS))


def start_attempt(*, actor: Any, module_id: str, language: str) -> QuizAttempt:
    """A new attempt at the module's quiz, with its questions drawn and shuffled now. KeyError if unknown."""
    require(actor, "training.take")
    module, _translated = content.module(module_id, language)
    bank = content.questions(module_id, language)
    with transaction.atomic():
        return QuizAttempt.objects.create(
            user=actor,
            organisation_id=actor.organisation_id,
            module_id=module_id,
            module_version=module.version,
            language=language,
            questions=quiz.draw(bank),
            pass_mark=module.pass_mark,
        )


def submit_attempt(
    *, actor: Any, attempt_id: Any, module_id: str, answers: Mapping[str, Sequence[str]]
) -> tuple[QuizAttempt, Certificate | None]:
    """Score the attempt once; on a pass, issue a certificate. Refuses (storing nothing) a submission for
    another module, with questions or options the attempt did not show, or for an attempt already submitted.
    """
    with transaction.atomic():
        # Locked, so two copies of one submission cannot both be scored.
        attempt = selectors.access_attempt(actor, attempt_id)
        attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        require(actor, "training.take", attempt)
        if attempt.module_id != module_id:
            raise SubmissionRefused(
                _(
                    "These answers are for another module than this quiz. "
                    "Nothing was saved: start the quiz again."
                )
            )
        if attempt.submitted_at is not None:
            raise SubmissionRefused(
                _("This attempt was already submitted and marked. To try again, start a new attempt.")
            )
        bank = content.questions(attempt.module_id, attempt.language)
        try:
            marked = quiz.mark(bank, attempt.questions, answers)
        except (quiz.TamperedSubmission, KeyError):
            raise SubmissionRefused(mismatch_message()) from None
        percent = quiz.percent_right(marked)
        attempt.answers = {m.question.id: list(m.chosen) for m in marked}
        attempt.score_percent = percent
        attempt.passed = quiz.passes(percent, attempt.pass_mark)
        attempt.submitted_at = timezone.now()
        attempt.save()
        certificate = _issue_certificate(actor, attempt) if attempt.passed else None
    return attempt, certificate


def _issue_certificate(actor: Any, attempt: QuizAttempt) -> Certificate:
    module, _translated = content.module(attempt.module_id, content.SOURCE_LANGUAGE)
    now = timezone.now()
    return Certificate.objects.create(
        user=actor,
        organisation_id=attempt.organisation_id,
        attempt=attempt,
        module_id=attempt.module_id,
        module_version=attempt.module_version,
        module_title=module.title,
        holder_name=actor.get_full_name() or actor.username,
        code=codes.new_code(settings.SECRET_KEY),
        issued_at=now,
        expires_at=now + timedelta(days=certificate_valid_days()),
    )


def export_coverage(*, actor: Any, expiring_only: bool, language: str) -> str:
    """The coverage report as CSV text; the export is audited."""
    require(actor, "training.coverage")
    rows = selectors.coverage(actor, expiring_only=expiring_only, language=language)
    out = io.StringIO()
    writer = spreadsheets.csv_writer(out)
    writer.writerow(["username", "name", "module", "module_title", "status", "issued", "expires"])
    for row in rows:
        cert = row.certificate
        writer.writerow(
            [
                row.user.username,
                row.user.get_full_name(),
                row.module_id,
                row.module_title,
                row.status,
                cert.issued_at.date().isoformat() if cert else "",
                cert.expires_at.date().isoformat() if cert else "",
            ]
        )
    record(
        AuditRecord.Action.EXPORT,
        actor=actor,
        object_type="training.coverage",
        object_id=str(actor.organisation_id),
        organisation_id=actor.organisation_id,
        fields=["username", "name", "certificates"],
        detail={"rows": len(rows), "expiring_only": expiring_only},
    )
    return out.getvalue()
