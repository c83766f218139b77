"""Emergency contacts by country, for the emergency protocol page (data in `data/emergency-contacts.yaml`).

Pure Python (no Django).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CONTACTS_FILE = Path(__file__).parent.parent / "data" / "emergency-contacts.yaml"


@dataclass(frozen=True)
class Contact:
    name: str
    number: str
    check: bool = True
    children: bool = False


def _contacts(raw: object, where: str) -> tuple[Contact, ...]:
    if not isinstance(raw, list):
        raise ValueError(f"emergency contacts: {where} must be a list")
    found = []
    for entry in raw:
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("number"):
            raise ValueError(
                f"emergency contacts: {where}: every entry needs a name and a number, got {entry!r}"
            )
        found.append(
            Contact(
                name=str(entry["name"]),
                number=str(entry["number"]),
                check=bool(entry.get("check", True)),
                children=bool(entry.get("children", False)),
            )
        )
    return tuple(found)


@cache
def load_contacts(path: Path = CONTACTS_FILE) -> dict[str, tuple[Contact, ...]]:
    """{"default": [...], "GR": [...], ...}, checked."""
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    table = {"default": _contacts(raw.get("default"), "default")}
    for code, entries in (raw.get("countries") or {}).items():
        if len(str(code)) != 2 or not str(code).isupper():
            raise ValueError(f"emergency contacts: {code!r} is not an ISO 3166 alpha-2 code")
        table[str(code)] = _contacts(entries, str(code))
    return table


def contacts_for(country_code: str, *, child: bool = False) -> list[Contact]:
    """The default contacts, then the country's; child-protection lines only when the person is a child."""
    table = load_contacts()
    found = [*table["default"], *table.get((country_code or "").upper(), ())]
    return [c for c in found if child or not c.children]
