"""Person records from partners' CSV files: read, check, and hold them column by column.

The file format (UTF-8, a header row; every column but ``id`` optional, in any order)::

    id,given_name,family_name,date_of_birth,sex,citizenship,address,locality,postcode,region

``date_of_birth`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (what is known of it). Columns with other names
are ignored (they are reported in :attr:`PersonTable.ignored_columns` so the command line can say so).
Anything else wrong raises :class:`InputError`, which names the line and the column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

COLUMNS = (
    "id",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "citizenship",
    "address",
    "locality",
    "postcode",
    "region",
)
TEXT_COLUMNS = tuple(column for column in COLUMNS if column not in ("id", "date_of_birth"))
EARLIEST_BIRTH_YEAR = 1800
LATEST_BIRTH_YEAR = 2100
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


class InputError(ValueError):
    """A file or value that cannot be used; ``line`` (1 = header) and ``column`` say where."""

    def __init__(self, message: str, *, line: int | None = None, column: str | None = None, source: str = ""):
        self.message = message
        self.line = line
        self.column = column
        self.source = source
        where = [part for part in (source, f"line {line}" if line else "", _column_label(column)) if part]
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


def _column_label(column: str | None) -> str:
    return f"column '{column}'" if column else ""


@dataclass
class PersonTable:
    """Checked person records, one list (or array) per column, in file order.

    Text is kept as given (stripped); normalisation for comparison happens in :mod:`lantern.linkage.compare`.
    A missing part of the date of birth is 0.
    """

    ids: list[str]
    text: dict[str, list[str]]
    birth_year: np.ndarray
    birth_month: np.ndarray
    birth_day: np.ndarray
    ignored_columns: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def column(self, name: str) -> list[str]:
        """The values of a text column ('' where missing, also when the file had no such column)."""
        return self.text[name]


def parse_date_of_birth(value: str) -> tuple[int, int, int]:
    """``(year, month, day)`` from ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; unknown parts are 0.

    Raises ValueError (with a message for the user) for anything else, including impossible dates.
    """
    match = _DATE.fullmatch(value)
    if not match:
        raise ValueError(f"'{value}' is not a date of birth; write YYYY-MM-DD, YYYY-MM or YYYY")
    year = int(match[1])
    month = int(match[2] or 0)
    day = int(match[3] or 0)
    if not EARLIEST_BIRTH_YEAR <= year <= LATEST_BIRTH_YEAR:
        raise ValueError(f"'{value}': the year must be between {EARLIEST_BIRTH_YEAR} and {LATEST_BIRTH_YEAR}")
    if match[2] and not 1 <= month <= 12:
        raise ValueError(f"'{value}': there is no month {month}")
    if match[3]:
        try:
            date(year, month, day)
        except ValueError:
            raise ValueError(f"'{value}': there is no day {day} in {year}-{month:02d}") from None
    return year, month, day


def people_from_rows(
    header: Sequence[str], rows: Iterable[tuple[int, Sequence[str]]], *, source: str = ""
) -> PersonTable:
    """Check rows (each with its line number) under a header and build a :class:`PersonTable`."""
    header = [name.strip() for name in header]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise InputError("this column appears twice in the header", line=1, column=name, source=source)
        seen.add(name)
    if "id" not in seen:
        raise InputError(
            "the header has no 'id' column (every record needs an identifier unique in the file)",
            line=1,
            column="id",
            source=source,
        )
    position = {name: index for index, name in enumerate(header)}
    width = len(header)
    id_at = position["id"]
    text_at = [(name, position.get(name)) for name in TEXT_COLUMNS]
    dob_at = position.get("date_of_birth")

    ids: list[str] = []
    first_line_of: dict[str, int] = {}
    text: dict[str, list[str]] = {name: [] for name in TEXT_COLUMNS}
    years: list[int] = []
    months: list[int] = []
    days: list[int] = []
    dates: dict[str, tuple[int, int, int]] = {"": (0, 0, 0)}
    for line, row in rows:
        if len(row) != width:
            if not any(cell.strip() for cell in row):
                continue  # a blank line
            column = header[width - 1] if len(row) > width else header[len(row)]
            raise InputError(
                f"{len(row)} values where the header has {width} columns",
                line=line,
                column=column,
                source=source,
            )
        record_id = row[id_at].strip()
        if not record_id:
            raise InputError("the id is empty", line=line, column="id", source=source)
        if "\n" in record_id or "\r" in record_id:  # outputs name records by id, one per line
            raise InputError("the id holds a line break", line=line, column="id", source=source)
        if record_id in first_line_of:
            raise InputError(
                f"the id '{record_id}' is already used on line {first_line_of[record_id]}",
                line=line,
                column="id",
                source=source,
            )
        first_line_of[record_id] = line
        ids.append(record_id)
        for name, at in text_at:
            text[name].append(row[at].strip() if at is not None else "")
        raw_date = row[dob_at].strip() if dob_at is not None else ""
        parsed = dates.get(raw_date)
        if parsed is None:
            try:
                parsed = parse_date_of_birth(raw_date)
            except ValueError as error:
                raise InputError(str(error), line=line, column="date_of_birth", source=source) from None
            dates[raw_date] = parsed
        years.append(parsed[0])
        months.append(parsed[1])
        days.append(parsed[2])
    return PersonTable(
        ids=ids,
        text=text,
        birth_year=np.array(years, dtype=np.int16),
        birth_month=np.array(months, dtype=np.int8),
        birth_day=np.array(days, dtype=np.int8),
        ignored_columns=[name for name in header if name not in COLUMNS],
    )


def decode_utf8(data: bytes, *, source: str = "") -> str:
    """The text of a UTF-8 file (a byte-order mark is allowed); InputError naming the line if it is not
    UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        line_start = data.rfind(b"\n", 0, error.start) + 1
        raise InputError(
            f"byte {error.object[error.start]:#04x} is not UTF-8; save the file as UTF-8 (CSV UTF-8)",
            line=line,
            column=_column_at(data, line_start, error.start),
            source=source,
        ) from None


def _column_at(data: bytes, line_start: int, position: int) -> str | None:
    """The header name of the field holding byte ``position`` (best effort: None if it cannot tell)."""
    try:
        header_line = data.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8-sig", errors="replace")
        header = next(csv.reader([header_line]), [])
        before = data[line_start:position].decode("utf-8", errors="replace").replace("\r", "")
        at = len(next(csv.reader([before]), [""])) - 1 if before else 0
    except csv.Error:
        return None
    return header[at].strip() if 0 <= at < len(header) else None


def parse_people_csv(text: str, *, source: str = "") -> PersonTable:
    """Check the text of a CSV file and build a :class:`PersonTable` (InputError naming line and column)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)

    def numbered_rows() -> Iterable[tuple[int, list[str]]]:
        start = reader.line_num + 1
        for row in reader:
            yield start, row
            start = reader.line_num + 1

    try:
        header = next(reader, None)
        if header is None or not any(name.strip() for name in header):
            raise InputError("the file is empty; the first line must be the header", line=1, source=source)
        return people_from_rows(header, numbered_rows(), source=source)
    except csv.Error as error:
        raise InputError(f"not readable as CSV ({error})", line=reader.line_num or 1, source=source) from None


def read_people_csv(path: str | Path) -> PersonTable:
    """Read and check a person CSV file (see the module docstring for the format)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read the file ({error.strerror})", source=str(path)) from None
    return parse_people_csv(decode_utf8(data, source=str(path)), source=str(path))
