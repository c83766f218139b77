"""Benchmark settings: production's, plus the demo app (`lantern demo`, `lantern seed` and the `bench_*`
commands) for the throwaway databases `bench/*.py` measure. Never for a real deployment."""

from .production import *  # noqa: F403
from .production import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "lantern.demo"]
