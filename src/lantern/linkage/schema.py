"""The two CSV files the linkage reads, declared once as pydantic models: person files and encoding files.

A header is checked by :class:`PersonHeader` or :class:`EncodingHeader`, then every row by :class:`PersonRow`
or :class:`EncodingRow`; :func:`validated` turns a pydantic ``ValidationError`` into :class:`InputError`,
which names the file, the line and the column, and says what is expected. Rules that span rows (an id used
twice, rows encoded with different keys) are checked by the readers (:mod:`lantern.linkage.records`,
:mod:`lantern.linkage.pprl`), which hold the rows.

A value that is wrong for its column but not for the file (an impossible date of birth) is data, not an
error: :class:`PersonRow` keeps what can be read of it and says so (see :class:`BirthDate`); the validation
context ``{"strict": True}`` (``--strict`` on the command line) refuses it instead.
"""

from __future__ import annotations

import base64
import re
from datetime import date
from functools import lru_cache
from typing import Annotated, Any, NamedTuple, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

PERSON_COLUMNS = (
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
ENCODING_COLUMNS = ("id", "clk", "key_fingerprint", "schema")
EARLIEST_BIRTH_YEAR = 1800
LATEST_BIRTH_YEAR = 2100
FILTER_BYTES = 128  # 1024-bit encodings


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


def _problem(kind: str, message: str) -> PydanticCustomError:
    """A validation error of a value, whose message is shown as it is."""
    return PydanticCustomError(kind, message)


def _header_problem(kind: str, message: str, column: str | None = None) -> PydanticCustomError:
    """A validation error of a header, naming the column it is about (or none)."""
    return PydanticCustomError(kind, message, {"header_column": column})


Model = TypeVar("Model", bound=BaseModel)


def validated(model: type[Model], data: Any, *, line: int, source: str, context: Any = None) -> Model:
    """``model`` validated from ``data``; InputError naming the line and the column of the first problem."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        context = first.get("ctx") or {}
        if "header_column" in context:  # a header problem names its column (or none)
            column = context["header_column"]
        else:  # a row problem: the field, by its name in the file
            column = str(first["loc"][0]) if first["loc"] else None
        raise InputError(first["msg"], line=line, column=column, source=source) from None


# ---------------------------------------------------------------------------------------------------------
# Headers


def _no_duplicates(columns: list[str]) -> list[str]:
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            raise _header_problem("duplicate_column", "this column appears twice in the header", name)
        seen.add(name)
    return columns


def _stripped(columns: list[str]) -> list[str]:
    return [name.strip() for name in columns]


class PersonHeader(BaseModel):
    """A person file's header: ``id`` and any of the other columns, in any order, each once."""

    columns: Annotated[list[str], AfterValidator(_stripped), AfterValidator(_no_duplicates)]

    @field_validator("columns")
    @classmethod
    def _has_id(cls, columns: list[str]) -> list[str]:
        if not any(name.strip() for name in columns):
            raise _header_problem("empty", "the file is empty; the first line must be the header")
        if "id" not in columns:
            raise _header_problem(
                "no_id",
                "the header has no 'id' column (every record needs an identifier unique in the file)",
                "id",
            )
        return columns

    @property
    def ignored(self) -> list[str]:
        """Columns that are not Lantern's (reported, then ignored)."""
        return [name for name in self.columns if name not in PERSON_COLUMNS]


class EncodingHeader(BaseModel):
    """An encoding file's header: the columns ``lantern pprl encode`` writes."""

    columns: Annotated[list[str], AfterValidator(_stripped)]

    @field_validator("columns")
    @classmethod
    def _made_by_pprl_encode(cls, columns: list[str]) -> list[str]:
        missing = [name for name in ENCODING_COLUMNS if name not in columns]
        if missing:
            raise _header_problem(
                "not_encodings",
                "this is not an encoding file made by 'lantern pprl encode' (no such column)",
                missing[0],
            )
        return columns


# ---------------------------------------------------------------------------------------------------------
# Values


def _record_id(value: str) -> str:
    if not value:
        raise _problem("empty_id", "the id is empty")
    if "\n" in value or "\r" in value:  # outputs name records by id, one per line
        raise _problem("id_line_break", "the id holds a line break")
    return value


RecordId = Annotated[str, AfterValidator(_record_id)]


class BirthDate(NamedTuple):
    """What can be read of a date of birth: year, month, day (0 where unknown), and ``problem``: why the value
    is not a valid date (empty when it is one).

    A value with a problem is kept as far as it goes: ``1945-04-93`` keeps its numbers as written (year 1945,
    month 4, "day" 93), so that it is compared digit by digit with other dates (one digit off, two digits
    exchanged: the typo it probably is); ``12/05/1990`` is read as day/month/year; a text with a year in it
    keeps the year.
    """

    year: int
    month: int
    day: int
    problem: str = ""


UNKNOWN_BIRTH_DATE = BirthDate(0, 0, 0)
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_DATE_LOOSE = re.compile(r"(\d{4})[-/. ](\d{1,2})[-/. ](\d{1,2})")
_DATE_DAY_FIRST = re.compile(r"(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


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


@lru_cache(maxsize=100_000)
def read_birth_date(value: str) -> BirthDate:
    """The :class:`BirthDate` of a value as written (dates repeat: cached)."""
    if not value:
        return UNKNOWN_BIRTH_DATE
    try:
        return BirthDate(*parse_date_of_birth(value))
    except ValueError as error:
        problem = str(error)
    digits = value.replace(" ", "")
    match = _DATE.fullmatch(digits) or _DATE_LOOSE.fullmatch(value)
    if match is None and re.fullmatch(r"\d{8}", digits):
        match = _DATE.fullmatch(f"{digits[:4]}-{digits[4:6]}-{digits[6:]}")
    if match is not None:
        year, month, day = (int(part or 0) for part in match.groups())
        if year:
            return BirthDate(year, month, day, problem)
    match = _DATE_DAY_FIRST.fullmatch(value)
    if match is not None:
        return BirthDate(int(match[3]), int(match[2]), int(match[1]), problem)
    year_match = _YEAR.search(value)
    return BirthDate(int(year_match[1]) if year_match else 0, 0, 0, problem)


def _birth_date(value: Any, info: ValidationInfo) -> BirthDate:
    text = str(value).strip()
    birth = read_birth_date(text)
    if birth.problem and info.context and info.context.get("strict"):
        raise _problem("date_of_birth", birth.problem)
    return birth


class PersonRow(BaseModel):
    """One record of a person file. Text is kept as written (stripped); every column but ``id`` may be
    missing or empty."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore", frozen=True)

    id: RecordId
    given_name: str = ""
    family_name: str = ""
    date_of_birth: Annotated[BirthDate, PlainValidator(_birth_date)] = UNKNOWN_BIRTH_DATE
    sex: str = ""
    citizenship: str = ""
    address: str = ""
    locality: str = ""
    postcode: str = ""
    region: str = ""


def _clk(value: Any) -> bytes:
    try:
        clk = base64.b64decode(str(value).strip(), validate=True)
    except ValueError:
        clk = b""
    if len(clk) != FILTER_BYTES:
        raise _problem("clk", f"not a {FILTER_BYTES * 8}-bit encoding in base64")
    return clk


class EncodingRow(BaseModel):
    """One record of an encoding file written by ``lantern pprl encode``."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore", frozen=True, populate_by_name=True)

    id: RecordId
    clk: Annotated[bytes, PlainValidator(_clk)]
    key_fingerprint: str
    encoding_schema: str = Field(alias="schema")
