"""A key rotation never breaks the running service or the backups: running processes read the rotated
keyring file by themselves, old keys are kept until no data and no kept backup needs them, `/readyz` names a
key the data uses that the keyring lacks, and a restore refuses a backup whose keys are gone."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from lantern.backups import archive, services
from lantern.crypto import cipher
from lantern.crypto.keyring import generate_keyring, load_keyring, new_key_id, write_keyring
from lantern.testapp.models import Dossier
from lantern.web import readiness

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def keyring_file(settings: Any, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "keyring.json"
    write_keyring(load_keyring(settings.LANTERN_KEYRING, None), path)
    settings.LANTERN_KEYRING = ""
    settings.LANTERN_KEYRING_FILE = str(path)
    settings.VAR_DIR = tmp_path / "var"
    settings.LANTERN_BACKUP_DIR = str(tmp_path / "backups")
    settings.LANTERN_BACKUP_KEY_FILE = str(tmp_path / "backup.key")
    settings.LANTERN_ERASURE_LEDGER_FILE = str(tmp_path / "ledger.jsonl")
    archive.create_key(Path(settings.LANTERN_BACKUP_KEY_FILE))
    cipher.reset_keyring_cache()
    readiness._data_keys.update(at=0.0)
    yield path
    cipher.reset_keyring_cache()
    readiness._data_keys.update(at=0.0)


def raw_family_name(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT family_name FROM testapp_dossier WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def keys_command(*args: str) -> str:
    out = io.StringIO()
    call_command("keys", *args, stdout=out)
    return out.getvalue()


def test_a_running_process_reads_a_keyring_another_process_rotated(personas: Any, keyring_file: Path) -> None:
    dossier = Dossier.objects.create(organisation=personas.own_org, family_name="Moreau")
    assert cipher.active_keyring()  # this process has read the keyring once, like a gunicorn worker
    # Another process (`lantern keys rotate`) writes a new keyring and re-encrypts with its new key.
    old = load_keyring(None, str(keyring_file))
    kid = new_key_id()
    rotated = replace(old, primary=kid, keys={**old.keys, kid: generate_keyring().keys.popitem()[1]})
    write_keyring(rotated, keyring_file)
    token = cipher.encrypt("Moreau", "testapp.dossier.family_name", rotated)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE testapp_dossier SET family_name = %s WHERE id = %s", [token, dossier.pk])
    assert Dossier.objects.get(pk=dossier.pk).family_name == "Moreau"


def test_rotation_keeps_the_old_key_so_older_backups_stay_readable(personas: Any, keyring_file: Path) -> None:
    dossier = Dossier.objects.create(organisation=personas.own_org, family_name="Moreau")
    old_primary = load_keyring(None, str(keyring_file)).primary
    backup = services.make_backup().path
    keys_command("rotate")
    ring = json.loads(keyring_file.read_text())
    assert old_primary in ring["keys"] and ring["primary"] != old_primary
    assert cipher.key_id_of(raw_family_name(dossier.pk)) == ring["primary"]
    services.restore_backup(backup)  # the backup's values are under the old key: still readable
    assert Dossier.objects.get(pk=dossier.pk).family_name == "Moreau"


def test_retiring_a_key_a_kept_backup_needs_is_refused_naming_the_backup(
    personas: Any, keyring_file: Path
) -> None:
    Dossier.objects.create(organisation=personas.own_org, family_name="Moreau")
    old_primary = load_keyring(None, str(keyring_file)).primary
    backup = services.make_backup().path
    keys_command("rotate")
    with pytest.raises(CommandError, match=backup.name):
        keys_command("retire")
    assert old_primary in json.loads(keyring_file.read_text())["keys"]
    backup.unlink()  # pruned at the end of the retention window
    assert "retired: " + old_primary in keys_command("retire")
    assert list(json.loads(keyring_file.read_text())["keys"]) == [
        json.loads(keyring_file.read_text())["primary"]
    ]


def test_readyz_names_a_key_the_data_uses_that_the_keyring_lacks(
    personas: Any, keyring_file: Path, client: Client
) -> None:
    Dossier.objects.create(organisation=personas.own_org, family_name="Moreau")
    assert client.get("/readyz").json()["checks"]["keyring"] == "ok"
    old = load_keyring(None, str(keyring_file))
    # What the old default `keys rotate` did to a running service: the key in use gone from the keyring.
    fresh = generate_keyring()
    write_keyring(replace(old, primary=fresh.primary, keys=fresh.keys), keyring_file)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert old.primary in response.json()["checks"]["keyring"]


def test_restore_refuses_a_backup_whose_keys_are_missing_naming_them(
    personas: Any, keyring_file: Path
) -> None:
    dossier = Dossier.objects.create(organisation=personas.own_org, family_name="Moreau")
    old_primary = load_keyring(None, str(keyring_file)).primary
    backup = services.make_backup().path
    keys_command("rotate")
    ring = load_keyring(None, str(keyring_file))
    write_keyring(replace(ring, keys={ring.primary: ring.keys[ring.primary]}), keyring_file)  # old key lost
    with pytest.raises(CommandError, match=old_primary):
        call_command("restore", str(backup), "--yes", stdout=io.StringIO())
    assert Dossier.objects.get(pk=dossier.pk).family_name == "Moreau"  # nothing was touched
