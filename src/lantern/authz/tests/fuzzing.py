"""Hypothesis settings shared by the property-based fuzz tests (``test_fuzz_*.py``).

`make test` runs a few examples of each property, derandomised so that a run is repeatable; `make fuzz` sets
``HYPOTHESIS_PROFILE=fuzz`` and each property then runs the "fuzz" profile registered in
src/lantern/conftest.py (many random examples). Explicit settings rather than the active profile, because the
linkage tests' conftest loads a profile of its own when it is imported. Pure Python: the linkage and screening
tests run without Django.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis.errors import InvalidArgument

FUZZING = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"


def fuzz_settings(examples: int) -> settings:
    """`examples` examples (for `make test`), or the "fuzz" profile under ``HYPOTHESIS_PROFILE=fuzz``."""
    if FUZZING:
        try:
            return settings.get_profile("fuzz")
        except InvalidArgument:  # run without src/lantern/conftest.py (pure linkage run): the same, inline
            return settings(max_examples=1000, deadline=None, database=None)
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
