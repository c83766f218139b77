"""Checking case data before a service saves it: field errors a person can act on, nothing half-saved.

Services call `clean_case_data`; forms and the API show its `ValidationError` per field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lantern.web.dates import past_date_problem

from .fields import EDITABLE_FIELDS
from .models import Case

EARLIEST_BIRTH = dt.date(1900, 1, 1)
DATE_FIELDS = ("identified_on", "age_assessed_on", "risk_assessed_on")


def _as_date(value: Any, field: str, errors: dict[str, list[str]]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.setdefault(field, []).append(_("Enter a real date, for example 2024-03-27."))
        return None


def check_date(
    value: dt.date | None, field: str, *, today: dt.date, born: dt.date | None, errors: dict[str, list[str]]
) -> None:
    """A recorded date lies from 1900 to today (lantern.web.dates), and not before the person's birth."""
    if value is None:
        return
    problem = past_date_problem(value, today=today)
    if problem:
        errors.setdefault(field, []).append(problem)
    elif born is not None and value < born:
        errors.setdefault(field, []).append(_("The date cannot be before the person's date of birth."))


def clean_case_data(data: dict[str, Any], *, today: dt.date, existing: Case | None = None) -> dict[str, Any]:
    """Return `data` in the form the model stores, or raise ValidationError with one entry per bad field."""
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be set: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    errors: dict[str, list[str]] = {}
    cleaned = dict(data)

    def current(name: str) -> Any:
        return cleaned[name] if name in cleaned else getattr(existing, name, None)

    if "date_of_birth" in data:
        born = _as_date(data["date_of_birth"], "date_of_birth", errors)
        if born is not None and born > today:
            errors.setdefault("date_of_birth", []).append(_("The date of birth cannot be in the future."))
        elif born is not None and born < EARLIEST_BIRTH:
            errors.setdefault("date_of_birth", []).append(_("Check the year of birth."))
        cleaned["date_of_birth"] = born.isoformat() if born else ""
    born = existing.birth_date if existing is not None and "date_of_birth" not in data else None
    if cleaned.get("date_of_birth"):
        born = dt.date.fromisoformat(cleaned["date_of_birth"])

    if "estimated_age" in data:
        raw = data["estimated_age"]
        if raw in (None, ""):
            cleaned["estimated_age"] = ""
        else:
            try:
                estimate = int(raw)
            except (TypeError, ValueError):
                estimate = -1
            if not 0 <= estimate <= 120:
                errors.setdefault("estimated_age", []).append(
                    _("Enter the age in whole years, from 0 to 120.")
                )
            cleaned["estimated_age"] = str(estimate) if estimate >= 0 else ""

    for name in DATE_FIELDS:
        if name in data:
            cleaned[name] = _as_date(data[name], name, errors)
            check_date(cleaned[name], name, today=today, born=born, errors=errors)
        elif born is not None and "date_of_birth" in data and current(name) and current(name) < born:
            # A new birth date after dates already recorded: the error belongs to the field being changed.
            errors.setdefault("date_of_birth", []).append(
                _("The date of birth is after dates already recorded for this case; check it.")
            )
    if "identified_on" in cleaned and cleaned["identified_on"] is None:
        errors.setdefault("identified_on", []).append(_("Enter the date the person was identified."))
    identified = current("identified_on")
    risk_on = current("risk_assessed_on")
    if identified and risk_on and risk_on < identified and "risk_assessed_on" not in errors:
        errors.setdefault("risk_assessed_on", []).append(
            _("The risk assessment cannot be dated before the person was identified.")
        )
    if errors:
        raise ValidationError(errors)
    return cleaned
