"""Making, reviewing and publishing anonymised releases. Each function takes `actor=`, checks the gate and
runs in one transaction; bad input raises `ValidationError` and saves nothing. The Release model is audited on
every change; the use of the cases' microdata to make a release is audited as an export.

    release = create_microdata_release(actor=coordinator, title="2025 microdata", k=10)
    approve_release(actor=other_coordinator, release=release)   # never the author
    publish_release(actor=coordinator, release=release)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.authz import gate
from lantern.insights.microdata import ctdc_rows
from lantern.insights.selectors import countable_cases

from . import dp, kanon
from .models import Release, ReleaseKind, ReleaseStatus

K_RANGE = (2, 100)
MAX_SUPPRESSION_LIMIT = 0.2
EPSILON_RANGE = (0.01, 10.0)
MAX_YEARS = 30


def source_rows(actor: Any) -> list[dict[str, Any]]:
    """The CTDC rows (one per person, consent to statistics only) of the cases the actor may export."""
    return ctdc_rows(countable_cases(actor, "insights.microdata"))


def _audit_source(actor: Any, release: Release, persons: int) -> None:
    record(
        AuditRecord.Action.EXPORT,
        actor=actor,
        object_type="cases.case",
        fields=["ctdc_microdata"],
        detail={"purpose": "anonymised release", "release": release.pk, "persons": persons},
    )


def _audit_step(actor: Any, release: Release) -> None:
    """Who moved the release on, and to what (the model's own record names the fields, not the person when
    the change is made outside a request)."""
    detail = {"status": release.status}
    record(AuditRecord.Action.UPDATE, release, actor=actor, fields=["status"], detail=detail)


def microdata_csv(rows: list[dict[str, Any]], report: kanon.KAnonymityReport, title: str) -> str:
    """The released file: comment lines stating k and what was generalised, then the CSV."""
    out = io.StringIO()
    generalised = "; ".join(
        f"{g.column}: {g.level_name} (level {g.level}/{g.top})" for g in report.generalisation
    )
    out.write(f"# {title}\n")
    out.write(
        f"# k-anonymous microdata, k={report.k}: every combination of {', '.join(kanon.QI_COLUMNS)} "
        f"occurs at least {report.k} times (smallest: {report.smallest_class}).\n"
    )
    out.write(f"# Generalised: {generalised}.\n")
    out.write(
        f"# Suppressed: {report.suppressed} of {report.records_in} records; "
        f"information loss {report.information_loss:.3f} (0 = none, 1 = all '*').\n"
    )
    writer = csv.DictWriter(out, fieldnames=[*kanon.QI_COLUMNS, *kanon.KEPT_COLUMNS], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _check_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Enter a title for the release.")]})
    return title


@transaction.atomic
def create_microdata_release(
    *,
    actor: Any,
    title: str,
    k: int = kanon.DEFAULT_K,
    max_suppression: float = kanon.DEFAULT_MAX_SUPPRESSION,
    rows: Iterable[dict[str, Any]] | None = None,
) -> Release:
    """A draft release of k-anonymous microdata. `rows` (CTDC rows) default to `source_rows(actor)`."""
    gate.require(actor, "release.create", actor.organisation)
    title = _check_title(title)
    if not K_RANGE[0] <= k <= K_RANGE[1]:
        raise ValidationError(
            {"k": [_("k must be between %(low)s and %(high)s.") % {"low": K_RANGE[0], "high": K_RANGE[1]}]}
        )
    if not 0 <= max_suppression <= MAX_SUPPRESSION_LIMIT:
        raise ValidationError(
            {"max_suppression": [_("At most %(limit)s %% of the records may be suppressed.") % {"limit": 20}]}
        )
    data = list(source_rows(actor) if rows is None else rows)
    try:
        released, report = kanon.anonymise(data, k=k, max_suppression=max_suppression)
    except kanon.NotAnonymisable:
        raise ValidationError(
            _("There are too few persons (%(count)s) for a release with k = %(k)s.")
            % {"count": len(data), "k": k}
        ) from None
    release = Release.objects.create(
        organisation=actor.organisation,
        title=title,
        kind=ReleaseKind.MICRODATA,
        k=k,
        max_suppression=max_suppression,
        content=microdata_csv(released, report, title),
        report=report.as_dict(),
        created_by=actor,
    )
    _audit_source(actor, release, len(data))
    return release


@transaction.atomic
def create_tables_release(
    *,
    actor: Any,
    title: str,
    epsilon: float,
    year_from: int,
    year_to: int,
    seed: int | None = None,
    rows: Iterable[dict[str, Any]] | None = None,
) -> Release:
    """A draft release of differentially private tables. With `seed`, reproducible and never publishable."""
    gate.require(actor, "release.create", actor.organisation)
    title = _check_title(title)
    if not EPSILON_RANGE[0] <= epsilon <= EPSILON_RANGE[1]:
        raise ValidationError(
            {
                "epsilon": [
                    _("Epsilon must be between %(low)s and %(high)s.")
                    % {"low": EPSILON_RANGE[0], "high": EPSILON_RANGE[1]}
                ]
            }
        )
    if year_from > year_to or year_to - year_from >= MAX_YEARS:
        raise ValidationError(
            {
                "year_to": [
                    _("The last year must come after the first, at most %(n)s years later.")
                    % {"n": MAX_YEARS - 1}
                ]
            }
        )
    data = list(source_rows(actor) if rows is None else rows)
    tables = dp.dp_tables(data, epsilon=epsilon, years=range(year_from, year_to + 1), seed=seed)
    release = Release.objects.create(
        organisation=actor.organisation,
        title=title,
        kind=ReleaseKind.TABLES,
        epsilon=epsilon,
        seed=seed,
        year_from=year_from,
        year_to=year_to,
        content=tables.to_csv(),
        report=tables.as_dict(),
        created_by=actor,
    )
    _audit_source(actor, release, len(data))
    return release


@transaction.atomic
def approve_release(*, actor: Any, release: Release) -> Release:
    """The second person's review: a draft becomes reviewed. The author cannot approve their own release."""
    release = Release.objects.select_for_update().get(pk=release.pk)
    if release.created_by_id == actor.pk:
        raise ValidationError(_("You made this release: another NRM decision-maker must review it."))
    gate.require(actor, "release.review", release)
    if release.status != ReleaseStatus.DRAFT:
        raise ValidationError(_("This release has already been reviewed."))
    release.status, release.reviewed_by, release.reviewed_at = ReleaseStatus.REVIEWED, actor, timezone.now()
    release.save()
    _audit_step(actor, release)
    return release


@transaction.atomic
def publish_release(*, actor: Any, release: Release) -> Release:
    """A reviewed release becomes published (downloadable by statistics viewers). Seeded ones never are."""
    release = Release.objects.select_for_update().get(pk=release.pk)
    gate.require(actor, "release.publish", release)
    if release.status != ReleaseStatus.REVIEWED:
        raise ValidationError(_("Only a reviewed release can be published."))
    if not release.publishable:
        raise ValidationError(
            _("This release has a seed (a reproducible review run). Make it again without a seed.")
        )
    release.status, release.published_at = ReleaseStatus.PUBLISHED, timezone.now()
    release.save()
    _audit_step(actor, release)
    return release
