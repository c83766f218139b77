"""The emergency protocol's contacts say who answers: someone who fears the police must not be misinformed."""

from __future__ import annotations

import yaml

from lantern.cases.procedure.emergency import CONTACTS_FILE, contact_problems, contacts_for
from lantern.public import texts


def test_1109_is_a21s_ngo_resource_line_not_the_police() -> None:
    # Issue #14, High item 3: 1109 is A21 Greece's national Human Trafficking Resource Line (an NGO line).
    (line,) = [c for c in contacts_for("GR") if c.number == "1109"]
    assert "A21" in line.name and "NGO" in line.name
    assert "Hellenic Police" not in line.name
    assert "not the police" in line.name


def test_a_number_on_both_the_public_pages_and_the_protocol_names_the_same_operator() -> None:
    public = {h["number"]: h["name"] for h in texts.helplines_for("GR")}
    for contact in contacts_for("GR"):
        if contact.number == "1109":
            assert "A21" in public["1109"] and "A21" in contact.name


def test_the_contacts_file_is_valid_and_a_broken_entry_is_named() -> None:
    raw = yaml.safe_load(CONTACTS_FILE.read_text(encoding="utf-8"))
    assert contact_problems(raw) == []
    raw["countries"]["GR"][0]["number"] = "call A21"
    raw["countries"]["gr"] = raw["countries"].pop("GB")
    found = "\n".join(contact_problems(raw))
    assert "emergency-contacts.yaml: countries.GR.0.number: String should match pattern" in found
    assert "emergency-contacts.yaml: countries.gr.[key]: String should match pattern" in found
