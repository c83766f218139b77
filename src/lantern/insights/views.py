"""Statistics pages and exports: the dashboard, the Eurostat tables, CSV/XLSX of each table, CTDC microdata.

Thin: parse the filters → build the report (`reports`) → render or write the file. Every export is audited
with the filters used. The pages show counts only, never a case. In files, a suppressed count is "<5" and a
cell hidden with it "c" (Eurostat's flag for confidential), and a footnote states the disclosure control
(`disclosure`) when the figures are under it.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.authz.gate import can
from lantern.authz.views import allowed
from lantern.web import spreadsheets

from . import disclosure, microdata, reports, selectors
from .forms import FilterForm, YearForm
from .presenters import chart_for
from .statistics import FEWER, HIDDEN, SMALL_CELL, Table

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _query(request: HttpRequest, *names: str) -> str:
    return urlencode({k: v for k, v in request.GET.items() if k in names and v})


@allowed("insights.view")
def dashboard(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    report = reports.dashboard_report(request.user, form.filters())
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "report": report,
            "sections": [(table, chart_for(table)) for table in report.tables],
            "query": _query(request, *FilterForm.base_fields),
            "can_export": can(request.user, "insights.export"),
            "can_export_microdata": can(request.user, "insights.microdata"),
            "disclosure_note": disclosure.DESCRIPTION,
        },
    )


@allowed("insights.view")
def eurostat(request: HttpRequest) -> HttpResponse:
    form = YearForm(request.GET or None)
    year = form.chosen_year()
    report = reports.eurostat_report(request.user, year)
    return render(
        request,
        "insights/eurostat.html",
        {
            "form": form,
            "year": year,
            "report": report,
            "sections": [(table, chart_for(table)) for table in report.tables],
            "query": urlencode({"year": year}),
            "can_export": can(request.user, "insights.export"),
            "disclosure_note": disclosure.DESCRIPTION,
        },
    )


def _table_rows(table: Table, controlled: bool) -> list[list[Any]]:
    header = [str(table.dimension), *(str(label) for _code, label in table.columns)]
    body = [[str(row.label), *row.values] for row in table.rows]
    hidden = {value for row in table.rows for value in row.values} & {FEWER, HIDDEN}
    legend = [[], [str(_cell_legend())]] if hidden else []
    return [header, *body, *legend, *(_disclosure_footnote() if controlled else [])]


def _cell_legend() -> Any:
    """What the two marks in a suppressed table mean (files carry them without the page's explanations)."""
    return _(
        "Legend: “%(fewer)s” = a count from 1 to %(most)s, not shown; “%(hidden)s” = confidential, a cell "
        "hidden so that a count not shown cannot be worked out from the totals."
    ) % {"fewer": FEWER, "most": SMALL_CELL - 1, "hidden": HIDDEN}


def _disclosure_footnote() -> list[list[Any]]:
    """The method and its parameters, below a table under disclosure control."""
    method = disclosure.describe()
    parameters = (
        f"{method['method']}; max_noise={method['max_noise']}; "
        f"suppressed_below={method['suppressed_below']}; dates={method['dates']}"
    )
    return [[], [str(disclosure.DESCRIPTION)], [parameters]]


def _csv(rows: list[list[Any]]) -> bytes:
    return spreadsheets.csv_bytes(rows)


def _xlsx(title: str, rows: list[list[Any]]) -> bytes:
    return spreadsheets.xlsx_bytes(title, rows)


def _download(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="lantern-{name}.{fmt}"'
    return response


@allowed("insights.export")
def export_table(request: HttpRequest, table_id: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    if table_id.startswith("eurostat_"):
        year = YearForm(request.GET or None).chosen_year()
        report = reports.eurostat_report(request.user, year, action="insights.export")
        filters: dict[str, Any] = {"year": year}
    else:
        form = FilterForm(request.GET or None)
        report = reports.dashboard_report(request.user, form.filters(), action="insights.export")
        filters = form.filters().as_dict()
    table = report.table(table_id)
    if table is None:
        raise Http404
    record(
        AuditRecord.Action.EXPORT,
        actor=request.user,
        object_type="insights.table",
        object_id=table_id,
        detail={"format": fmt, "filters": filters, "suppressed": report.suppressed},
    )
    rows = _table_rows(table, report.suppressed)
    content = _csv(rows) if fmt == "csv" else _xlsx(str(table.title), rows)
    return _download(content, fmt, table_id.replace("_", "-"))


@allowed("insights.microdata")
def export_ctdc(request: HttpRequest) -> HttpResponse:
    persons = microdata.ctdc_persons(selectors.countable_facts(request.user, "insights.microdata"))
    record(
        AuditRecord.Action.EXPORT,
        actor=request.user,
        object_type="insights.ctdc",
        object_id="csv",
        fields=list(microdata.CTDC_FIELDS),
        detail={"persons": len(persons), "cases": sorted(pk for person in persons for pk in person.case_ids)},
    )
    keys = [microdata.ctdc_key(person) for person in persons]
    lines: dict[tuple[Any, ...], str] = {}  # persons share their categories: each line is written once
    for person, key in zip(persons, keys, strict=True):
        if key not in lines:
            row = microdata.ctdc_row(person)
            cells = ["" if row[name] is None else row[name] for name in microdata.CTDC_FIELDS]
            lines[key] = _csv([cells]).decode("utf-8")
    body = "".join(map(lines.__getitem__, keys))
    return _download(_csv([list(microdata.CTDC_FIELDS)]) + body.encode("utf-8"), "csv", "ctdc-microdata")
