"""Plausible dates: one rule for every date a person enters, on pages and in the API.

Schema fuzzing stored cases identified in the year 0001 and consents until 9999-12-31. No date Lantern keeps
lies before 1900; a date that happened (identified, age assessed, consent given, decided) is not in the
future; a date planned ahead (a hearing, a permit's expiry, a target date, a campaign's end) lies within
`YEARS_AHEAD` years. The error states the rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

EARLIEST = dt.date(1900, 1, 1)
YEARS_AHEAD = 30


def latest_planned(today: dt.date) -> dt.date:
    """The last date a planned event may have: `YEARS_AHEAD` years from today (28 Feb for a 29 Feb)."""
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def past_date_problem(value: dt.date, *, today: dt.date) -> str | None:
    """Why `value` cannot be the date of something that happened, or None."""
    if EARLIEST <= value <= today:
        return None
    return _("Enter a date from %(earliest)s to today.") % {"earliest": formats.date_format(EARLIEST)}


def planned_date_problem(value: dt.date, *, today: dt.date) -> str | None:
    """Why `value` cannot be a date Lantern keeps (past or planned), or None."""
    if EARLIEST <= value <= latest_planned(today):
        return None
    return _("Enter a date from %(earliest)s to %(latest)s.") % {
        "earliest": formats.date_format(EARLIEST),
        "latest": formats.date_format(latest_planned(today)),
    }


def plausible_date(value: Any) -> None:
    """A validator for form and API fields: a past or planned date in the plausible range."""
    if isinstance(value, dt.date):
        problem = planned_date_problem(value, today=timezone.localdate())
        if problem:
            raise ValidationError(problem, code="implausible_date")


def check_dates(obj: models.Model) -> None:
    """Raise ValidationError naming each date field of `obj` outside the plausible range."""
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            value = getattr(obj, field.attname)
            problem = planned_date_problem(value, today=today) if isinstance(value, dt.date) else None
            if problem:
                errors[field.name] = [problem]
    if errors:
        raise ValidationError(errors)
