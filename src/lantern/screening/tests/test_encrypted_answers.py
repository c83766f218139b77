"""A screening's answers and result (indicators of exploitation) are encrypted at rest (security review:
they were plain JSON, readable from a leaked database or backup)."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
from django.db import connection

from lantern.accounts.roles import Role
from lantern.crypto.cipher import PREFIX
from lantern.screening import services
from lantern.screening.models import Screening

from .factories import interviewing

pytestmark = pytest.mark.django_db

migration = importlib.import_module("lantern.screening.migrations.0003_encrypt_answers_and_result")


def _raw(screening: Screening) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers, result FROM screening_screening WHERE id = %s", [screening.pk])
        return cursor.fetchone()


def test_answers_and_result_are_ciphertext_in_the_database_and_read_back(personas: Any) -> None:
    screener = personas.own[Role.SCREENER]
    screening = interviewing(screener)
    screening = services.record_answers(
        actor=screener, screening=screening, version=screening.version, answers={"dr.wages": "yes"}
    )
    screening = services.complete(actor=screener, screening=screening, version=screening.version)
    answers, result = _raw(screening)
    for column in (answers, result):
        assert column.startswith(PREFIX + ":"), column[:40]
        assert "dr.wages" not in column and "outcome" not in column and "instruments" not in column
    fresh = Screening.objects.get(pk=screening.pk)
    assert fresh.answers == {"dr.wages": "yes"}
    assert fresh.result["outcome"] == fresh.outcome and fresh.result["instruments"]


def test_the_migration_encrypts_rows_stored_in_plain_json(personas: Any) -> None:
    screening = interviewing(personas.own[Role.SCREENER])
    plain = {"dr.wages": "yes", "dr.debt": "unsure"}
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE screening_screening SET answers = %s, result = NULL WHERE id = %s",
            [json.dumps(plain), screening.pk],
        )

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection  # type: ignore[attr-defined]
    migration.encrypt_rows(None, editor)
    answers, result = _raw(screening)
    assert "dr.wages" not in answers and result is None
    assert Screening.objects.get(pk=screening.pk).answers == plain
    migration.decrypt_rows(None, editor)
    assert json.loads(_raw(screening)[0]) == plain
