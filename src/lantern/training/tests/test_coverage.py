"""The organisation administrator's training coverage report and its CSV export."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord
from lantern.training import selectors
from lantern.training.tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db


def certify(user: Any, organisation: Any, *, days_left: int, module: str = "what-is-trafficking") -> Any:
    now = timezone.now()
    return CertificateFactory(
        user=user,
        organisation=organisation,
        module_id=module,
        issued_at=now - timedelta(days=730 - days_left),
        expires_at=now + timedelta(days=days_left),
    )


def test_coverage_lists_the_organisations_staff_only(personas: Any) -> None:
    certify(personas.own[Role.SCREENER], personas.own_org, days_left=300)
    certify(personas.other[Role.SCREENER], personas.other_org, days_left=300)
    rows = selectors.coverage(personas.own[Role.ORG_ADMIN])
    assert {r.user.organisation_id for r in rows} == {personas.own_org.pk}
    mine = {(r.user.username, r.module_id): r.status for r in rows}
    assert mine[("own_screener", "what-is-trafficking")] == "valid"
    assert mine[("own_screener", "children")] == "missing"
    assert mine[("own_lawyer", "what-is-trafficking")] == "missing"


def test_expiring_filter_keeps_only_certificates_expiring_within_60_days(personas: Any) -> None:
    certify(personas.own[Role.SCREENER], personas.own_org, days_left=20)
    certify(personas.own[Role.LAWYER], personas.own_org, days_left=200)
    certify(personas.own[Role.CASE_WORKER], personas.own_org, days_left=-5)
    rows = selectors.coverage(personas.own[Role.ORG_ADMIN], expiring_only=True)
    assert [(r.user.username, r.status) for r in rows] == [("own_screener", "expiring")]


def test_a_renewed_certificate_replaces_the_expired_one(personas: Any) -> None:
    screener = personas.own[Role.SCREENER]
    certify(screener, personas.own_org, days_left=-10)
    certify(screener, personas.own_org, days_left=700)
    rows = selectors.coverage(personas.own[Role.ORG_ADMIN])
    status = next(r.status for r in rows if r.user == screener and r.module_id == "what-is-trafficking")
    assert status == "valid"


def test_coverage_page_and_csv_for_the_org_admin_are_audited(personas: Any, login_client: Any) -> None:
    certify(personas.own[Role.SCREENER], personas.own_org, days_left=30)
    client = login_client(personas.own[Role.ORG_ADMIN])
    page = client.get("/training/coverage/?expiring=1")
    assert page.status_code == 200
    assert b"Expires soon" in page.content
    response = client.get("/training/coverage.csv?expiring=1")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0].startswith("username,name,module")
    assert len(lines) == 2 and lines[1].startswith("own_screener,") and ",expiring," in lines[1]
    export = AuditRecord.objects.filter(action="export", object_type="training.coverage").get()
    assert export.actor == personas.own[Role.ORG_ADMIN] and export.detail["rows"] == 1


def test_a_name_that_looks_like_a_formula_is_defused_in_the_csv(personas: Any, login_client: Any) -> None:
    screener = personas.own[Role.SCREENER]
    screener.first_name, screener.last_name = "=HYPERLINK(1)", "X"
    screener.save()
    csv = login_client(personas.own[Role.ORG_ADMIN]).get("/training/coverage.csv").content.decode()
    assert "'=HYPERLINK(1) X" in csv


@pytest.mark.parametrize("role", [Role.SCREENER, Role.CASE_WORKER, Role.SYSTEM_ADMIN, Role.STATISTICS_VIEWER])
def test_other_roles_may_not_see_coverage(personas: Any, login_client: Any, role: str) -> None:
    client = login_client(personas.own[role])
    assert client.get("/training/coverage/").status_code == 403
    assert client.get("/training/coverage.csv").status_code == 403
