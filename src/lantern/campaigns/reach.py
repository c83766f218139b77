"""Counting a campaign's reach without identifying anyone.

Called by the public pages (`count_page_view`, when a page is opened with `?c=<code>`) and by the QR redirect
(`count_qr_scan`). Each call adds one to a (campaign, language, day, kind) counter row and stores nothing
else: no IP address, user agent, referrer, cookie, or time finer than the day (UTC). Unknown or inactive codes
and unknown languages are ignored silently, so a made-up link never creates a row.

The increment is one SQL `UPDATE ... SET count = count + 1`; the first hit of a day creates the row inside a
savepoint, and a concurrent creator losing the race to the unique constraint falls back to the update —
safe on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import LANGUAGES, Campaign, ReachCount, ReachKind


def _campaign_id(code: str | None) -> int | None:
    if not code or len(code) > 16:
        return None
    return Campaign.objects.filter(code=code, active=True).values_list("pk", flat=True).first()


def _increment(code: str | None, language: str, kind: str) -> None:
    if language not in LANGUAGES:
        return
    campaign_id = _campaign_id(code)
    if campaign_id is None:
        return
    key = {"campaign_id": campaign_id, "language": language, "day": timezone.now().date(), "kind": kind}
    counters = ReachCount.objects.filter(**key)
    if counters.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ReachCount.objects.create(**key, count=1)
    except IntegrityError:  # created meanwhile by a concurrent request
        counters.update(count=F("count") + 1)


def count_page_view(campaign_code: str | None, language: str) -> None:
    """One public page opened from a campaign's link, in `language`."""
    _increment(campaign_code, language, ReachKind.PAGE_VIEW)


def count_qr_scan(campaign_code: str | None, language: str) -> None:
    """One scan of a campaign's QR code for `language` (the `/r/<code>/<lang>/` redirect)."""
    _increment(campaign_code, language, ReachKind.QR_SCAN)
