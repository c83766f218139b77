"""The statistics API: GET /api/v1/statistics/eurostat/?year= — the annual Eurostat tables as JSON.

Counts of distinct persons, never a case. For callers other than NRM decision-makers every count (totals
included) is under disclosure control (`disclosure`: cell-key perturbation), stated in `disclosure_control`;
suppressed cells (perturbed counts from 1 to 4, and the cells hidden with them) are null, with
`suppressed_below` saying the threshold.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lantern.authz.api import api_policy

from . import disclosure, reports
from .forms import YearForm
from .statistics import SMALL_CELL, Table


class RowSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    values = serializers.ListField(child=serializers.IntegerField(allow_null=True))


class ColumnSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class TableSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    dimension = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = RowSerializer(many=True, help_text="Body rows, then the total row (code 'total').")


class DisclosureSerializer(serializers.Serializer):
    method = serializers.CharField()
    max_noise = serializers.IntegerField(help_text="Each count is changed by at most this much, up or down.")
    suppressed_below = serializers.IntegerField()
    dates = serializers.CharField()
    description = serializers.CharField()


class EurostatSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    persons = serializers.IntegerField(allow_null=True, help_text="Distinct persons registered in the year.")
    suppressed_below = serializers.IntegerField(
        allow_null=True, help_text="Counts below this are null (absent when counts are exact)."
    )
    disclosure_control = DisclosureSerializer(
        allow_null=True,
        help_text="The disclosure control the counts are under (null when they are exact): the cell-key "
        "method, a fixed noise per cell (the same for the same persons every time), totals included.",
    )
    tables = TableSerializer(many=True)


def _disclosure() -> dict[str, Any]:
    method = disclosure.describe()
    return {
        "method": method["method"],
        "max_noise": method["max_noise"],
        "suppressed_below": method["suppressed_below"],
        "dates": method["dates"],
        "description": str(disclosure.DESCRIPTION),
    }


def _table(table: Table) -> dict[str, Any]:
    return {
        "id": table.id,
        "title": str(table.title),
        "dimension": str(table.dimension),
        "columns": [{"code": code, "label": str(label)} for code, label in table.columns],
        "rows": [
            {
                "code": row.code,
                "label": str(row.label),
                "values": [v if isinstance(v, int) else None for v in row.values],
            }
            for row in table.rows
        ],
    }


class EurostatView(APIView):
    """Registered victims (identified and presumed) for a year, by sex and by status, age group, citizenship
    group and form of exploitation. Only cases whose consent allows inclusion in statistics count."""

    gate_policy = api_policy()
    gate_actions = {"GET": "insights.view"}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year",
                {"type": "integer", "minimum": 2000, "maximum": 2100},
                description="Year of registration, 2000 to 2100 (default: last year)",
            )
        ],
        responses=EurostatSerializer,
    )
    def get(self, request: Request) -> Response:
        form = YearForm(request.query_params or None)
        if form.is_bound and not form.is_valid():
            raise serializers.ValidationError(form.errors)
        if "year" in request.query_params and not request.query_params["year"].strip():
            # An empty year is the caller's mistake, not "last year" (the page's GET form may leave it empty).
            raise serializers.ValidationError(
                {"year": [_("Give a year from 2000 to 2100, or leave it out.")]}
            )
        year = form.chosen_year()
        report = reports.eurostat_report(request.user, year)
        data = {
            "year": year,
            "persons": report.persons,
            "suppressed_below": SMALL_CELL if report.suppressed else None,
            "disclosure_control": _disclosure() if report.suppressed else None,
            "tables": [_table(t) for t in report.tables],
        }
        return Response(EurostatSerializer(data).data)


urlpatterns = [
    path("statistics/eurostat/", EurostatView.as_view(), name="statistics-eurostat"),
]
