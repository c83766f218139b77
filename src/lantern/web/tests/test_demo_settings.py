"""`make run` serves the demo with DEBUG off: Lantern's own error pages, static files still served."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]

# Runs under lantern.settings.dev, as `make run` does: collect the static files, then ask for a mistyped
# address and for the stylesheet of the help page.
SCRIPT = textwrap.dedent(
    """
    import re
    import django
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    print("DEBUG", settings.DEBUG)
    call_command("collectstatic", "--no-input", "-v", "0")
    client = Client(HTTP_HOST="127.0.0.1")
    missing = client.get("/cases/no-such-page/")
    print("MISSING", missing.status_code, b"URLconf" in missing.content, b"Lantern" in missing.content)
    page = client.get("/help/")
    css = re.search(rb'href="(/static/[^"]+[.]css)"', page.content).group(1).decode()
    print("STATIC", client.get(css).status_code)
    """
)


def _run_demo_settings(tmp_path: Path, script: str = SCRIPT, **extra: str) -> str:
    from lantern.crypto.keyring import generate_keyring_json

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LANTERN_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="lantern.settings.dev",
        LANTERN_VAR_DIR=str(tmp_path),
        LANTERN_KEYRING=generate_keyring_json(),
        PYTHONPATH=str(REPO / "src"),
        **extra,
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_the_demo_runs_without_debug_and_shows_its_own_404_page(tmp_path: Path) -> None:
    out = _run_demo_settings(tmp_path)
    assert "DEBUG False" in out
    assert "MISSING 404 False True" in out  # no technical page listing the URL patterns
    assert "STATIC 200" in out


def test_a_developer_turns_debug_on_explicitly(tmp_path: Path) -> None:
    just_debug = (
        "import django; django.setup(); from django.conf import settings; print('DEBUG', settings.DEBUG)"
    )
    assert "DEBUG True" in _run_demo_settings(tmp_path, just_debug, DJANGO_DEBUG="true")
