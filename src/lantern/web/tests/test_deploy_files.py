"""The files of deploy/ agree with each other and with Lantern: secret paths in the units, lantern-admin and
lantern.env.example; translations compiled before the image installs the package; gunicorn's control socket
where systemd lets it write; HSTS sent once without includeSubDomains/preload by default; and an installed
`lantern` without settings refuses to guess the development ones."""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from lantern import cli

DEPLOY = Path(__file__).resolve().parents[4] / "deploy"
SECRET_VARIABLES = ("DJANGO_SECRET_KEY_FILE", "LANTERN_BACKUP_KEY_FILE", "LANTERN_KEYRING_FILE")


def unit(name: str) -> str:
    return (DEPLOY / name).read_text()


def test_lantern_env_example_documents_the_secret_files_without_overriding_the_units() -> None:
    example = unit("lantern.env.example")
    for variable in SECRET_VARIABLES:
        assert variable in example, f"{variable} is not documented in lantern.env.example"
        # systemd's EnvironmentFile= overrides Environment=: a value here would replace the credential path.
        assert not re.search(rf"^{variable}=", example, re.MULTILINE)


def test_units_and_lantern_admin_read_the_secrets_from_the_same_places() -> None:
    service, maintenance, admin = (
        unit("lantern.service"),
        unit("lantern-maintenance.service"),
        unit("lantern-admin"),
    )
    example = unit("lantern.env.example")
    for text in (service, maintenance):
        assert "LoadCredential=secret_key:/etc/lantern/secret_key" in text
        assert "Environment=LANTERN_KEYRING_FILE=/etc/lantern/keyring/keyring.json" in text
    assert "LoadCredential=backup.key:/etc/lantern/backup.key" in maintenance
    assert "Environment=LANTERN_BACKUP_KEY_FILE=%d/backup.key" in maintenance
    assert 'LANTERN_KEYRING_FILE="$LANTERN_ETC/keyring/keyring.json"' in admin
    assert 'LANTERN_ETC="${LANTERN_ETC:-/etc/lantern}"' in admin
    for path in ("/etc/lantern/secret_key", "/etc/lantern/backup.key", "/etc/lantern/keyring/keyring.json"):
        assert path in example
    var_dir = re.search(r"^LANTERN_VAR_DIR=(.+)$", example, re.MULTILINE).group(1)  # type: ignore[union-attr]
    assert f"ReadWritePaths={var_dir}" in service and f"ReadWritePaths={var_dir}" in maintenance


def test_the_image_compiles_translations_before_installing_the_package() -> None:
    instructions = "\n".join(line for line in unit("Containerfile").splitlines() if not line.startswith("#"))
    assert "msgfmt" in instructions and instructions.index("msgfmt") < instructions.index("pip install")


def gunicorn_settings(env: dict[str, str]) -> dict[str, object]:
    saved = dict(os.environ)
    try:
        os.environ.pop("RUNTIME_DIRECTORY", None)
        os.environ.update(env)
        return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_gunicorn_control_socket_goes_to_the_runtime_directory_or_nowhere() -> None:
    under_systemd = gunicorn_settings({"RUNTIME_DIRECTORY": "/run/lantern"})
    assert under_systemd["control_socket"] == "/run/lantern/gunicorn.ctl"
    assert under_systemd["control_socket_disable"] is False
    assert gunicorn_settings({})["control_socket_disable"] is True  # not under $HOME, read-only there


def test_production_sends_hsts_without_subdomains_or_preload_unless_asked() -> None:
    def hsts(**env: str) -> str:
        code = (
            "from django.conf import settings as s; import django; django.setup(); "
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
        )
        environment = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SETTINGS_MODULE": "lantern.settings.production",
            "DJANGO_SECRET_KEY": "x" * 60,
            **env,
        }
        return subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
        ).stdout.strip()

    assert hsts() == "31536000 False False"
    assert hsts(LANTERN_HSTS_INCLUDE_SUBDOMAINS="true", LANTERN_HSTS_PRELOAD="true") == "31536000 True True"


def test_an_installed_lantern_without_settings_refuses_to_use_the_development_ones(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    monkeypatch.setattr(cli, "is_development_checkout", lambda: False)
    assert cli.main(["migrate"]) == 2
    assert "lantern-admin" in capsys.readouterr().err
    assert "DJANGO_SETTINGS_MODULE" not in os.environ


def test_a_checkout_is_recognised_and_site_packages_is_not() -> None:
    assert cli.is_development_checkout()  # the tests run from the checkout (editable install)
    assert "site-packages" not in str(Path(cli.__file__).resolve())
