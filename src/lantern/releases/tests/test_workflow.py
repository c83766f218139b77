"""The release workflow: made from the cases' microdata, reviewed by a second person, published; audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord
from lantern.authz.gate import Denied
from lantern.releases import kanon, services
from lantern.releases.models import Release, ReleaseKind, ReleaseStatus

from .synthetic import synthetic_rows

pytestmark = pytest.mark.django_db


def audit_of(release: Release, action: str) -> list[AuditRecord]:
    return list(
        AuditRecord.objects.filter(object_type="releases.release", object_id=str(release.pk), action=action)
    )


def test_microdata_from_the_cases_is_k_anonymous(personas: Any, counted_case: Any, coordinator: Any) -> None:
    for i in range(12):
        counted_case(personas.own_org, identified_on=dt.date(2024, 1 + i % 3, 5), date_of_birth="1999-05-01")
    counted_case(personas.own_org, statistics=False, identified_on=dt.date(2024, 2, 1))
    counted_case(personas.other_org, identified_on=dt.date(2024, 2, 1))  # France: not national figures
    release = services.create_microdata_release(actor=coordinator, title="2024", k=5, max_suppression=0)
    assert release.status == ReleaseStatus.DRAFT and release.kind == ReleaseKind.MICRODATA
    assert release.report["records_in"] == 12
    body = "\n".join(line for line in release.content.splitlines() if not line.startswith("#"))
    groups = Counter(tuple(r[c] for c in kanon.QI_COLUMNS) for r in csv.DictReader(io.StringIO(body)))
    assert sum(groups.values()) == 12 and min(groups.values()) >= 5
    assert audit_of(release, "create")
    used = AuditRecord.objects.get(action="export", object_type="cases.case", actor=coordinator)
    assert used.detail == {"purpose": "anonymised release", "release": release.pk, "persons": 12}


def test_too_few_persons_are_refused_with_a_message(coordinator: Any) -> None:
    with pytest.raises(ValidationError, match="too few persons"):
        services.create_microdata_release(actor=coordinator, title="x", k=10, rows=synthetic_rows(5))
    assert not Release.objects.exists()


def test_only_nrm_decision_makers_make_releases(personas: Any) -> None:
    for role in (Role.STATISTICS_VIEWER, Role.ORG_ADMIN, Role.CASE_WORKER, Role.SYSTEM_ADMIN):
        with pytest.raises(Denied):
            services.create_microdata_release(actor=personas.own[role], title="x", rows=synthetic_rows(50))


def test_the_author_cannot_approve_their_own_release(coordinator: Any) -> None:
    release = services.create_microdata_release(actor=coordinator, title="x", rows=synthetic_rows(300))
    with pytest.raises(ValidationError, match="another NRM decision-maker"):
        services.approve_release(actor=coordinator, release=release)
    release.refresh_from_db()
    assert release.status == ReleaseStatus.DRAFT and release.reviewed_by is None
    assert not audit_of(release, "update")


def test_a_second_person_approves_then_it_is_published(coordinator: Any, second_coordinator: Any) -> None:
    release = services.create_microdata_release(actor=coordinator, title="x", rows=synthetic_rows(300))
    with pytest.raises(ValidationError, match="Only a reviewed release"):
        services.publish_release(actor=coordinator, release=release)
    services.approve_release(actor=second_coordinator, release=release)
    release.refresh_from_db()
    assert release.status == ReleaseStatus.REVIEWED and release.reviewed_by == second_coordinator
    [approval] = [r for r in audit_of(release, "update") if r.actor == second_coordinator]
    assert approval.detail == {"status": "reviewed"} and "status" in approval.fields
    services.publish_release(actor=coordinator, release=release)
    release.refresh_from_db()
    assert release.status == ReleaseStatus.PUBLISHED and release.published_at is not None
    [publication] = [r for r in audit_of(release, "update") if r.actor == coordinator]
    assert publication.detail == {"status": "published"}
    with pytest.raises(ValidationError, match="already been reviewed"):
        services.approve_release(actor=second_coordinator, release=release)


def test_a_reviewer_of_another_organisation_is_refused(personas: Any, coordinator: Any) -> None:
    release = services.create_microdata_release(actor=coordinator, title="x", rows=synthetic_rows(300))
    with pytest.raises(Denied):
        services.approve_release(actor=personas.other[Role.NRM_DECISION_MAKER], release=release)


def test_dp_tables_state_epsilon_and_error(coordinator: Any) -> None:
    release = services.create_tables_release(
        actor=coordinator, title="t", epsilon=0.5, year_from=2020, year_to=2025, rows=synthetic_rows(500)
    )
    assert release.publishable and release.report["epsilon"] == 0.5
    assert release.report["epsilon_spent"] <= 0.5
    assert release.report["error_95"] > 0
    header, first = release.content.splitlines()[:2]
    assert header.split(",")[4:6] == ["epsilon", "error_95"]
    assert first.split(",")[4] == str(round(0.5 / 4, 6))


def test_a_seeded_release_is_reproducible_and_never_published(
    coordinator: Any, second_coordinator: Any
) -> None:
    def make() -> Release:
        return services.create_tables_release(
            actor=coordinator,
            title="t",
            epsilon=1,
            year_from=2020,
            year_to=2025,
            seed=11,
            rows=synthetic_rows(500),
        )

    release, again = make(), make()
    assert release.content == again.content and not release.publishable
    services.approve_release(actor=second_coordinator, release=release)
    with pytest.raises(ValidationError, match="seed"):
        services.publish_release(actor=coordinator, release=release)
    release.refresh_from_db()
    assert release.status == ReleaseStatus.REVIEWED


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"epsilon": 0}, "epsilon"),
        ({"epsilon": 50}, "epsilon"),
        ({"year_from": 2025, "year_to": 2020}, "year_to"),
        ({"title": " "}, "title"),
    ],
)
def test_bad_table_parameters_are_refused(coordinator: Any, fields: dict, error: str) -> None:
    data = {"title": "t", "epsilon": 1.0, "year_from": 2020, "year_to": 2025, **fields}
    with pytest.raises(ValidationError) as raised:
        services.create_tables_release(actor=coordinator, rows=synthetic_rows(10), **data)
    assert error in raised.value.message_dict
