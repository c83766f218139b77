"""Reading training records, always through the gate (and the public verification by code)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from lantern.accounts.models import User
from lantern.authz import gate

from . import codes, content
from .models import Certificate, QuizAttempt

EXPIRING_DAYS = 60


def access_attempt(actor: Any, pk: Any) -> QuizAttempt:
    """The actor's own attempt, or `NotVisible` (a missing and another person's attempt alike)."""
    return gate.access(actor, "training.take", QuizAttempt, pk)


def access_certificate(actor: Any, pk: Any) -> Certificate:
    return gate.access(actor, "training.certificate", Certificate, pk)


def my_certificates(actor: Any) -> QuerySet[Certificate]:
    return gate.visible(actor, "training.certificate", Certificate).order_by("module_id", "-expires_at")


def my_latest_certificates(actor: Any) -> dict[str, Certificate]:
    """Per module, the actor's certificate that lasts longest."""
    latest: dict[str, Certificate] = {}
    for certificate in my_certificates(actor):
        latest.setdefault(certificate.module_id, certificate)
    return latest


def certificate_for_code(text: str) -> Certificate | None:
    """The certificate with this code, or None — for the public verification page.

    The database is asked whether or not the code's check is right, so that a forged code and an unknown
    one take the same path and time.
    """
    code = codes.normalise(text)[:40]
    found = Certificate.objects.select_related("organisation").filter(code=code).first()
    if not codes.well_formed(code, settings.SECRET_KEY):
        return None
    return found


@dataclass(frozen=True)
class CoverageRow:
    user: User
    module_id: str
    module_title: str
    certificate: Certificate | None
    status: str  # "valid", "expiring", "expired", "missing"


def coverage(
    actor: Any,
    *,
    expiring_only: bool = False,
    language: str = content.SOURCE_LANGUAGE,
    now: datetime | None = None,
) -> list[CoverageRow]:
    """One row per staff member of the actor's organisation and module: their longest-lasting certificate.

    Two queries whatever the size of the organisation. `expiring_only`: only certificates that are valid
    but expire within EXPIRING_DAYS.
    """
    now = now or timezone.now()
    soon = now + timedelta(days=EXPIRING_DAYS)
    users = list(
        gate.visible(actor, "training.coverage", User)
        .filter(is_active=True)
        .order_by("last_name", "username")
    )
    best: dict[tuple[int, str], Certificate] = {}
    for certificate in gate.visible(actor, "training.coverage", Certificate).order_by("-expires_at"):
        best.setdefault((certificate.user_id, certificate.module_id), certificate)
    rows = []
    for user in users:
        for module_id in content.module_ids():
            certificate = best.get((user.pk, module_id))
            if certificate is None:
                status = "missing"
            elif certificate.expires_at <= now:
                status = "expired"
            elif certificate.expires_at <= soon:
                status = "expiring"
            else:
                status = "valid"
            if expiring_only and status != "expiring":
                continue
            title = content.module(module_id, language)[0].title
            rows.append(CoverageRow(user, module_id, title, certificate, status))
    return rows
