"""The statistics pages and exports: who may open them, what they show, and the audit of every export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook

from lantern.accounts.roles import Role
from lantern.audit.models import AuditRecord

pytestmark = pytest.mark.django_db

VIEWERS = {Role.STATISTICS_VIEWER, Role.NRM_DECISION_MAKER, Role.ORG_ADMIN}


@pytest.fixture
def some_cases(personas: Any, greek_ngo: Any, counted_case: Any) -> None:
    for i in range(6):
        counted_case(personas.own_org, identified_on=dt.date(2025, 1 + i, 3))
    counted_case(greek_ngo, sex="male", identified_on=dt.date(2025, 8, 1))


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_who_may_open_the_statistics(personas: Any, login_client: Any, role: str) -> None:
    client = login_client(personas.own[role])
    allowed = role in VIEWERS
    assert client.get("/insights/").status_code == (200 if allowed else 403)
    assert client.get("/insights/eurostat/").status_code == (200 if allowed else 403)
    assert client.get("/insights/export/sex.csv").status_code == (200 if allowed else 403)
    assert client.get("/insights/export/ctdc.csv").status_code == (
        200 if role == Role.NRM_DECISION_MAKER else 403
    )


def test_the_dashboard_shows_charts_and_tables_with_the_same_figures(
    personas: Any, login_client: Any, some_cases: None
) -> None:
    client = login_client(personas.own[Role.NRM_DECISION_MAKER])
    page = client.get("/insights/").content.decode()
    assert "Persons counted: 7" in page
    assert "<caption>Persons by sex</caption>" in page
    assert '<th scope="row">Female</th><td class="numeric">6</td><td class="numeric">0</td>' in page
    assert 'class="chart-bar"' in page and 'width="100.0"' in page  # the largest bar fills the chart
    assert "Time to decision" in page
    assert "ctdc.csv" in page


def test_filters_narrow_the_counts(personas: Any, login_client: Any, some_cases: None) -> None:
    client = login_client(personas.own[Role.NRM_DECISION_MAKER])
    page = client.get("/insights/", {"sex": "male"}).content.decode()
    assert "Persons counted: 1" in page
    page = client.get("/insights/", {"registered_from": "2025-05-01", "registered_to": "2025-03-01"})
    assert "The end of the period must be on or after its start." in page.content.decode()


def test_statistics_viewers_never_see_small_counts(
    personas: Any, login_client: Any, some_cases: None
) -> None:
    """7 persons (one male): the viewer's figures are perturbed (at most 2 off) and the lone male is never
    shown as 1 — "fewer than 5", hidden, or 0 when the noise took him away."""
    client = login_client(personas.own[Role.STATISTICS_VIEWER])
    page = client.get("/insights/").content.decode()
    shown = re.search(r"Persons counted: (\d+)", page)
    assert shown is not None and abs(int(shown.group(1)) - 7) <= 2
    male = re.search(r'<th scope="row">Male</th>((?:<td class="numeric">[^<]*</td>)+)', page)
    assert male is not None
    assert set(re.findall(r">([^<]*)</td>", male.group(1))) <= {"fewer than 5", "hidden", "0"}
    assert "cell-key method" in page
    rows = list(csv.reader(io.StringIO(client.get("/insights/export/sex.csv").content.decode())))
    male_row = next(row for row in rows if row and row[0] == "Male")
    assert set(male_row[1:]) <= {"<5", "c", "0"}
    assert any("cell-key" in cell for row in rows for cell in row)  # the method, as a footnote


def test_a_csv_export_holds_the_table_and_is_audited(
    personas: Any, login_client: Any, some_cases: None
) -> None:
    user = personas.own[Role.NRM_DECISION_MAKER]
    response = login_client(user).get("/insights/export/sex.csv", {"sex": "female"})
    assert response["Content-Disposition"] == 'attachment; filename="lantern-sex.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Sex", "Presumed victims", "Identified victims", "Total"]
    assert rows[1] == ["Female", "6", "0", "6"]
    assert rows[-1] == ["Total", "6", "0", "6"]
    audit = AuditRecord.objects.get(action=AuditRecord.Action.EXPORT, object_type="insights.table")
    assert audit.actor_id == user.pk and audit.object_id == "sex"
    assert audit.detail == {"format": "csv", "filters": {"sex": "female"}, "suppressed": False}


def test_an_xlsx_export_of_a_eurostat_table(personas: Any, login_client: Any, some_cases: None) -> None:
    user = personas.own[Role.NRM_DECISION_MAKER]
    response = login_client(user).get("/insights/export/eurostat_age.xlsx", {"year": 2025})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Age group", "Female", "Male", "Another sex or intersex", "Not known", "Total"]
    assert rows[-1] == ["Total", 6, 1, 0, 0, 7]
    audit = AuditRecord.objects.get(action=AuditRecord.Action.EXPORT, object_type="insights.table")
    assert audit.detail["filters"] == {"year": 2025} and audit.detail["format"] == "xlsx"


def test_unknown_tables_and_formats_are_not_found(personas: Any, login_client: Any) -> None:
    client = login_client(personas.own[Role.NRM_DECISION_MAKER])
    assert client.get("/insights/export/nothing.csv").status_code == 404
    assert client.get("/insights/export/sex.pdf").status_code == 404
    assert not AuditRecord.objects.filter(action=AuditRecord.Action.EXPORT).exists()


def test_the_ctdc_export_is_audited_with_the_cases_it_draws_on(
    personas: Any, login_client: Any, some_cases: None
) -> None:
    user = personas.own[Role.NRM_DECISION_MAKER]
    response = login_client(user).get("/insights/export/ctdc.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["yearOfRegistration", "Datasource", "gender", "ageBroad"]
    assert len(rows) == 1 + 7
    audit = AuditRecord.objects.get(action=AuditRecord.Action.EXPORT, object_type="insights.ctdc")
    assert audit.detail["persons"] == 7 and len(audit.detail["cases"]) == 7


def test_a_table_file_with_hidden_cells_explains_c_and_fewer_than_5() -> None:
    from lantern.insights.statistics import FEWER, HIDDEN, Table, TableRow
    from lantern.insights.views import _table_rows

    def table(values: tuple[Any, ...]) -> Table:
        return Table(
            id="sex",
            title="Persons by sex",
            dimension="Sex",
            columns=(("a", "A"), ("b", "B")),
            rows=(TableRow("m", "Male", values),),
        )

    rows = _table_rows(table((FEWER, HIDDEN)), controlled=False)
    legend = [cell for row in rows for cell in row if cell.startswith("Legend:")]
    assert legend and "“<5” = a count from 1 to 4" in legend[0] and "“c” = confidential" in legend[0]
    plain = _table_rows(table((7, 7)), controlled=False)
    assert not any(str(cell).startswith("Legend:") for row in plain for cell in row)


@pytest.mark.parametrize("role", sorted(VIEWERS))
def test_every_export_link_a_role_is_shown_opens_for_it(personas: Any, login_client: Any, role: str) -> None:
    client = login_client(personas.own[role])
    links: set[str] = set()
    for page in ("/insights/", "/insights/eurostat/"):
        body = client.get(page).content.decode()
        links |= set(re.findall(r'href="(/insights/export/[^"?]+)', body))
    assert links, "each viewer is shown at least one table file"
    for link in sorted(links):
        assert client.get(link).status_code == 200, link
