"""Disclosure control of the statistics shown to everyone but NRM decision-makers: the cell-key method.

Exact small-cell suppression alone is undone by differencing: two exact totals (1 Jan–31 May minus 1 Jan–30
Apr), then narrower filters, single a person out. So every count shown to a role that sees controlled
statistics — table cells, their totals, the persons headline, decision counts, the de-duplication queue's
hidden pairs — goes through `control_table` or `control_count` here, which apply the cell-key method of the
Australian Bureau of Statistics (TableBuilder):

- each record (a case, or a pair of the de-duplication queue) has a fixed random **record key** in
  [0, 2^31), an HMAC-SHA-256 of its id under a secret derived from the keyring's index key (which never
  rotates): stable across rebuilds, unknowable without the keyring. A person's key is the sum of their cases'
  keys (mod 2^31); a case's is stored on its statistics fact row (`models.CaseFact.record_key`);
- a cell's **cell key** is the sum of the record keys of the records it counts, mod 2^31 (as a fraction of
  2^31, uniform in [0, 1));
- a fixed **perturbation table** (`PTABLE`) maps (count, cell key) to a noise from -2 to +2; zeros stay zero.
  The same cell — the same records — always gets the same noise, in every table, page, file and API answer,
  so repeating a query or differencing two does not average the noise away; a total is a cell of its own;
- on top, perturbed counts from 1 to 4 are shown as "fewer than 5", with the cells hidden with them
  (`statistics.suppress`), and dates filter in whole months only (`statistics.Filters.in_whole_months`).

Tables perturbed this way are not additive: a total may differ by a few from the sum of its cells.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext_lazy as _

KEY_MODULUS = 1 << 31
MAX_NOISE = 2
# Noise by count: (noise, probability). A count of 1 cannot go below zero; every count from 2 up uses the
# symmetric row (mean 0, variance 1.2). The cell key, a fraction in [0, 1), picks the noise whose cumulative
# probability first exceeds it.
PTABLE: dict[int, tuple[tuple[int, float], ...]] = {
    1: ((-1, 0.3), (0, 0.4), (1, 0.2), (2, 0.1)),
    2: ((-2, 0.1), (-1, 0.2), (0, 0.4), (1, 0.2), (2, 0.1)),
}
METHOD = "cell-key perturbation (ABS TableBuilder)"
DESCRIPTION = _(
    "To protect the persons counted, every figure (totals included) is perturbed by the cell-key method: "
    "a fixed noise from -2 to +2, the same each time the same persons are counted, so figures cannot be "
    "subtracted from one another to single anyone out; tables may therefore not add up exactly. Counts "
    "from 1 to 4 after perturbation are shown as “fewer than 5”, some others are hidden with them, and "
    "dates are counted in whole months."
)


def describe() -> dict[str, Any]:
    """The method and its parameters, as the API and the files state them."""
    return {
        "method": METHOD,
        "max_noise": MAX_NOISE,
        "suppressed_below": 5,
        "dates": "whole months",
        "ptable": {str(count): [list(pair) for pair in row] for count, row in PTABLE.items()},
    }


@lru_cache(maxsize=4)
def _secret(index_key: bytes) -> bytes:
    return hmac.new(index_key, b"lantern-statistics-cell-key-v1", hashlib.sha256).digest()


def record_key(kind: str, pk: int) -> int:
    """The fixed random key of one record (`kind` "case" or "pair"), in [0, 2^31)."""
    from lantern.crypto.cipher import active_keyring

    digest = hmac.digest(_secret(active_keyring().index_key), f"{kind}:{pk}".encode(), "sha256")
    return int.from_bytes(digest[:4], "big") % KEY_MODULUS


def cell_key(record_keys: Iterable[int]) -> int:
    return sum(record_keys) % KEY_MODULUS


def noise(count: int, key: int) -> int:
    """The perturbation of a cell of `count` records whose cell key is `key` (0 for an empty cell)."""
    if count <= 0:
        return 0
    fraction = key / KEY_MODULUS
    cumulative = 0.0
    row = PTABLE[min(count, max(PTABLE))]
    for value, probability in row:
        cumulative += probability
        if fraction < cumulative:
            return value
    return row[-1][0]


def perturb(count: int, key: int) -> int:
    return count + noise(count, key)


def control_count(count: int | None, key: int) -> int | None:
    """One count as shown under disclosure control: perturbed; None ("fewer than 5") from 1 to 4."""
    if count is None:
        return None
    shown = perturb(count, key)
    return None if 0 < shown < 5 else shown


def control_table(table: Any) -> Any:
    """A `statistics.Table` as shown under disclosure control: every count (totals included) perturbed with
    its cell key (`table.keys`), then the small cells suppressed (`statistics.suppress`)."""
    from .statistics import suppress

    if not table.keys:
        raise ValueError(f"table {table.id} has no cell keys: it cannot be shown under disclosure control")
    rows = tuple(
        replace(
            row,
            values=tuple(
                perturb(value, key) if isinstance(value, int) else value
                for value, key in zip(row.values, keys, strict=True)
            ),
        )
        for row, keys in zip(table.rows, table.keys, strict=True)
    )
    return suppress(replace(table, rows=rows))
