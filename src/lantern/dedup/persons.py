"""Which person each case belongs to: the interface statistics use to count distinct persons.

Several organisations (and countries) often refer the same person; the de-duplication in this app groups their
cases into persons. Callers ask only through `person_ids`, so the way persons are found can change behind it.
"""

from __future__ import annotations

from collections.abc import Iterable

# Up to this many ids are looked up with IN (...); more, and the whole (small) membership table is read
# instead: still one query, and no database's limit on query parameters is reached.
MAX_IN_IDS = 2000


def person_ids(case_ids: Iterable[int]) -> dict[int, str]:
    """Map each case id to a stable id of the person it belongs to.

    Cases judged to be the same person share one id; a case linked to no other is a person of its own
    (`"case-<id>"`).
    """
    from .models import PersonMembership

    ids = list(dict.fromkeys(case_ids))
    if not ids:
        return {}
    rows = PersonMembership.objects.values_list("case_id", "person_key")
    if len(ids) <= MAX_IN_IDS:
        rows = rows.filter(case_id__in=ids)
    keys = dict(rows)
    return {case_id: keys.get(case_id, f"case-{case_id}") for case_id in ids}
