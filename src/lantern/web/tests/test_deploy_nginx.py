"""The nginx configuration in deploy/ is valid and does what it says, run for real in front of Lantern:
TLS with HSTS sent once, requests proxied with a request id, the sign-in rate limit (posts only, with a page
that explains), the request size limit, and public
pages logged without the visitor's address. `make test` installs nginx (Debian's nginx-light)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

DEPLOY = Path(__file__).resolve().parents[4] / "deploy"

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "lantern.example.org")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "fullchain.pem", directory / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


@pytest.fixture
def nginx(tmp_path: Path, live_server: Any) -> Iterator[dict[str, Any]]:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(binary).exists(), "nginx is missing: `make test` installs Debian's nginx-light"
    cert, key = self_signed(tmp_path)
    https_port, http_port = free_port(), free_port()
    upstream = live_server.url.removeprefix("http://").replace("localhost", "127.0.0.1")
    site = (DEPLOY / "nginx.conf").read_text()
    for old, new in {
        "/etc/ssl/lantern/fullchain.pem": str(cert),
        "/etc/ssl/lantern/privkey.pem": str(key),
        "/etc/nginx/lantern-proxy.conf": str(tmp_path / "lantern-proxy.conf"),
        "/var/log/nginx/": f"{tmp_path}/",
        "/srv/lantern/var/static/": f"{tmp_path}/static/",
        "/srv/lantern/deploy/errors/": f"{DEPLOY}/errors/",
        "server 127.0.0.1:8000;": f"server {upstream};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
    }.items():
        assert old in site, f"deploy/nginx.conf no longer has {old!r}: update this test"
        site = site.replace(old, new)
    site = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", site)  # no IPv6 needed here
    (tmp_path / "lantern.conf").write_text(site)
    shutil.copy(DEPLOY / "lantern-proxy.conf", tmp_path / "lantern-proxy.conf")
    (tmp_path / "static").mkdir()
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  client_body_temp_path {tmp_path}/body;\n  proxy_temp_path {tmp_path}/proxy;\n"
        f"  include {tmp_path}/lantern.conf;\n}}\n"
    )
    command = [binary, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)  # noqa: S603
    assert checked.returncode == 0, checked.stderr
    subprocess.run(command, check=True)  # noqa: S603
    for _ in range(50):
        if (tmp_path / "nginx.pid").exists():
            break
        time.sleep(0.1)
    try:
        yield {
            "base": f"https://127.0.0.1:{https_port}",
            "http": f"http://127.0.0.1:{http_port}",
            "dir": tmp_path,
            "upstream": live_server.url,
        }
    finally:
        subprocess.run([*command, "-s", "stop"], check=False)  # noqa: S603


def test_tls_proxying_limits_and_logs(nginx: dict[str, Any]) -> None:
    # The first request warms the test server up (slow on a busy machine); then all goes through nginx.
    assert httpx.get(nginx["upstream"] + "/healthz", timeout=120).status_code == 200
    with httpx.Client(base_url=nginx["base"], verify=False, timeout=60) as client:  # noqa: S501 (self-signed)
        health = client.get("/healthz")
        assert health.status_code == 200 and health.json()["status"] == "ok"
        # HSTS is Lantern's to send (production settings; the test server sends none): nginx adds no second.
        assert health.headers.get_list("strict-transport-security") == []
        assert re.fullmatch(r"[0-9a-f]{32}", health.headers["x-request-id"])  # nginx's id, kept by Lantern
        assert "nginx/" not in health.headers.get("server", "")  # server_tokens off

        public = client.get("/p/en/?c=secret-campaign")
        assert public.status_code == 200

        too_big = client.post("/accounts/sign-in/", content=b"x" * (21 * 1024 * 1024))
        assert too_big.status_code == 413

        # Only posts count: a whole office can open the sign-in and two-factor pages.
        pages = [client.get(path).status_code for path in ["/accounts/sign-in/"] * 40]
        assert 429 not in pages, pages
        statuses = [client.post("/accounts/sign-in/", data={"username": "x"}) for _ in range(35)]
        limited = [r for r in statuses if r.status_code == 429]
        assert limited, [r.status_code for r in statuses]  # 30 a minute, burst 30
        assert "Too many sign-in attempts from your network" in limited[0].text  # a page that explains
        assert client.post("/accounts/two-factor/", data={"otp_token": "1"}).status_code == 429

    redirect = httpx.get(nginx["http"] + "/cases/?page=2", follow_redirects=False, timeout=60)
    assert redirect.status_code == 301 and redirect.headers["location"].startswith("https://")
    assert redirect.headers.get("server") == "nginx"  # no version on the port-80 block either

    time.sleep(0.2)  # nginx writes its log lines as requests end
    public_log = (nginx["dir"] / "lantern.public.log").read_text()
    assert "/p/en/" in public_log
    assert "127.0.0.1" not in public_log and "secret-campaign" not in public_log
    staff_log = (nginx["dir"] / "lantern.access.log").read_text()
    assert "/healthz" in staff_log and "page=2" not in staff_log
