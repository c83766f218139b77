"""Reading releases, scoped by the gate. A download is an audited export of the release's file."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.authz import gate

from .models import Release


def release_list(actor: Any) -> QuerySet[Release]:
    return gate.visible(actor, "release.view", Release).select_related("created_by", "reviewed_by")


def access_release(actor: Any, pk: Any, action: str = "release.view") -> Release:
    """One release the actor may `action`, or NotVisible (404) for a missing and a forbidden id alike."""
    return gate.access(actor, action, Release, pk)


def release_file(actor: Any, pk: Any, part: str = "file") -> tuple[str, str, str]:
    """(file name, content type, content) of a release's file or its JSON report; the download is audited."""
    release = access_release(actor, pk, "release.download")
    record(
        AuditRecord.Action.EXPORT, release, actor=actor, fields=["report" if part == "report" else "content"]
    )
    if part == "report":
        return release.filename.replace(".csv", "-report.json"), "application/json", report_json(release)
    return release.filename, "text/csv", release.content


def report_json(release: Release) -> str:
    return json.dumps(release.report, indent=2, ensure_ascii=False) + "\n"
