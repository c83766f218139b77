"""The demo app (fictional data, `seed`, the benchmarks' commands) is never part of a production site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]
DEMO_COMMANDS = {"demo", "seed", "bench_ids", "bench_sql", "bench_users"}


def _commands(settings: str, var: Path) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LANTERN_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        DJANGO_SECRET_KEY="b" * 20 + "-a-secret-key-only-for-listing-the-commands-0123",
        DJANGO_ALLOWED_HOSTS="lantern.example.org",
        LANTERN_VAR_DIR=str(var),
        PYTHONPATH=str(REPO / "src"),
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", "help", "--commands"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    return set(result.stdout.split())


@pytest.mark.parametrize(
    ("settings", "installed"),
    [
        ("lantern.settings.production", False),
        ("lantern.settings.bench", True),
        ("lantern.settings.dev", True),
    ],
)
def test_the_demo_commands_exist_in_dev_and_bench_settings_only(
    settings: str, installed: bool, tmp_path: Path
) -> None:
    commands = _commands(settings, tmp_path)
    assert "migrate" in commands
    assert (DEMO_COMMANDS <= commands) if installed else not (DEMO_COMMANDS & commands)
