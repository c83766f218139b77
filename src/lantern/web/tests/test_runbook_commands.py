"""Every command docs/runbook.md tells an operator to run is exercised by a test: each `lantern-admin`
command (its subcommand words and options) is called in some test, and each deploy/ script is run by one.
`systemctl`, `journalctl` and `curl` lines are systemd's and the operating system's, not Lantern's."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]
RUNBOOK = REPO / "docs" / "runbook.md"


def runbook_commands() -> list[list[str]]:
    """The `lantern-admin …` and `deploy/….sh …` commands of the runbook, as words (comments cut off)."""
    text = RUNBOOK.read_text(encoding="utf-8")
    found = []
    for line in text.splitlines():
        for match in re.finditer(r"(?:sudo )?((?:lantern-admin|deploy/[\w-]+\.sh)(?: [^`#|]*)?)", line):
            words = match.group(1).split("  ")[0].split()
            if words[0] == "lantern-admin" and (len(words) < 2 or words[1].isupper()):
                continue  # the prose's "lantern-admin COMMAND"
            found.append(words)
    return found


def words_and_options(command: list[str]) -> tuple[list[str], list[str]]:
    """Subcommand words (until an argument such as a path, an id or a placeholder) and options."""
    words, options = [], [w for w in command[1:] if w.startswith("--")]
    for word in command[1:]:
        if not re.fullmatch(r"[a-z_]+", word):
            break
        words.append(word)
    return words[:2], options


def all_test_sources() -> str:
    this = Path(__file__).resolve()
    return "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "src").rglob("test_*.py") if p != this)


def is_exercised(command: list[str], tests: str) -> bool:
    if command[0].startswith("deploy/"):
        script = command[0].removeprefix("deploy/")
        return f'"{script}"' in tests and all(f'"{o}"' in tests for o in command[1:] if o.startswith("--"))
    words, options = words_and_options(command)
    if not words:
        return False
    if len(words) == 1:
        called = re.search(rf'\(\s*"{words[0]}"', tests) is not None
    else:
        called = (
            re.search(rf'"{words[0]}",\s*"{words[1]}"|{words[0]}_command\(\s*"{words[1]}"', tests) is not None
        )
    return called and all(f'"{option}"' in tests for option in options)


def test_the_runbook_uses_lantern_admin_for_every_lantern_command() -> None:
    text = RUNBOOK.read_text(encoding="utf-8")
    assert not re.search(r"^\s*(sudo )?lantern [a-z]", text, re.MULTILINE), "use `sudo lantern-admin …`"
    assert len(runbook_commands()) >= 10


def test_every_runbook_command_appears_in_a_test() -> None:
    tests = all_test_sources()
    missing = [" ".join(command) for command in runbook_commands() if not is_exercised(command, tests)]
    assert missing == []


def test_the_check_catches_a_command_no_test_runs() -> None:
    assert not is_exercised(["lantern-admin", "keys", "shred"], all_test_sources())
    assert not is_exercised(["lantern-admin", "backup", "--everything"], all_test_sources())
