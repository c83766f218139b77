"""The erasure ledger file: every erasure also written outside the database, so that no restore brings an
erased person back.

The database's own `ErasureLedger` goes back in time with a restored backup; this append-only JSON-lines file
(`LANTERN_ERASURE_LEDGER_FILE`, kept on the server and NOT inside the backups) does not. After a restore,
`replay_erasures` erases again every case the file names that the restored database still holds unerased.
Each line holds a case id, a time and a reason — nothing about the person.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from lantern.records.models import ErasureLedger
from lantern.records.ownership import give_to_service_user

_replaying: ContextVar[bool] = ContextVar("lantern_replaying_erasures", default=False)


def ledger_path() -> Path:
    return Path(settings.LANTERN_ERASURE_LEDGER_FILE or Path(settings.VAR_DIR) / "erasure-ledger.jsonl")


@dataclass(frozen=True)
class LedgerEntry:
    case_id: int
    erased_at: str
    reason: str


def append(entries: list[LedgerEntry]) -> None:
    """Append and flush to disk (an erasure that is not on disk could come back with a restore)."""
    if not entries:
        return
    path = ledger_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        for entry in entries:
            out.write(json.dumps(entry.__dict__, sort_keys=True) + "\n")
        out.flush()
        os.fsync(out.fileno())
    # Run as root by hand, this must not leave a file the nightly backup (the service user) cannot append to.
    give_to_service_user(path)


def read() -> Iterator[LedgerEntry]:
    path = ledger_path()
    if not path.exists():
        return
    with path.open(encoding="utf-8") as source:
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                yield LedgerEntry(int(data["case_id"]), str(data["erased_at"]), str(data["reason"]))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}, line {number}: not an erasure ledger entry ({exc})") from exc


def copy_erasure_to_file(case: Any, erasure: ErasureLedger) -> None:
    """An erasure was written (`lantern.cases.reactions.CASE_ERASED`): append it to the file once the
    transaction commits (one replayed from the file is there already)."""
    if _replaying.get():
        return
    entry = LedgerEntry(erasure.case_id, erasure.erased_at.isoformat(), str(erasure.reason))
    transaction.on_commit(lambda: append([entry]))


def sync_file_with_database() -> int:
    """Append the database's erasures the file lacks (e.g. after a crash between commit and write)."""
    known = {entry.case_id for entry in read()}
    rows = ErasureLedger.objects.order_by("erased_at", "pk").values_list("case_id", "erased_at", "reason")
    missing = [
        LedgerEntry(case_id, erased_at.isoformat(), str(reason))
        for case_id, erased_at, reason in rows.iterator()
        if case_id not in known
    ]
    append(missing)
    return len(missing)


def replay_erasures() -> list[int]:
    """Erase again the cases of the ledger file that the (restored) database holds unerased; their ids."""
    from lantern.cases.models import Case
    from lantern.records.retention import anonymise_case

    erased_in_db = set(ErasureLedger.objects.values_list("case_id", flat=True))
    replayed = []
    token = _replaying.set(True)
    try:
        for entry in read():
            if entry.case_id in erased_in_db or entry.case_id in replayed:
                continue
            case = Case.objects.filter(pk=entry.case_id).first()
            if case is None:
                continue
            anonymise_case(case, reason=entry.reason)
            replayed.append(entry.case_id)
    finally:
        _replaying.reset(token)
    return replayed
