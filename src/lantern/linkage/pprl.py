"""Privacy-preserving record linkage (PPRL): link people across organisations without sharing who they are.

Each organisation encodes its records locally (:func:`encode_people`) into Bloom-filter encodings (CLKs):
every identifier is cut into small tokens (bigrams of names, parts of the date of birth...), and each token
sets a few bits of a 1024-bit filter chosen by keyed hashing (HMAC-SHA256 double hashing) with a secret that
only the partners share. Only the encodings leave the organisation. Whoever links them
(:func:`link_encodings`) compares filters with the Dice coefficient and keeps, one to one, the best pairs
above a threshold; without the secret the bits cannot be traced back to tokens by hashing guesses.

An encoding file says which key and which schema made it (a key fingerprint, HMAC of a constant, and a hash of
the schema, in columns of every row); files that disagree are refused, since their bits mean different things.

Known limits: Bloom-filter encodings resist guessing but not every attack; a linkage unit holding many
encodings can attempt frequency analysis of common bigrams. Keep the secret away from the linkage unit, rotate
it per project, and use the per-field weights here (fewer bits for short, common fields) rather than a single
filter of equal weights.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lantern.linkage.cluster import one_to_one
from lantern.linkage.compare import Features, prepare
from lantern.linkage.dice import dice_pairs_above
from lantern.linkage.records import InputError, PersonTable, decode_utf8
from lantern.linkage.schema import ENCODING_COLUMNS, FILTER_BYTES, EncodingHeader, EncodingRow, validated

FILTER_BITS = FILTER_BYTES * 8
WORDS = FILTER_BITS // 64
MIN_KEY_BYTES = 16


@dataclass(frozen=True)
class FieldSpec:
    """How one identifier becomes tokens and how many bits each token sets (its weight in the Dice score)."""

    name: str
    tokens: str
    bits_per_token: int


# The schema: given and family names share one field so that swapped names give the same bits; the skeleton
# (consonants after transliteration) makes Arabic, Cyrillic, Ge'ez and Latin spellings of a name share tokens.
SCHEMA = (
    FieldSpec("names", "bigrams of both names", 10),
    FieldSpec("name_skeletons", "skeleton of each name", 15),
    FieldSpec("date_of_birth", "year, month, day and day-month pair, each when known", 15),
    FieldSpec("date_digits", "digits of YYYYMMDD with their position", 5),
    FieldSpec("sex", "first letter", 8),
    FieldSpec("citizenship", "whole value", 8),
    FieldSpec("address", "bigrams of the sorted words", 4),
    FieldSpec("locality", "bigrams", 5),
    FieldSpec("postcode", "characters with their position", 6),
    FieldSpec("region", "whole value", 6),
)
# 2: names compared without particles and with compounds joined (Abd al-Rahman = Abdelrahman).
SCHEMA_VERSION = "lantern-pprl-2"


def schema_hash() -> str:
    """A short hash naming the schema; files with different schema hashes cannot be compared."""
    description = json.dumps(
        {"version": SCHEMA_VERSION, "bits": FILTER_BITS, "fields": [spec.__dict__ for spec in SCHEMA]},
        sort_keys=True,
    )
    return hashlib.sha256(description.encode()).hexdigest()[:16]


def read_key(path: str | Path) -> bytes:
    """The shared secret from a key file (its bytes, without a final newline); InputError if unusable."""
    path = Path(path)
    try:
        secret = path.read_bytes().rstrip(b"\r\n")
    except OSError as error:
        raise InputError(f"cannot read the key file ({error.strerror})", source=str(path)) from None
    if len(secret) < MIN_KEY_BYTES:
        raise InputError(
            f"the key has {len(secret)} bytes; use at least {MIN_KEY_BYTES} random bytes, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(32))' > KEY",
            source=str(path),
        )
    return secret


def key_fingerprint(secret: bytes) -> str:
    """Names the key without revealing it: HMAC of a constant under the key."""
    return hmac.new(secret, b"lantern pprl key fingerprint", hashlib.sha256).hexdigest()[:16]


def _bigrams(text: str) -> list[str]:
    padded = f"_{text}_"
    return [padded[k : k + 2] for k in range(len(padded) - 1)]


def _name_tokens(name: str, name_skeleton: str) -> list[tuple[str, str]]:
    tokens = [("names", bigram) for word in name.split() for bigram in _bigrams(word)]
    return [*tokens, ("name_skeletons", name_skeleton)]


def _date_tokens(year: int, month: int, day: int) -> list[tuple[str, str]]:
    if not year:
        return []
    tokens = [("date_of_birth", f"y{year}")]
    if month:
        tokens.append(("date_of_birth", f"m{month}"))
    if day:
        tokens.append(("date_of_birth", f"d{day}"))
        tokens.append(("date_of_birth", f"md{min(month, day)}-{max(month, day)}"))
        digits = f"{year:04d}{month:02d}{day:02d}"
        tokens.extend(("date_digits", f"{position}{digit}") for position, digit in enumerate(digits))
    return tokens


def _field_tokens(column: str, value: str) -> list[tuple[str, str]]:
    if column in ("address", "locality"):
        return [(column, bigram) for word in value.split() for bigram in _bigrams(word)]
    if column == "postcode":
        return [(column, f"{position}{character}") for position, character in enumerate(value)]
    return [(column, value)]


class _BitPositions:
    """Bit positions of tokens, by HMAC double hashing: position_i = (h1 + i * h2) mod FILTER_BITS."""

    def __init__(self, secret: bytes):
        self._keys = {
            spec.name: (
                hmac.new(secret, f"{SCHEMA_VERSION}/{spec.name}/1".encode(), hashlib.sha256).digest(),
                hmac.new(secret, f"{SCHEMA_VERSION}/{spec.name}/2".encode(), hashlib.sha256).digest(),
            )
            for spec in SCHEMA
        }
        self._steps = {spec.name: np.arange(spec.bits_per_token, dtype=np.uint64) for spec in SCHEMA}
        self._cache: dict[tuple[str, str], np.ndarray] = {}

    def of(self, field: str, token: str) -> np.ndarray:
        cached = self._cache.get((field, token))
        if cached is None:
            key_1, key_2 = self._keys[field]
            message = token.encode()
            h1 = int.from_bytes(hmac.digest(key_1, message, "sha256")[:8], "big")
            # An odd step visits distinct positions of a power-of-two filter.
            h2 = int.from_bytes(hmac.digest(key_2, message, "sha256")[:8], "big") | 1
            cached = (
                np.uint64(h1 % FILTER_BITS) + self._steps[field] * np.uint64(h2 % FILTER_BITS)
            ) % np.uint64(FILTER_BITS)
            self._cache[(field, token)] = cached
        return cached


def encode_people(people: PersonTable, secret: bytes) -> np.ndarray:
    """The Bloom-filter encoding of every record: a ``(records, 16)`` array of uint64 words.

    Tokens (all without their field name: each field has its own hash keys) are hashed once per distinct
    value: names, dates and places repeat across records.
    """
    features = prepare(people)
    positions = _BitPositions(secret)
    empty = np.zeros(0, dtype=np.int64)

    def bits_of(tokens: list[tuple[str, str]]) -> np.ndarray:
        if not tokens:
            return empty
        return np.concatenate([positions.of(field, token) for field, token in tokens]).astype(np.int64)

    name_bits = [
        bits_of(_name_tokens(name, features.skeletons[code]))
        for name, code in zip(features.names, _name_skeleton_codes(features), strict=True)
    ] + [empty]  # code -1: no name
    field_bits = {
        column: [bits_of(_field_tokens(column, value)) for value in vocabulary.values] + [empty]
        for column, vocabulary in features.fields.items()
    }
    date_bits: dict[tuple[int, int, int], np.ndarray] = {}
    dates = zip(
        features.birth_year.tolist(), features.birth_month.tolist(), features.birth_day.tolist(), strict=True
    )
    per_record = []
    for index, date in enumerate(dates):
        if date not in date_bits:
            date_bits[date] = bits_of(_date_tokens(*date))
        parts = [name_bits[features.given[index]], name_bits[features.family[index]], date_bits[date]]
        parts.extend(field_bits[column][codes.codes[index]] for column, codes in features.fields.items())
        per_record.append(np.concatenate(parts))
    lengths = np.array([len(part) for part in per_record], dtype=np.int64)
    bits = np.zeros((len(people), FILTER_BITS), dtype=bool)
    if lengths.sum():
        bits[np.repeat(np.arange(len(people)), lengths), np.concatenate(per_record)] = True
    packed = np.packbits(bits, axis=1)  # big-endian bits within bytes; the same for every file
    return packed.view(">u8").astype(np.uint64)


def _name_skeleton_codes(features: Features) -> list[int]:
    """The skeleton code of each name in the vocabulary."""
    codes = [-1] * len(features.names)
    for name_code, skeleton_code in zip(
        np.concatenate([features.given, features.family]).tolist(),
        np.concatenate([features.given_skeleton, features.family_skeleton]).tolist(),
        strict=True,
    ):
        if name_code >= 0:
            codes[name_code] = skeleton_code
    return codes


@dataclass
class EncodedPeople:
    ids: list[str]
    encodings: np.ndarray
    key_fingerprint: str
    schema: str


def write_encodings(out: io.TextIOBase, ids: list[str], encodings: np.ndarray, secret: bytes) -> None:
    """Write ``id,clk,key_fingerprint,schema`` rows (clk in base64) to an open text file."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ENCODING_COLUMNS)
    fingerprint, schema = key_fingerprint(secret), schema_hash()
    raw = encodings.astype(">u8").tobytes()
    width = WORDS * 8
    for index, record_id in enumerate(ids):
        clk = base64.b64encode(raw[index * width : (index + 1) * width]).decode("ascii")
        writer.writerow((record_id, clk, fingerprint, schema))


def parse_encodings(text: str, *, source: str = "") -> EncodedPeople:
    """Check an encoding file's text (:class:`~lantern.linkage.schema.EncodingRow` per row); InputError naming
    the line and column for anything wrong, including rows encoded with another key or schema."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = validated(EncodingHeader, {"columns": next(reader, [])}, line=1, source=source).columns
        ids: list[str] = []
        seen: dict[str, int] = {}
        chunks: list[bytes] = []
        fingerprint = schema = None
        line = reader.line_num + 1
        for row in reader:
            if not any(cell.strip() for cell in row):
                line = reader.line_num + 1
                continue
            if len(row) != len(header):
                raise InputError(
                    f"{len(row)} values where the header has {len(header)} columns", line=line, source=source
                )
            record = validated(EncodingRow, dict(zip(header, row, strict=True)), line=line, source=source)
            if record.id in seen:
                raise InputError(
                    f"the id '{record.id}' is already used on line {seen[record.id]}",
                    line=line,
                    column="id",
                    source=source,
                )
            seen[record.id] = line
            if fingerprint is None:
                fingerprint, schema = record.key_fingerprint, record.encoding_schema
            elif record.key_fingerprint != fingerprint:
                raise InputError(
                    "this row was encoded with a different key than the rows above it",
                    line=line,
                    column="key_fingerprint",
                    source=source,
                )
            elif record.encoding_schema != schema:
                raise InputError(
                    "this row was encoded with a different schema than the rows above it",
                    line=line,
                    column="schema",
                    source=source,
                )
            ids.append(record.id)
            chunks.append(record.clk)
            line = reader.line_num + 1
    except csv.Error as error:
        raise InputError(f"not readable as CSV ({error})", line=reader.line_num or 1, source=source) from None
    if schema is not None and schema != schema_hash():
        raise InputError(
            f"encoded with schema {schema}, but this version of Lantern uses schema {schema_hash()}; "
            "encode again with the same version",
            line=2,
            column="schema",
            source=source,
        )
    encodings = np.frombuffer(b"".join(chunks), dtype=">u8").astype(np.uint64).reshape(len(ids), WORDS)
    return EncodedPeople(ids=ids, encodings=encodings, key_fingerprint=fingerprint or "", schema=schema or "")


def read_encodings(path: str | Path) -> EncodedPeople:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read the file ({error.strerror})", source=str(path)) from None
    return parse_encodings(decode_utf8(data, source=str(path)), source=str(path))


def check_compatible(first: EncodedPeople, second: EncodedPeople, names: Iterable[str] = ("A", "B")) -> None:
    """Refuse two encoding files made with different keys (their bits would not correspond)."""
    name_a, name_b = names
    if first.ids and second.ids and first.key_fingerprint != second.key_fingerprint:
        raise InputError(
            f"{name_a} and {name_b} were encoded with different keys "
            f"(fingerprints {first.key_fingerprint} and "
            f"{second.key_fingerprint}); every partner must encode with the same shared key file",
            line=2,
            column="key_fingerprint",
            source=name_b,
        )


DEFAULT_PPRL_THRESHOLD = 0.7


def link_encodings(
    left: np.ndarray, right: np.ndarray, threshold: float = DEFAULT_PPRL_THRESHOLD
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One-to-one matches: pairs with Dice >= threshold, best first, each record used at most once."""
    i, j, score = dice_pairs_above(left, right, threshold)
    kept = one_to_one(i, j, score)
    i, j, score = i[kept], j[kept], score[kept]
    order = np.lexsort((j, i))
    return i[order], j[order], score[order]
