"""Administrators' page about the public content: helplines due for a new check (behind the gate)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lantern.authz.views import allowed

from . import texts

STALE_AFTER_MONTHS = 12


@allowed("helplines.review")
def helplines_review(request: HttpRequest) -> HttpResponse:
    """Every helpline last checked more than twelve months ago, oldest first."""
    stale = texts.stale_helplines(timezone.localdate(), months=STALE_AFTER_MONTHS)
    rows = sorted(stale, key=lambda row: (row[1].checked, row[0]))
    return render(request, "public/helplines_review.html", {"rows": rows, "months": STALE_AFTER_MONTHS})
