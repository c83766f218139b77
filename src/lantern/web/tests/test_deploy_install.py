"""deploy/install.sh for real, as an NGO's IT person runs it (as root): on a throwaway prefix, with a
throwaway PostgreSQL cluster and the real nginx with a self-signed certificate, without systemd (as in CI:
gunicorn is started by `lantern-admin gunicorn`). Then the first administrator signs in with two-factor
through nginx; commands run by hand through `lantern-admin` (backup, retention, restore) leave no root-owned
file; with PostgreSQL stopped, the "Not saved" page sends the input again once it is back; deploy/upgrade.sh
and a key rotation while requests keep coming, none of which may fail.
"""

from __future__ import annotations

import base64
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from django_otp.oath import totp

REPO = Path(__file__).resolve().parents[4]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
HOST = "lantern.test"

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="the installer runs as root (as in CI)"),
    pytest.mark.skipif(
        not PG_BIN.exists() or not shutil.which("nginx"), reason="needs PostgreSQL 15 and nginx"
    ),
    # It brings its own PostgreSQL cluster: once per `make test` (the SQLite pass) is enough.
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="run in the SQLite pass of make test",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*command: str, check: bool = True, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, check=check, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]  # noqa: S603


@dataclass
class Postgres:
    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://lantern@127.0.0.1:{self.port}/lantern"

    def ctl(self, *args: str) -> None:
        run("runuser", "-u", "nobody", "--", str(PG_BIN / "pg_ctl"), "-D", str(self.data), *args)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.ctl("-l", str(self.data / "server.log"), "-w", "-t", "60", "-o", options, "start")

    def stop(self) -> None:
        self.ctl("-m", "fast", "-w", "stop")


@dataclass
class Installation:
    root: Path
    prefix: Path
    etc: Path
    backups: Path
    admin: Path
    user: str
    https: str
    postgres: Postgres
    output: str
    command: list[str]

    def lantern_admin(self, *args: str, stdin: str | None = None) -> str:
        done = run(str(self.admin), *args, input=stdin, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout


@pytest.fixture(scope="module")
def installation() -> Iterator[Installation]:
    root = Path(tempfile.mkdtemp(prefix="lantern-install-", dir="/tmp"))
    root.chmod(0o755)  # the service user must reach its folders inside
    user = f"lantern{os.getpid() % 100000}"
    postgres = Postgres(root / "pg", free_port())
    postgres.data.mkdir()
    shutil.chown(postgres.data, "nobody")
    run(
        "runuser",
        "-u",
        "nobody",
        "--",
        str(PG_BIN / "initdb"),
        "-D",
        str(postgres.data),
        "-U",
        "lantern",
        "--auth=trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    )
    postgres.start()
    run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(postgres.port), "-U", "lantern", "lantern")
    nginx_dir, https_port, bind = root / "nginx", free_port(), f"127.0.0.1:{free_port()}"
    nginx_dir.mkdir()
    main_conf = nginx_dir / "nginx.conf"
    main_conf.write_text(
        f"pid {nginx_dir}/nginx.pid;\nerror_log {nginx_dir}/error.log;\nevents {{}}\n"
        f"http {{\n  client_body_temp_path {nginx_dir}/body;\n  proxy_temp_path {nginx_dir}/proxy;\n"
        f"  include {nginx_dir}/sites-enabled/*.conf;\n}}\n"
    )
    prefix, etc = root / "srv", root / "etc"
    command = [
        str(REPO / "deploy" / "install.sh"),
        "--hostname",
        HOST,
        "--email",
        "it@ngo.test",
        "--tls",
        "self-signed",
        "--prefix",
        str(prefix),
        "--etc",
        str(etc),
        "--user",
        user,
        "--backup-dir",
        str(root / "backups"),
        "--bindir",
        str(root / "bin"),
        "--database-url",
        postgres.url,
        "--nginx-dir",
        str(nginx_dir),
        "--nginx-main-conf",
        str(main_conf),
        "--nginx-log-dir",
        str(nginx_dir),
        "--https-port",
        str(https_port),
        "--http-port",
        str(free_port()),
        "--bind",
        bind,
        "--no-systemd",
        "--no-apt",
        "--reuse-packages-from",
        str(REPO / ".venv"),
    ]
    installed = run(*command, check=False, timeout=600)
    try:
        assert installed.returncode == 0, installed.stdout + installed.stderr
        yield Installation(
            root,
            prefix,
            etc,
            root / "backups",
            root / "bin" / "lantern-admin",
            user,
            f"https://127.0.0.1:{https_port}",
            postgres,
            installed.stdout,
            command,
        )
    finally:
        pid = prefix / "run" / "gunicorn.pid"
        if pid.exists():
            run("kill", pid.read_text().strip(), check=False)
        run("nginx", "-c", str(main_conf), "-s", "stop", check=False)
        postgres.ctl("-m", "immediate", "stop")
        time.sleep(1)
        run("userdel", user, check=False)
        shutil.rmtree(root, ignore_errors=True)


def printed(name: str, output: str) -> str:
    match = re.search(rf"^\s*{name}:\s+(\S+)$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def hidden_fields(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))


def root_owned(*folders: Path) -> list[str]:
    return [str(p) for folder in folders for p in [folder, *folder.rglob("*")] if p.lstat().st_uid == 0]


def first_sign_in_commands_by_hand_and_a_database_outage(
    installation: Installation,
) -> None:
    inst = installation
    # What the installer left: folders and secrets with their owners and modes, translations compiled.
    service_uid = pwd.getpwnam(inst.user).pw_uid
    assert (inst.etc / "secret_key").stat().st_mode & 0o777 == 0o600
    assert (inst.etc / "keyring" / "keyring.json").stat().st_uid == service_uid
    assert (inst.prefix / "var").stat().st_uid == service_uid
    assert list(
        (inst.prefix / ".venv").glob("lib/python3*/site-packages/lantern/web/locale/fr/LC_MESSAGES/django.mo")
    )

    password, secret = printed("password", inst.output), printed("TOTP secret", inst.output)
    origin = f"https://{HOST}:{inst.https.rsplit(':', 1)[1]}"
    headers = {"Host": origin.removeprefix("https://"), "Referer": origin + "/"}
    with httpx.Client(base_url=inst.https, verify=False, timeout=60, headers=headers) as client:  # noqa: S501
        page = client.get("/accounts/sign-in/").text
        response = client.post(
            "/accounts/sign-in/",
            data={"csrfmiddlewaretoken": csrf_token(page), "username": "admin", "password": password},
        )
        assert response.status_code == 302 and response.headers["location"].endswith("/accounts/two-factor/")
        page = client.get("/accounts/two-factor/").text
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        response = client.post(
            "/accounts/two-factor/",
            data={"csrfmiddlewaretoken": csrf_token(page), "otp_token": f"{totp(key):06d}"},
        )
        assert response.status_code == 302, response.text[:2000]
        assert client.get("/").status_code == 200
        assert client.get("/readyz").json()["status"] == "ready"

        # Commands by hand, as root, through lantern-admin: nothing root-owned afterwards.
        inst.lantern_admin("backup")
        [backup] = inst.backups.glob("lantern-*.lbk")
        inst.lantern_admin("restore", str(backup), "--yes")
        inst.lantern_admin("retention", "run")
        assert root_owned(inst.prefix / "var", inst.backups, inst.etc / "keyring") == []
        assert client.get("/readyz").json()["status"] == "ready"

        # PostgreSQL stopped while a form is sent: "Not saved", with a way to send it again.
        page = client.get("/accounts/organisations/new/").text
        form = {**hidden_fields(page), "name": "Olive House", "type": "shelter", "country": "GR"}
        inst.postgres.stop()
        try:
            failed = client.post("/accounts/organisations/new/", data=form)
            assert failed.status_code == 503, failed.text[:2000]
            again = hidden_fields(failed.text)
            assert again.get("name") == "Olive House" and "lantern_resend" in again
        finally:
            inst.postgres.start()
        sent = client.post("/accounts/organisations/new/", data=again)
        assert sent.status_code == 302, sent.text[:2000]
    assert "Olive House" in inst.lantern_admin(
        "shell",
        "-c",
        "from lantern.accounts.models import Organisation; "
        "print(list(Organisation.objects.values_list('name', flat=True)))",
    )


class Traffic:
    """Requests sent through nginx all along an operation, from another thread: how many failed."""

    # Pages that touch the database, the keyring and the session; paced under nginx's rate limits (a 429
    # from nginx would say nothing about the operation).
    PATHS = ("/healthz", "/readyz", "/accounts/sign-in/")

    def __init__(self, inst: Installation) -> None:
        self.inst, self.sent, self.failed, self.stop = inst, 0, [], threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        origin = f"{HOST}:{self.inst.https.rsplit(':', 1)[1]}"
        insecure = {"verify": False}  # the installer's self-signed certificate
        with httpx.Client(
            base_url=self.inst.https, timeout=30, headers={"Host": origin}, **insecure
        ) as client:
            while not self.stop.is_set():
                for path in self.PATHS:
                    try:
                        response = client.get(path)
                        ok = response.status_code == 200
                        detail = f"{path} {response.status_code} {response.text[:200]}"
                    except httpx.HTTPError as exc:
                        ok, detail = False, f"{path} {exc!r}"
                    self.sent += 1
                    if not ok:
                        self.failed.append(detail)
                time.sleep(0.3)

    def __enter__(self) -> Traffic:
        self.thread.start()
        time.sleep(1)
        return self

    def __exit__(self, *exc: object) -> None:
        time.sleep(2)  # the new workers serve for a moment too
        self.stop.set()
        self.thread.join(timeout=60)


def release_with_a_new_migration(root: Path) -> Path:
    """The working tree plus one new migration, as the next release would bring."""
    release = root / "release"
    release.mkdir()
    for name in ("pyproject.toml", "constraints.txt", "README.md"):
        shutil.copy(REPO / name, release / name)
    shutil.copytree(REPO / "src", release / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    shutil.copytree(REPO / "deploy", release / "deploy")
    latest = sorted(p.stem for p in (REPO / "src/lantern/web/migrations").glob("0*.py"))[-1]
    (release / "src/lantern/web/migrations/0999_upgrade_probe.py").write_text(
        "from django.db import migrations, models\n\n\n"
        "class Migration(migrations.Migration):\n"
        f"    dependencies = [('web', '{latest}')]\n"
        "    operations = [\n"
        "        migrations.CreateModel('UpgradeProbe', [('id', models.BigAutoField(primary_key=True))]),\n"
        "    ]\n"
    )
    return release


def upgrade_to_a_release_with_a_new_migration_while_serving(installation: Installation) -> None:
    inst = installation
    release = release_with_a_new_migration(inst.root)
    with Traffic(inst) as traffic:
        upgraded = run(
            str(REPO / "deploy" / "upgrade.sh"),
            "--to",
            str(release),
            "--prefix",
            str(inst.prefix),
            "--etc",
            str(inst.etc),
            "--bindir",
            str(inst.admin.parent),
            "--no-systemd",
            "--reuse-packages-from",
            str(REPO / ".venv"),
            check=False,
            timeout=600,
        )
    print(f"upgrade: {traffic.sent} requests, {len(traffic.failed)} failed: {traffic.failed[:5]}")  # noqa: T201
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    assert "web.0999_upgrade_probe" in inst.lantern_admin("showmigrations", "--plan", "web").replace(" ", "")
    assert "[X]" in inst.lantern_admin("showmigrations", "web").splitlines()[-1]
    assert not (inst.prefix / "var" / "upgrade-in-progress").exists()
    assert traffic.sent > 10 and traffic.failed == []


def key_rotation_while_serving(installation: Installation) -> None:
    inst = installation
    with Traffic(inst) as traffic:
        output = inst.lantern_admin("keys", "rotate")
        time.sleep(2)  # workers pick the rotated keyring up within a second
    print(f"rotation: {traffic.sent} requests, {len(traffic.failed)} failed: {traffic.failed[:5]}")  # noqa: T201
    assert "rotated: new primary key" in output and traffic.sent > 5 and traffic.failed == []
    status = inst.lantern_admin("keys", "status")
    assert "MISSING" not in status and status.count(", ") >= 1  # old and new keys held
    assert root_owned(inst.etc / "keyring") == []


def test_install_sign_in_upgrade_and_rotate_keys_on_a_throwaway_machine(installation: Installation) -> None:
    """One test, so that `pytest -n` installs once (the steps follow each other on the same machine)."""
    first_sign_in_commands_by_hand_and_a_database_outage(installation)
    upgrade_to_a_release_with_a_new_migration_while_serving(installation)
    key_rotation_while_serving(installation)
    installer_run_again_keeps_settings_keys_and_administrator(installation)


def installer_run_again_keeps_settings_keys_and_administrator(inst: Installation) -> None:
    secrets = {
        name: (inst.etc / name).read_bytes() for name in ("secret_key", "backup.key", "keyring/keyring.json")
    }
    again = run(*inst.command, check=False, timeout=600)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "exists already" in again.stdout and "TOTP secret" not in again.stdout
    assert {name: (inst.etc / name).read_bytes() for name in secrets} == secrets
    assert root_owned(inst.prefix / "var", inst.backups, inst.etc / "keyring") == []
