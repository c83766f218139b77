"""The case record's fields are declared once (`cases.fields`): the groups, sections, forms, services and API
all list exactly the declared fields, and showing a record needs no form."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from lantern.cases.api import CaseRecordFields
from lantern.cases.fields import (
    EDITABLE_FIELDS,
    FIELD_GROUPS,
    GROUP_TITLES,
    RECORD_FIELDS,
    SECTION_GROUPS,
    SECTIONS,
)
from lantern.cases.forms import field_definitions
from lantern.cases.models import PERSONAL_FIELDS, Case

DECLARED = [field.name for field in RECORD_FIELDS]
REPO = Path(__file__).resolve().parents[4]


def test_each_field_is_declared_once_for_a_field_of_the_case() -> None:
    assert len(DECLARED) == len(set(DECLARED))
    model_fields = {field.name for field in Case._meta.get_fields()}
    assert set(DECLARED) <= model_fields
    assert all(field.group in GROUP_TITLES and field.section in SECTION_GROUPS for field in RECORD_FIELDS)


def test_groups_sections_forms_services_and_the_api_list_exactly_the_declared_fields() -> None:
    assert list(PERSONAL_FIELDS) == DECLARED
    assert [name for names in FIELD_GROUPS.values() for name in names] == DECLARED
    assert sorted(name for section in SECTIONS for name in section.fields) == sorted(DECLARED)
    assert list(field_definitions()) == DECLARED
    assert list(CaseRecordFields().fields) == DECLARED
    assert EDITABLE_FIELDS == {*DECLARED, "case_worker"}


def test_a_field_shows_in_its_group_and_is_edited_in_its_section() -> None:
    for field in RECORD_FIELDS:
        assert field.name in FIELD_GROUPS[field.group]
        section = next(s for s in SECTIONS if field.name in s.fields)
        assert section.id == field.section and field.group in SECTION_GROUPS[section.id]


def test_the_form_shows_the_declared_label_and_help() -> None:
    forms = field_definitions()
    for field in RECORD_FIELDS:
        assert str(forms[field.name].label) == str(field.label)
        assert forms[field.name].required is field.required
        if field.help_text:
            assert str(forms[field.name].help_text) == str(field.help_text)


def test_presenters_and_statistics_import_no_form() -> None:
    code = (
        "import sys, django\n"
        "django.setup()\n"
        "import lantern.cases.presenters, lantern.insights.statistics\n"
        "print(sorted(m for m in sys.modules if m.startswith('lantern.') and m.endswith('.forms')))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lantern.settings.test", "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=True
    )
    assert result.stdout.strip() == "[]"
