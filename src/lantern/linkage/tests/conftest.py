"""Fixtures for the linkage tests: a small file of people with known answers (see ``people.csv``).

``people.csv`` holds four people recorded several times each (``p1a``, ``p1b``... are one person) in the
ways referrals differ: Arabic, Ge'ez and Cyrillic script, Latin variants (Mohammed/Muhammad), given and family
names swapped, partial dates of birth, day and month swapped; and decoys (``d1``...): a namesake born
elsewhere and decades apart, a sister at the same address, unrelated people.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

HERE = Path(__file__).parent


@pytest.fixture
def people_csv() -> Path:
    return HERE / "people.csv"


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "partners.key"
    path.write_text("a-secret-shared-by-partners-0123456789\n", encoding="utf-8")
    return path


# No example database in the source tree; examples stay reproducible from the test's own seed.
settings.register_profile("linkage", database=None, deadline=None)
settings.load_profile("linkage")
