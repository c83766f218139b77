"""`lantern screen`: screening requests as JSON Lines in, one result per line out, in the same order.

This is a public contract (README, golden tests in `tests/test_stream.py`). One request per line::

    {"id": "any string", "instrument": "ilo-adult-labour",
     "observed": ["dr.nature_of_job", "ex.excessive_hours"]}

One line out per request::

    {"id": ..., "instrument": ..., "dimensions": {<all six>: true|false}, "trafficking": true|false,
     "outcome": "presumed-victim"|"further-assessment"|"no-indicators", "explanation": {...}}

(`engine.Result.explanation` documents the explanation.) Duplicate ids in ``observed`` are allowed and counted
once; other fields of a request are ignored, so clients may add their own. Blank lines are skipped silently
and give no output line. A bad line gives ``{"id": <the id, or null if it could not be read>, "error":
{"code": ..., "message": ...}}`` — the message starts with the line number and names what is valid — and the
next line is read. Error codes (stable): ``malformed_json``, ``invalid_request`` (not an object, or a field
missing or of the wrong type), ``unknown_instrument``, ``unknown_indicator``.

Exit status: 0 when every line was screened, 1 when any line failed, 2 for a bad command line or catalogue.
Lines are read and written one at a time, so memory stays flat however long the input. Pure Python: no Django.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from .catalogue import Catalogue, CatalogueError, load_catalogue
from .engine import Result, UnknownIndicator, score

MALFORMED_JSON = "malformed_json"
INVALID_REQUEST = "invalid_request"
UNKNOWN_INSTRUMENT = "unknown_instrument"
UNKNOWN_INDICATOR = "unknown_indicator"

# Same output as json.dumps(ensure_ascii=False, separators=(",", ":")), but one encoder built once instead of
# one per line. Nothing we write refers to itself, so the circular-reference check is skipped.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


class _BadRequest(Exception):
    def __init__(self, code: str, message: str, request_id: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.request_id = request_id


def screen_lines(lines: Iterable[str], out: TextIO, catalogue: Catalogue | None = None) -> int:
    """Screen each JSON Lines request in `lines`, writing one JSON line per request to `out`, in order.

    Returns the exit status: 1 if any line failed, else 0. See the module docstring for the contract.
    """
    if catalogue is None:
        catalogue = load_catalogue()
    failed = False
    write = out.write
    for number, line in enumerate(lines, 1):
        if not line or line.isspace():
            continue
        try:
            response = _screen(line, catalogue)
        except _BadRequest as bad:
            failed = True
            response = {
                "id": bad.request_id,
                "error": {"code": bad.code, "message": f"line {number}: {bad.message}"},
            }
        write(_encode(response) + "\n")
    return 1 if failed else 0


def _screen(line: str, catalogue: Catalogue) -> dict[str, Any]:
    if not line.isascii() and not _is_unicode(line):
        # Only possible when bytes that are not UTF-8 were decoded with surrogateescape (see `main`).
        raise _BadRequest(MALFORMED_JSON, "the line is not valid UTF-8")
    try:
        request = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _BadRequest(MALFORMED_JSON, f"not valid JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise _BadRequest(MALFORMED_JSON, "not valid JSON: nested too deeply") from None
    except ValueError:  # an integer over Python's 4300-digit limit (sys.get_int_max_str_digits)
        raise _BadRequest(MALFORMED_JSON, "not valid JSON: a number has too many digits") from None
    if type(request) is not dict:
        raise _BadRequest(INVALID_REQUEST, f"expected a JSON object, not {_json_type(request)}; {_EXAMPLE}")

    request_id = request.get("id")
    if not isinstance(request_id, str):
        problem = (
            "missing field id"
            if "id" not in request
            else f"id must be a string, not {_json_type(request_id)}"
        )
        raise _BadRequest(INVALID_REQUEST, f"{problem}; {_EXAMPLE}")
    if not request_id.isascii() and not _is_unicode(request_id):
        raise _BadRequest(
            INVALID_REQUEST, "id is not valid Unicode text (it holds a lone surrogate \\u escape)"
        )

    instrument_id = request.get("instrument")
    if not isinstance(instrument_id, str):
        problem = (
            "missing field instrument"
            if "instrument" not in request
            else f"instrument must be a string, not {_json_type(instrument_id)}"
        )
        raise _BadRequest(
            INVALID_REQUEST, f"{problem}; valid instruments: {_instrument_list(catalogue)}", request_id
        )
    observed = request.get("observed")
    if type(observed) is not list:
        problem = (
            "missing field observed"
            if "observed" not in request
            else f"observed must be a list of indicator ids, not {_json_type(observed)}"
        )
        raise _BadRequest(INVALID_REQUEST, f"{problem}; {_EXAMPLE}", request_id)
    for position, item in enumerate(observed):
        if type(item) is not str:
            raise _BadRequest(
                INVALID_REQUEST,
                f"observed[{position}] must be an indicator id (a string), not {_json_type(item)}",
                request_id,
            )

    instrument = catalogue.instruments.get(instrument_id)
    if instrument is None:
        raise _BadRequest(
            UNKNOWN_INSTRUMENT,
            f"unknown instrument {_quote(instrument_id)}; valid instruments: {_instrument_list(catalogue)}",
            request_id,
        )
    try:
        result = score(instrument, observed)
    except UnknownIndicator as exc:
        raise _BadRequest(UNKNOWN_INDICATOR, _unknown_indicators(exc, catalogue), request_id) from None
    return {"id": request_id, **result_record(instrument_id, result)}


def result_record(instrument_id: str, result: Result) -> dict[str, Any]:
    """One result in the public `lantern screen` shape (without the request's id); the API reuses it."""
    return {
        "instrument": instrument_id,
        "dimensions": result.dimensions,
        "trafficking": result.trafficking,
        "outcome": result.outcome,
        "explanation": result.explanation(),
    }


_EXAMPLE = (
    'a request looks like {"id": "r1", "instrument": "ilo-adult-labour", "observed": ["dr.nature_of_job"]}'
)


def _unknown_indicators(exc: UnknownIndicator, catalogue: Catalogue) -> str:
    """Name the ids, where each one does belong (a common slip: an adult indicator in a child instrument)."""
    named = []
    for indicator in exc.invalid:
        elsewhere = [i.id for i in catalogue.instruments.values() if indicator in i.indicator_ids]
        named.append(_quote(indicator) + (f" (an indicator of {', '.join(elsewhere)})" if elsewhere else ""))
    return (
        f"not indicators of {exc.instrument_id}: {', '.join(named)}; the valid ids are listed under "
        f"instruments/{exc.instrument_id} in {catalogue.path}"
    )


def _instrument_list(catalogue: Catalogue) -> str:
    return ", ".join(catalogue.instruments)


def _quote(value: Any) -> str:
    # ASCII escapes: the value came from the client and may hold anything, lone surrogates included.
    return json.dumps(value)


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


# The command line ------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """`lantern screen [--catalogue FILE]`: stdin to stdout; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="lantern screen",
        description="Score screening requests: JSON Lines on stdin, one JSON result per line on stdout.",
        epilog=(
            'Request: {"id": "r1", "instrument": "ilo-adult-labour", "observed": ["dr.nature_of_job"]}. '
            "Exit status: 0 all lines screened, 1 some line failed (its output line holds the error), "
            "2 bad command line or catalogue."
        ),
    )
    parser.add_argument(
        "--catalogue",
        type=Path,
        metavar="FILE",
        help="indicator catalogue to use, e.g. an edited copy (default: the packaged ILO/Delphi catalogue)",
    )
    args = parser.parse_args(argv)
    try:
        catalogue = load_catalogue(args.catalogue)
    except (OSError, CatalogueError) as exc:
        print(f"lantern screen: {exc}", file=sys.stderr)
        return 2
    # JSON Lines is UTF-8 whatever the locale; bytes that are not UTF-8 become an error on their own line
    # (surrogateescape) instead of stopping the whole run.
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(encoding="utf-8", errors="surrogateescape")
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    try:
        status = screen_lines(sys.stdin, sys.stdout, catalogue)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, and keep Python from complaining at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return status
