"""The `lantern` command: Lantern's own pure commands, and Django's management commands for everything else.

    lantern screen < requests.jsonl > results.jsonl    # pure: no Django, no database, fast start-up
    lantern migrate | runserver | demo | ...           # Django's and Lantern's management commands

A pure command is listed in `PURE_COMMANDS` as ``"module:function"``; the module is imported only when that
command runs, and the function takes the remaining arguments and returns the exit status. Any other command
goes to Django with ``DJANGO_SETTINGS_MODULE`` defaulting to ``lantern.settings.dev`` in a development
checkout only: an installed Lantern without settings refuses (on a server, `lantern-admin` gives them).

For development: ``python -m lantern.cli screen``.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple


class PureCommand(NamedTuple):
    target: str  # "module:function", imported only when the command runs
    summary: str


PURE_COMMANDS: dict[str, PureCommand] = {
    "screen": PureCommand(
        "lantern.screening.stream:main",
        "score screening requests: JSON Lines on stdin, one result per line on stdout",
    ),
    "link": PureCommand(
        "lantern.linkage.cli:link_main",
        "de-duplicate one CSV of person records, or link two: LEFT.csv [RIGHT.csv] --out links.csv",
    ),
    "pprl": PureCommand(
        "lantern.linkage.cli:pprl_main",
        "privacy-preserving linkage: `pprl encode` identifiers into Bloom filters, `pprl link` two encodings",
    ),
}

_HELP = ("help", "-h", "--help")
CREATESUPERUSER_HINT = (
    "lantern: use `lantern createadmin --email ADDRESS` instead of createsuperuser: it creates the first "
    "organisation and its system administrator, with two-factor sign-in."
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `lantern` command and return its exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in PURE_COMMANDS:
        return run_pure_command(args[0], args[1:])
    if len(args) == 2 and args[0] == "help" and args[1] in PURE_COMMANDS:
        # Django's `help` does not know the pure commands.
        return run_pure_command(args[1], ["--help"])
    if not args or (len(args) == 1 and args[0] in _HELP):
        print(usage())
    if args and args[0] == "createsuperuser":
        # Django's own command cannot give a user an organisation (it crashed on the NOT NULL column).
        print(CREATESUPERUSER_HINT, file=sys.stderr)
        return 2
    return run_django_command(args)


def usage() -> str:
    """A short usage naming the pure commands; Django's help (its own commands) follows it."""
    width = max(map(len, PURE_COMMANDS))
    lines = [f"  {name:<{width}}  {command.summary}" for name, command in PURE_COMMANDS.items()]
    return "\n".join(
        [
            "Usage: lantern <command> [options]   (lantern <command> --help for a command's options)",
            "",
            "Lantern's own commands (no Django, no database):",
            *lines,
            "",
            "Django's and Lantern's management commands:",
        ]
    )


def run_pure_command(name: str, args: list[str]) -> int:
    """Import and run a pure command without importing Django."""
    module_name, _, function_name = PURE_COMMANDS[name].target.partition(":")
    command = getattr(importlib.import_module(module_name), function_name)
    return int(command(args) or 0)


NO_SETTINGS_HINT = (
    "lantern: DJANGO_SETTINGS_MODULE is not set, and this is not a development checkout, so Lantern will not "
    "guess (the development settings turn DEBUG on and use SQLite). On a server, run `sudo lantern-admin "
    "COMMAND`: it uses the service's settings and secrets. Otherwise set DJANGO_SETTINGS_MODULE="
    "lantern.settings.production (or lantern.settings.dev for a demo)."
)


def is_development_checkout() -> bool:
    """True when this package runs from a source checkout (an editable install), not from site-packages."""
    root = Path(__file__).resolve().parents[2]
    return (root / "pyproject.toml").is_file() and (root / "src" / "lantern").is_dir()


def run_django_command(args: list[str]) -> int:
    """Hand the command to Django's management utility (which exits by itself on errors). The development
    settings are the default only in a development checkout."""
    if "DJANGO_SETTINGS_MODULE" not in os.environ:
        if not is_development_checkout():
            print(NO_SETTINGS_HINT, file=sys.stderr)
            return 2
        os.environ["DJANGO_SETTINGS_MODULE"] = "lantern.settings.dev"
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lantern", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
