"""Fixtures for records: the cases fixtures, a private documents directory per test, and upload helpers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lantern.cases.tests.conftest import decider, nrm, open_case, refer, today, worker  # noqa: F401

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32


@pytest.fixture(autouse=True)
def var_dir(settings: Any, tmp_path: Path) -> Path:
    """Documents go to this test's own directory."""
    settings.VAR_DIR = tmp_path
    return tmp_path


def stored_files(var_dir: Path) -> list[Path]:
    root = var_dir / "documents"
    return [p for p in root.glob("*/*") if p.is_file()] if root.exists() else []


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
