"""Words for the reports of releases (the pure cores speak English column and level names)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext_lazy as _

COLUMN_LABELS = {
    "ageBroad": _("Age group"),
    "gender": _("Sex"),
    "citizenship": _("Citizenship"),
    "exploitation": _("Type of exploitation"),
    "yearOfRegistration": _("Year of registration"),
    "region": _("Country of exploitation"),
}
LEVEL_LABELS = {
    "age band": _("age band, as recorded"),
    "wider age band": _("wider age band"),
    "minor / adult": _("minor or adult"),
    "sex": _("as recorded"),
    "country": _("country, as recorded"),
    "sub-region of the world": _("sub-region of the world"),
    "region of the world": _("region of the world"),
    "type of exploitation": _("type, as recorded"),
    "broad type of exploitation": _("broad type"),
    "year": _("year, as recorded"),
    "two-year period": _("two-year period"),
    "five-year period": _("five-year period"),
    "*": _("not shown (*)"),
}
TABLE_TITLES = {
    "sex": _("Persons by year of registration and sex"),
    "age": _("Persons by year of registration and age group"),
    "exploitation": _("Persons by year of registration and type of exploitation"),
    "citizenship": _("Persons by year of registration and region of citizenship"),
}
PREVIEW_ROWS = 20


def generalisation_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "label": COLUMN_LABELS.get(g["column"], g["column"]),
            "shown": LEVEL_LABELS.get(g["level_name"], g["level_name"]),
            "level": g["level"],
            "top": g["top"],
            "generalised": g["level"] > 0,
        }
        for g in report.get("generalisation", [])
    ]


def microdata_preview(content: str) -> tuple[list[str], list[list[str]]]:
    """The header and the first rows of a released CSV (its comment lines skipped)."""
    lines = [line for line in content.splitlines() if not line.startswith("#")]
    reader = csv.reader(io.StringIO("\n".join(lines[: PREVIEW_ROWS + 1])))
    rows = list(reader)
    return (rows[0], rows[1:]) if rows else ([], [])


def dp_tables_view(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "title": TABLE_TITLES.get(table["name"], table["title"]),
            "columns": table["columns"],
            "rows": table["rows"],
            "epsilon": table["epsilon"],
        }
        for table in report.get("tables", [])
    ]
