"""The NRM procedure core (`lantern.cases.procedure`) is pure Python: importing it loads no Django."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]


def test_the_procedure_package_imports_no_django() -> None:
    code = (
        "import sys\n"
        "from lantern.cases.procedure import age, deadlines, emergency, profiles, workflow\n"
        "profiles.load_profiles(); emergency.contacts_for('GR')\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(loaded))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(REPO / "src")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60, check=True
    )
    assert result.stdout.strip() == ""
