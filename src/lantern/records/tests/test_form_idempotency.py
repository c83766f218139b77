"""The upload form carries an idempotency key: a double-clicked upload (or a resend) keeps one document and
stores one file; the same key sent with another file or other fields is shown again, and nothing is kept."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from lantern.records.models import Document
from lantern.web.idempotency import new_key

from .conftest import PDF_BYTES, PNG_BYTES, stored_files, upload

pytestmark = pytest.mark.django_db

STALE = "already sent once"


def send(client: Any, case: Any, key: str, content: bytes = PDF_BYTES, **fields: str) -> Any:
    data = {"kind": "medical", "description": "Report from the clinic", "idempotency_key": key, **fields}
    name = "report.pdf" if content.startswith(b"%PDF") else "photo.png"
    kind = "application/pdf" if content.startswith(b"%PDF") else "image/png"
    return client.post(
        reverse("records:documents", args=[case.pk]), {**data, "file": upload(name, content, kind)}
    )


def test_the_upload_form_carries_a_key_and_a_double_click_stores_one_file(
    open_case: Any, worker: Any, login_client: Any, var_dir: Path
) -> None:
    case = open_case()
    client = login_client(worker)
    page = client.get(reverse("records:documents", args=[case.pk])).content.decode()
    assert re.search(r'name="idempotency_key" value="[0-9a-f-]{36}"', page)
    key = new_key()
    first, second = send(client, case, key), send(client, case, key)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert Document.objects.filter(case=case).count() == 1 and len(stored_files(var_dir)) == 1


def test_the_same_key_with_another_file_or_description_is_shown_again_and_nothing_is_kept(
    open_case: Any, worker: Any, login_client: Any, var_dir: Path
) -> None:
    case = open_case()
    client = login_client(worker)
    key = new_key()
    assert send(client, case, key).status_code == 302
    other_file = send(client, case, key, PNG_BYTES)
    assert other_file.status_code == 200 and STALE in other_file.content.decode()
    other_text = send(client, case, key, description="Changed")
    body = other_text.content.decode()
    assert other_text.status_code == 200 and STALE in body and "Changed" in body and key not in body
    assert Document.objects.filter(case=case).count() == 1 and len(stored_files(var_dir)) == 1
