"""Emergency contacts by country, for the emergency protocol page (data in `data/emergency-contacts.yaml`).

Pure Python (no Django). The file's shape is a pydantic model (`ContactsFile`, lantern.datafiles).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import Field

from lantern.datafiles import Strict, problems

CONTACTS_FILE = Path(__file__).parent.parent / "data" / "emergency-contacts.yaml"


@dataclass(frozen=True)
class Contact:
    name: str
    number: str
    check: bool = True
    children: bool = False


class ContactSpec(Strict):
    name: str = Field(min_length=1)
    number: str = Field(min_length=1, pattern=r"^[0-9 +]+$")
    check: bool = True
    children: bool = False


class ContactsFile(Strict):
    version: int
    default: list[ContactSpec] = Field(min_length=1)
    countries: dict[Annotated[str, Field(pattern=r"^[A-Z]{2}$")], list[ContactSpec]] = {}


def contact_problems(raw: object) -> list[str]:
    """What is wrong with the emergency contacts file (empty when all is well)."""
    return problems(ContactsFile, raw, CONTACTS_FILE.name)


@cache
def load_contacts(path: Path = CONTACTS_FILE) -> dict[str, tuple[Contact, ...]]:
    """{"default": [...], "GR": [...], ...}, checked (a ValueError names the file, key and expectation)."""
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    found = contact_problems(raw)
    if found:
        raise ValueError("\n".join(found))
    spec = ContactsFile.model_validate(raw)
    table = {"default": tuple(Contact(**c.model_dump()) for c in spec.default)}
    for code, entries in spec.countries.items():
        table[code] = tuple(Contact(**c.model_dump()) for c in entries)
    return table


def contacts_for(country_code: str, *, child: bool = False) -> list[Contact]:
    """The default contacts, then the country's; child-protection lines only when the person is a child."""
    table = load_contacts()
    found = [*table["default"], *table.get((country_code or "").upper(), ())]
    return [c for c in found if child or not c.children]
