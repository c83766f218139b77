"""The ``lantern link`` and ``lantern pprl`` commands (pure: no Django, no database).

    lantern link PEOPLE.csv --out links.csv [--threshold 0.5] [--clusters clusters.csv] [--strict]
    lantern link LEFT.csv RIGHT.csv --out links.csv [--threshold 0.5] [--clusters clusters.csv] [--strict]
    lantern pprl encode PEOPLE.csv --key-file KEY --out PEOPLE.clk.csv [--strict]
    lantern pprl link A.clk.csv B.clk.csv --out links.csv [--threshold 0.7]

Input: see :mod:`lantern.linkage.records`. Output: ``left_id,right_id,match_probability`` (for ``pprl link``
the Dice score), and with ``--clusters`` one ``id,cluster_id`` row per record. Bad input ends with a message
on stderr naming the file, line and column, exit status 2, and no output file written: outputs are written to
a temporary file beside the target and renamed over it only when everything succeeded. Bad input is
structural (no ``id`` column, an id used twice, not UTF-8, encodings made with another key or schema); a value
that does not parse (a date of birth ``1945-04-93``) is kept as written, compared as such, and counted in a
summary on stderr (per column: how many, the first lines); ``--strict`` refuses it instead.

For development: ``python -m lantern.linkage.cli link ...`` or ``python -m lantern.linkage.cli pprl ...``.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TextIO

from lantern.linkage.records import InputError, PersonTable, read_people_csv

EXIT_BAD_INPUT = 2


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 1")
    return value


class _Outputs:
    """Output files written to temporary files beside their targets, renamed into place only on success."""

    def __init__(self, targets: Sequence[Path], inputs: Sequence[Path]):
        resolved_inputs = {path.resolve() for path in inputs}
        for target in targets:
            if target.resolve() in resolved_inputs:
                raise InputError(
                    "the output would overwrite an input file; choose another name", source=str(target)
                )
            if not target.parent.is_dir():
                raise InputError(f"the folder {target.parent} does not exist", source=str(target))
        self._targets = list(targets)
        self._temporary: list[Path] = []

    def open(self, stack: ExitStack) -> list[TextIO]:
        files = []
        for target in self._targets:
            descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            self._temporary.append(Path(name))
            files.append(stack.enter_context(open(descriptor, "w", encoding="utf-8", newline="")))
        return files

    def commit(self) -> None:
        for temporary, target in zip(self._temporary, self._targets, strict=True):
            os.replace(temporary, target)
        self._temporary = []

    def discard(self) -> None:
        for temporary in self._temporary:
            temporary.unlink(missing_ok=True)


def _write_atomically(targets: Sequence[Path], inputs: Sequence[Path], write: Callable[[list[TextIO]], None]):
    outputs = _Outputs(targets, inputs)
    try:
        with ExitStack() as stack:
            write(outputs.open(stack))
        outputs.commit()
    finally:
        outputs.discard()


SHOWN_LINES = 5


def _report_kept_as_text(prog: str, path: Path, table: PersonTable) -> None:
    """Per column, how many values did not parse and were kept as written, with their first lines."""
    for column, lines in table.kept_as_text.items():
        shown = ", ".join(str(line) for line in lines[:SHOWN_LINES]) + (
            ", ..." if len(lines) > SHOWN_LINES else ""
        )
        values, on = ("value", "line") if len(lines) == 1 else ("values", "lines")
        print(
            f"{prog}: {path}: {len(lines)} {values} of {column} kept as text "
            f"(not valid; compared as written) on {on} {shown}; "
            "--strict refuses them",
            file=sys.stderr,
        )


def _read_people(prog: str, path: Path, strict: bool) -> PersonTable:
    table = read_people_csv(path, strict=strict)
    if table.ignored_columns:
        print(f"{prog}: {path}: ignoring columns {', '.join(table.ignored_columns)}", file=sys.stderr)
    _report_kept_as_text(prog, path, table)
    return table


def _add_strict(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--strict",
        action="store_true",
        help="refuse a value that does not parse (a date of birth 1945-04-93) instead of keeping it as text",
    )


def _fail(prog: str, error: InputError) -> int:
    print(f"{prog}: error: {error}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _link_parser() -> argparse.ArgumentParser:
    from lantern.linkage.engine import ENGINES

    parser = argparse.ArgumentParser(
        prog="lantern link",
        description="Find records of the same person: within one CSV file (de-duplication) "
        "or across two (linkage).",
        epilog="Columns: id (required), given_name, family_name, "
        "date_of_birth (YYYY-MM-DD, YYYY-MM or YYYY), "
        "sex, citizenship, address, locality, postcode, region. Other columns are ignored.",
    )
    parser.add_argument("left", type=Path, metavar="LEFT.csv")
    parser.add_argument("right", type=Path, nargs="?", metavar="RIGHT.csv")
    parser.add_argument("--out", type=Path, required=True, help="pairs: left_id,right_id,match_probability")
    parser.add_argument("--threshold", type=_probability, default=0.5, help="lowest match probability kept")
    parser.add_argument("--clusters", type=Path, help="also write id,cluster_id (a cluster is one person)")
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="lantern",
        help="lantern (default), splink (Splink on DuckDB) or spark (Splink on Apache Spark: local mode, or "
        "the cluster in SPARK_MASTER / SPARK_REMOTE)",
    )
    _add_strict(parser)
    return parser


def link_main(argv: list[str]) -> int:
    """``lantern link``: de-duplicate one file or link two; returns the exit status."""
    from lantern.linkage.engine import EngineUnavailable, find_links

    parser = _link_parser()
    args = parser.parse_args(argv)
    try:
        left = _read_people(parser.prog, args.left, args.strict)
        right = _read_people(parser.prog, args.right, args.strict) if args.right else None
        if args.clusters and right is not None:
            shared = set(left.ids).intersection(right.ids)
            if shared:
                raise InputError(
                    f"the id '{min(shared)}' is in both files, so a clusters file could not tell the "
                    "records apart; make the ids distinct (e.g. prefix them with the organisation) "
                    "or leave out --clusters",
                    column="id",
                    source=str(args.right),
                )
        targets = [args.out] + ([args.clusters] if args.clusters else [])
        inputs = [args.left] + ([args.right] if args.right else [])
        _Outputs(targets, inputs)  # check the targets before the work
        try:
            result = find_links(left, right, threshold=args.threshold, engine=args.engine)
        except EngineUnavailable as error:
            raise InputError(str(error)) from None
        other_ids = right.ids if right is not None else left.ids

        def write(files: list[TextIO]) -> None:
            writer = csv.writer(files[0], lineterminator="\n")
            writer.writerow(("left_id", "right_id", "match_probability"))
            for a, b, probability in zip(
                result.left.tolist(), result.right.tolist(), result.probability.tolist(), strict=True
            ):
                writer.writerow((left.ids[a], other_ids[b], f"{probability:.6f}"))
            if args.clusters:
                clusters = csv.writer(files[1], lineterminator="\n")
                clusters.writerow(("id", "cluster_id"))
                all_ids = left.ids + (right.ids if right is not None else [])
                for record_id, cluster in zip(all_ids, result.clusters().tolist(), strict=True):
                    clusters.writerow((record_id, cluster + 1))

        _write_atomically(targets, inputs, write)
    except InputError as error:
        return _fail(parser.prog, error)
    compared = f" (of {result.candidate_pairs} compared)" if result.candidate_pairs else ""
    print(
        f"{parser.prog}: {len(result.left)} pairs at or above {args.threshold}{compared}; wrote {args.out}",
        file=sys.stderr,
    )
    return 0


def _pprl_parser() -> argparse.ArgumentParser:
    from lantern.linkage.pprl import DEFAULT_PPRL_THRESHOLD

    parser = argparse.ArgumentParser(
        prog="lantern pprl",
        description="Privacy-preserving record linkage: encode people locally with a shared secret key, "
        "then link encodings without seeing names or dates.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{encode,link}")
    encode = commands.add_parser("encode", help="encode a person CSV file into Bloom-filter encodings")
    encode.add_argument("input", type=Path, metavar="IN.csv")
    encode.add_argument(
        "--key-file", type=Path, required=True, metavar="KEY", help="the secret shared by partners"
    )
    encode.add_argument("--out", type=Path, required=True, metavar="IN.clk.csv")
    _add_strict(encode)
    link = commands.add_parser("link", help="match two encoding files one to one by Dice similarity")
    link.add_argument("first", type=Path, metavar="A.clk.csv")
    link.add_argument("second", type=Path, metavar="B.clk.csv")
    link.add_argument(
        "--out", type=Path, required=True, help="pairs: left_id,right_id,match_probability (Dice)"
    )
    link.add_argument(
        "--threshold", type=_probability, default=DEFAULT_PPRL_THRESHOLD, help="lowest Dice score kept"
    )
    return parser


def pprl_main(argv: list[str]) -> int:
    """``lantern pprl encode`` and ``lantern pprl link``; returns the exit status."""
    from lantern.linkage import pprl

    parser = _pprl_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "encode":
            secret = pprl.read_key(args.key_file)
            people = _read_people(parser.prog, args.input, args.strict)
            _Outputs([args.out], [args.input, args.key_file])
            encodings = pprl.encode_people(people, secret)
            _write_atomically(
                [args.out],
                [args.input, args.key_file],
                lambda files: pprl.write_encodings(files[0], people.ids, encodings, secret),
            )
            print(f"{parser.prog}: encoded {len(people)} records into {args.out}", file=sys.stderr)
            return 0
        first, second = pprl.read_encodings(args.first), pprl.read_encodings(args.second)
        pprl.check_compatible(first, second, (str(args.first), str(args.second)))
        _Outputs([args.out], [args.first, args.second])
        left, right, score = pprl.link_encodings(first.encodings, second.encodings, args.threshold)

        def write(files: list[TextIO]) -> None:
            writer = csv.writer(files[0], lineterminator="\n")
            writer.writerow(("left_id", "right_id", "match_probability"))
            for a, b, dice in zip(left.tolist(), right.tolist(), score.tolist(), strict=True):
                writer.writerow((first.ids[a], second.ids[b], f"{dice:.6f}"))

        _write_atomically([args.out], [args.first, args.second], write)
    except InputError as error:
        return _fail(parser.prog, error)
    print(
        f"{parser.prog}: {len(left)} one-to-one matches at or above {args.threshold}; wrote {args.out}",
        file=sys.stderr,
    )
    return 0


COMMANDS = {"link": link_main, "pprl": pprl_main}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        print("usage: python -m lantern.linkage.cli {link,pprl} ...", file=sys.stderr)
        return EXIT_BAD_INPUT
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main())
