"""The case record's fields, declared once: name, label, field group, task-list section, editability, and the
kind of input (from which `forms.field_definitions` and the API's `CaseRecordFields` build their fields).

Derived here: `FIELD_GROUPS` (what a role or an access grant shows: data minimisation by construction),
`SECTIONS` (the task list: which fields each page edits), `SECTION_GROUPS` and `EDITABLE_FIELDS` (what a
service accepts). Labels live here, not in the forms, so that presenters and statistics can name things
without importing forms. No import of `models` at import time (models derives its groups from here).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.utils.translation import gettext_lazy as _


class Kind(Enum):
    """How a field is entered; the form and the API each map a kind to their own field class."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    DATE = "date"
    NUMBER = "number"
    YES_NO = "yes_no"
    COUNTRIES = "countries"
    LANGUAGES = "languages"  # language codes (the form takes them comma-separated)
    ONE_OF = "one_of"  # one choice, all shown (radio buttons)
    PICK = "pick"  # one choice or none, from a list
    SOME_OF = "some_of"  # several choices (check boxes)


@dataclass(frozen=True)
class CaseField:
    name: str
    label: Any
    group: str  # the field group that shows it
    section: str  # the task-list section that edits it
    kind: Kind = Kind.TEXT
    help_text: Any = ""
    required: bool = False  # in the form (the API and the services accept a partial record)
    editable: bool = True
    choices: Callable[[], list[tuple[str, Any]]] | None = None
    initial: Any = None


EXPLOITATION_LABELS = {
    "sexual": _("Sexual exploitation"),
    "labour": _("Forced labour or services"),
    "forced_criminality": _("Forced criminal activities"),
    "forced_begging": _("Forced begging"),
    "domestic_servitude": _("Domestic servitude"),
    "forced_marriage": _("Forced marriage"),
    "illegal_adoption": _("Illegal adoption"),
    "surrogacy": _("Exploitation of surrogacy"),
    "organ_removal": _("Removal of organs"),
    "other": _("Other"),
}


def exploitation_choices() -> list[tuple[str, Any]]:
    """The forms of exploitation the NRM profiles know, labelled."""
    from .procedure.profiles import load_profiles

    return [(form, EXPLOITATION_LABELS.get(form, form)) for form in load_profiles().exploitation_forms]


def _sex_choices() -> list[tuple[str, Any]]:
    from .models import Sex

    return list(Sex.choices)


def _risk_choices() -> list[tuple[str, Any]]:
    from .models import RiskLevel

    return list(RiskLevel.choices)


def _identified_by_choices() -> list[tuple[str, Any]]:
    from .models import IDENTIFIED_BY_CHOICES

    return list(IDENTIFIED_BY_CHOICES)


# Field groups, in the order pages show them, with their titles. The last three hold records rather than
# fields of the case: its consents, its timeline, its legal track (what an assigned lawyer is granted).
GROUP_TITLES = {
    "identity": _("About the person"),
    "background": _("Citizenship and languages"),
    "exploitation": _("Exploitation and identification"),
    "safety": _("Safety and risk"),
    "contact": _("Contact"),
    "documents": _("Documents"),
}
RECORD_GROUPS = ("consents", "timeline", "legal")
SECTION_TITLES = {
    "person": _("About the person"),
    "background": _("Citizenship and languages"),
    "exploitation": _("Exploitation and identification"),
    "safety": _("Safety and risk"),
    "contact": _("Contact and documents"),
}

F = CaseField
RECORD_FIELDS: tuple[CaseField, ...] = (
    F("given_names", _("Given names"), "identity", "person"),
    F("family_name", _("Family name"), "identity", "person"),
    F("aliases", _("Other names and aliases"), "identity", "person", Kind.LONG_TEXT),
    F(
        "date_of_birth",
        _("Date of birth"),
        "identity",
        "person",
        Kind.DATE,
        help_text=_("Leave empty if not known."),
    ),
    F(
        "estimated_age",
        _("Estimated age"),
        "identity",
        "person",
        Kind.NUMBER,
        help_text=_("In whole years, if the date of birth is not known."),
    ),
    F(
        "appears_minor",
        _("There are reasons to believe the person may be under 18"),
        "identity",
        "person",
        Kind.YES_NO,
        help_text=_("Until an age assessment, the person is then treated as a child."),
    ),
    F(
        "age_assessed_on",
        _("Date of the age assessment"),
        "identity",
        "person",
        Kind.DATE,
        help_text=_("Only if an assessment was made."),
    ),
    F(
        "sex",
        _("Sex"),
        "identity",
        "person",
        Kind.ONE_OF,
        required=True,
        choices=_sex_choices,
        initial="unknown",
    ),
    F(
        "gender_identity",
        _("Gender identity"),
        "identity",
        "person",
        help_text=_("In the person's own words, if they wish."),
    ),
    F("citizenships", _("Citizenships"), "background", "background", Kind.COUNTRIES),
    F(
        "languages",
        _("Languages"),
        "background",
        "background",
        Kind.LANGUAGES,
        help_text=_("Language codes separated by commas, for example: ar, ti, en"),
    ),
    F("interpreter_needed", _("Needs an interpreter"), "background", "background", Kind.YES_NO),
    F(
        "interpreter_notes",
        _("Interpreter needs"),
        "background",
        "background",
        Kind.LONG_TEXT,
        help_text=_("For example a preferred gender or dialect."),
    ),
    F(
        "exploitation_forms",
        _("Forms of exploitation"),
        "exploitation",
        "exploitation",
        Kind.SOME_OF,
        choices=exploitation_choices,
    ),
    F("recruitment_countries", _("Countries of recruitment"), "exploitation", "exploitation", Kind.COUNTRIES),
    F("recruitment_places", _("Places of recruitment"), "exploitation", "exploitation", Kind.LONG_TEXT),
    F(
        "exploitation_countries",
        _("Countries of exploitation"),
        "exploitation",
        "exploitation",
        Kind.COUNTRIES,
    ),
    F("exploitation_places", _("Places of exploitation"), "exploitation", "exploitation", Kind.LONG_TEXT),
    F(
        "identified_on",
        _("Date the person was identified"),
        "exploitation",
        "exploitation",
        Kind.DATE,
        required=True,
    ),
    F("identified_where", _("Where the person was identified"), "exploitation", "exploitation"),
    F(
        "identified_by",
        _("Identified by"),
        "exploitation",
        "exploitation",
        Kind.PICK,
        choices=_identified_by_choices,
    ),
    F(
        "immediate_danger",
        _("The person is in immediate danger"),
        "safety",
        "safety",
        Kind.YES_NO,
        help_text=_("You will be shown the emergency protocol and local emergency contacts."),
    ),
    F(
        "risk_level",
        _("Risk"),
        "safety",
        "safety",
        Kind.ONE_OF,
        required=True,
        choices=_risk_choices,
        initial="unknown",
    ),
    F("risk_notes", _("Safety and risk assessment"), "safety", "safety", Kind.LONG_TEXT),
    F("risk_assessed_on", _("Date of the risk assessment"), "safety", "safety", Kind.DATE),
    F(
        "contact",
        _("How to contact the person safely"),
        "contact",
        "contact",
        Kind.LONG_TEXT,
        help_text=_("Say when and how contact is safe."),
    ),
    F(
        "documents",
        _("Identity and travel documents"),
        "documents",
        "contact",
        Kind.LONG_TEXT,
        help_text=_("Which documents the person holds."),
    ),
    F(
        "documents_withheld",
        _("Someone else holds the person's documents"),
        "documents",
        "contact",
        Kind.YES_NO,
    ),
)
del F
FIELDS_BY_NAME = {f.name: f for f in RECORD_FIELDS}

FIELD_GROUPS: dict[str, tuple[str, ...]] = {
    **{group: tuple(f.name for f in RECORD_FIELDS if f.group == group) for group in GROUP_TITLES},
    **dict.fromkeys(RECORD_GROUPS, ()),
}
# Who holds the case: set through the services and the API, in no field group (not personal data).
OTHER_EDITABLE = ("case_worker",)
EDITABLE_FIELDS = frozenset({f.name for f in RECORD_FIELDS if f.editable} | set(OTHER_EDITABLE))


@dataclass(frozen=True)
class Section:
    id: str
    title: Any
    fields: tuple[str, ...]


SECTIONS = tuple(
    Section(section, title, tuple(f.name for f in RECORD_FIELDS if f.section == section))
    for section, title in SECTION_TITLES.items()
)
SECTIONS_BY_ID = {s.id: s for s in SECTIONS}
# The field groups a section shows and edits (its page is read as those groups).
SECTION_GROUPS = {s.id: {FIELDS_BY_NAME[name].group for name in s.fields} for s in SECTIONS}
