"""Person records from partners' CSV files: read, check, and hold them column by column.

The file format (UTF-8, a header row; every column but ``id`` optional, in any order)::

    id,given_name,family_name,date_of_birth,sex,citizenship,address,locality,postcode,region

``date_of_birth`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (what is known of it). Columns with other names
are ignored (they are reported in :attr:`PersonTable.ignored_columns` so the command line can say so). The
file's shape is declared in :mod:`lantern.linkage.schema`.

What stops a file is structural (no ``id`` column, an id used twice, a row with too many values, not UTF-8):
:class:`InputError`, which names the line and the column. A value that does not parse (``1945-04-93``) is
data: kept as far as it can be read, compared as written, and listed in :attr:`PersonTable.kept_as_text`;
``strict=True`` refuses it instead, as an InputError.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lantern.linkage.schema import (
    EARLIEST_BIRTH_YEAR,
    LATEST_BIRTH_YEAR,
    PERSON_COLUMNS,
    InputError,
    PersonHeader,
    PersonRow,
    parse_date_of_birth,
    validated,
)

COLUMNS = PERSON_COLUMNS
TEXT_COLUMNS = tuple(column for column in COLUMNS if column not in ("id", "date_of_birth"))
__all__ = [
    "COLUMNS",
    "EARLIEST_BIRTH_YEAR",
    "LATEST_BIRTH_YEAR",
    "TEXT_COLUMNS",
    "InputError",
    "PersonTable",
    "parse_date_of_birth",
    "parse_people_csv",
    "people_from_rows",
    "read_people_csv",
]


@dataclass
class PersonTable:
    """Checked person records, one list (or array) per column, in file order.

    Text is kept as given (stripped); normalisation for comparison happens in :mod:`lantern.linkage.compare`.
    A missing part of the date of birth is 0. ``kept_as_text`` lists, per column, the lines of the values
    that did not parse and were kept as written (see :class:`lantern.linkage.schema.BirthDate`).
    """

    ids: list[str]
    text: dict[str, list[str]]
    birth_year: np.ndarray
    birth_month: np.ndarray
    birth_day: np.ndarray
    ignored_columns: list[str] = field(default_factory=list)
    kept_as_text: dict[str, list[int]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def column(self, name: str) -> list[str]:
        """The values of a text column ('' where missing, also when the file had no such column)."""
        return self.text[name]


def people_from_rows(
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    *,
    source: str = "",
    strict: bool = False,
) -> PersonTable:
    """Check rows (each with its line number) under a header and build a :class:`PersonTable`.

    ``strict`` refuses a value that does not parse (InputError) instead of keeping it as text.
    """
    columns = validated(PersonHeader, {"columns": list(header)}, line=1, source=source).columns
    width = len(columns)
    context = {"strict": strict}
    ids: list[str] = []
    first_line_of: dict[str, int] = {}
    text: dict[str, list[str]] = {name: [] for name in TEXT_COLUMNS}
    births = []
    kept_as_text: dict[str, list[int]] = {}
    for line, row in rows:
        if len(row) != width:
            if not any(cell.strip() for cell in row):
                continue  # a blank line
            column = columns[width - 1] if len(row) > width else columns[len(row)]
            raise InputError(
                f"{len(row)} values where the header has {width} columns",
                line=line,
                column=column,
                source=source,
            )
        record = validated(
            PersonRow, dict(zip(columns, row, strict=True)), line=line, source=source, context=context
        )
        if record.id in first_line_of:
            raise InputError(
                f"the id '{record.id}' is already used on line {first_line_of[record.id]}",
                line=line,
                column="id",
                source=source,
            )
        first_line_of[record.id] = line
        ids.append(record.id)
        for name in TEXT_COLUMNS:
            text[name].append(getattr(record, name))
        births.append(record.date_of_birth)
        if record.date_of_birth.problem:
            kept_as_text.setdefault("date_of_birth", []).append(line)
    born = np.array([birth[:3] for birth in births], dtype=np.int64).reshape(len(births), 3)
    return PersonTable(
        ids=ids,
        text=text,
        birth_year=born[:, 0].astype(np.int16),
        birth_month=born[:, 1].astype(np.int8),
        birth_day=born[:, 2].astype(np.int8),
        ignored_columns=PersonHeader(columns=columns).ignored,
        kept_as_text=kept_as_text,
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


def parse_people_csv(text: str, *, source: str = "", strict: bool = False) -> PersonTable:
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
        return people_from_rows(header, numbered_rows(), source=source, strict=strict)
    except csv.Error as error:
        raise InputError(f"not readable as CSV ({error})", line=reader.line_num or 1, source=source) from None


def read_people_csv(path: str | Path, *, strict: bool = False) -> PersonTable:
    """Read and check a person CSV file (see the module docstring for the format)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read the file ({error.strerror})", source=str(path)) from None
    return parse_people_csv(decode_utf8(data, source=str(path)), source=str(path), strict=strict)
