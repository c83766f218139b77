"""Identifying data: unreadable in the database, readable in the application, searchable by blind index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from lantern.crypto import cipher
from lantern.crypto.fields import blind_index_for
from lantern.crypto.keyring import generate_keyring, load_keyring, write_keyring
from lantern.testapp.models import Dossier

REPO = Path(__file__).resolve().parents[4]


def _raw_row(pk: int) -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT family_name, date_of_birth, notes FROM testapp_dossier WHERE id = %s", [pk])
        return cursor.fetchone()


@pytest.mark.django_db
def test_encrypted_fields_are_unreadable_in_raw_sql_and_read_back(personas: Any) -> None:
    dossier = Dossier.objects.create(
        organisation=personas.own_org,
        family_name="Haddad",
        date_of_birth="1999-04-02",
        notes="Speaks Tigrinya",
    )
    raw = _raw_row(dossier.pk)
    for plaintext, stored in zip(["Haddad", "1999-04-02", "Speaks Tigrinya"], raw, strict=True):
        assert plaintext not in stored
        assert stored.startswith("lc1:")
    again = Dossier.objects.get(pk=dossier.pk)
    assert (again.family_name, again.date_of_birth, again.notes) == (
        "Haddad",
        "1999-04-02",
        "Speaks Tigrinya",
    )


@pytest.mark.django_db
def test_exact_match_search_goes_through_the_blind_index(personas: Any) -> None:
    Dossier.objects.create(organisation=personas.own_org, family_name="Ḥaddād")
    Dossier.objects.create(organisation=personas.own_org, family_name="Smith")
    digest = blind_index_for(Dossier, "family_name_index", "  haddad ")
    assert [d.family_name for d in Dossier.objects.filter(family_name_index=digest)] == ["Ḥaddād"]
    with pytest.raises(TypeError, match="blind index"):
        Dossier.objects.filter(family_name="Smith")


def test_a_ciphertext_moved_to_another_column_or_altered_does_not_decrypt() -> None:
    ring = generate_keyring()
    token = cipher.encrypt("Amira", "testapp.dossier.family_name", ring)
    with pytest.raises(cipher.DecryptionError):
        cipher.decrypt(token, "testapp.dossier.notes", ring)
    altered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(cipher.DecryptionError):
        cipher.decrypt(altered, "testapp.dossier.family_name", ring)


@pytest.mark.django_db
def test_key_rotation_re_encrypts_every_value_and_retires_the_old_key(
    personas: Any, tmp_path: Path, settings: Any
) -> None:
    old = load_keyring(settings.LANTERN_KEYRING, None)
    path = tmp_path / "keyring.json"
    write_keyring(old, path)
    settings.LANTERN_KEYRING = ""
    settings.LANTERN_KEYRING_FILE = str(path)
    settings.LANTERN_BACKUP_DIR = str(tmp_path / "backups")  # no backup needs the old key
    cipher.reset_keyring_cache()
    try:
        dossier = Dossier.objects.create(organisation=personas.own_org, family_name="Moreau", notes="note")
        before = _raw_row(dossier.pk)
        call_command("keys", "rotate", "--retire-old")
        after = _raw_row(dossier.pk)
        new = json.loads(path.read_text())
        assert list(new["keys"]) == [new["primary"]] and new["primary"] != old.primary
        assert cipher.key_id_of(after[0]) == new["primary"] and after[0] != before[0]
        assert Dossier.objects.get(pk=dossier.pk).family_name == "Moreau"
        # The blind index key does not rotate: search still works.
        assert Dossier.objects.filter(
            family_name_index=blind_index_for(Dossier, "family_name_index", "moreau")
        )
    finally:
        cipher.reset_keyring_cache()


def _run_without_keyring(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LANTERN_KEYRING", "DJANGO_SETTINGS"))}
    env.update(
        DJANGO_SETTINGS_MODULE="lantern.settings.dev",
        LANTERN_KEYRING_FILE="/nonexistent/keyring.json",
        PYTHONPATH=str(REPO / "src"),
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_server_refuses_to_start_without_a_key() -> None:
    result = _run_without_keyring("-m", "django", "check")
    assert result.returncode != 0
    assert "will not start without its encryption keyring" in result.stderr


def test_wsgi_refuses_to_start_without_a_key() -> None:
    result = _run_without_keyring(
        "-c", "import os; os.environ['DJANGO_SETTINGS_MODULE']='lantern.settings.dev'; import lantern.wsgi"
    )
    assert result.returncode == 78
    assert "Lantern cannot start" in result.stderr and "keyring" in result.stderr
