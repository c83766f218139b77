"""`lantern seed`: fictional cases with consistent stages, deadlines, consents and encrypted identities."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from lantern.cases.models import Case, CaseEvent, Consent, Purpose

pytestmark = pytest.mark.django_db


def test_seed_creates_cases_with_timelines_and_consents() -> None:
    out = StringIO()
    call_command("seed", "--cases", "60", stdout=out)
    assert "seeded 60 cases" in out.getvalue()
    assert Case.objects.count() == 60
    for case in Case.objects.all():
        events = list(case.events.order_by("at", "pk"))
        assert events[0].kind == CaseEvent.Kind.CREATED and events[-1].to_stage == case.stage
        if case.referred_to_id:
            assert case.consents.filter(purpose=Purpose.COMPETENT_AUTHORITY).exists()
    assert Consent.objects.filter(purpose=Purpose.STATISTICS).exists()


def test_seeded_names_are_encrypted_and_in_several_scripts() -> None:
    call_command("seed", "--cases", "80", stdout=StringIO())
    names = [c.family_name for c in Case.objects.all()]
    scripts = {
        "arabic": any("\u0600" <= ch <= "\u06ff" for n in names for ch in n),
        "cyrillic": any("\u0400" <= ch <= "\u04ff" for n in names for ch in n),
        "latin": any("a" <= ch.lower() <= "z" for n in names for ch in n),
    }
    assert all(scripts.values()), scripts
    with connection.cursor() as cursor:
        cursor.execute("SELECT family_name FROM cases_case")
        assert all(row[0].startswith("lc1:") for row in cursor.fetchall())


def test_seed_if_empty_adds_nothing_the_second_time() -> None:
    call_command("seed", "--cases", "5", stdout=StringIO())
    out = StringIO()
    call_command("seed", "--cases", "5", "--if-empty", stdout=out)
    assert Case.objects.count() == 5 and "nothing seeded" in out.getvalue()
