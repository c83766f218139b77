"""The releases API: GET /api/v1/releases/ (the releases the caller sees), /api/v1/releases/{id}/ (with its
report) and /api/v1/releases/{id}/file/ (the released CSV, an audited export). Read-only: releases are made
and reviewed in the pages, by people signed in with two factors.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request

from lantern.authz.api import GatedObjectMixin, api_policy

from . import selectors
from .models import Release


class ReleaseSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    # Plain strings, not enums: "kind" and "status" are already enum names of other apps in the schema.
    kind = serializers.CharField(help_text="microdata (k-anonymous) or tables (differentially private).")
    status = serializers.CharField(help_text="draft, reviewed or published.")
    publishable = serializers.BooleanField(help_text="False for seeded (reproducible) DP tables.")

    class Meta:
        model = Release
        fields = (
            "id",
            "title",
            "kind",
            "status",
            "organisation",
            "k",
            "max_suppression",
            "epsilon",
            "year_from",
            "year_to",
            "publishable",
            "created_at",
            "reviewed_at",
            "published_at",
        )


class ReleaseDetailSerializer(ReleaseSerializer):
    report = serializers.JSONField(help_text="k-anonymity report, or epsilon, error_95 and the noisy tables.")

    class Meta(ReleaseSerializer.Meta):
        fields = (*ReleaseSerializer.Meta.fields, "report")


class ReleaseViewSet(
    GatedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Anonymised releases: NRM decision-makers see their organisation's; statistics viewers the published
    ones of their country."""

    gate_model = Release
    gate_policy = api_policy()
    gate_actions = {"list": "release.view", "retrieve": "release.view", "file": "release.download"}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return super().get_queryset().select_related("organisation")

    def get_serializer_class(self) -> Any:
        return ReleaseDetailSerializer if self.action == "retrieve" else ReleaseSerializer

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    @action(detail=True, methods=["get"])
    def file(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The released CSV (its comment lines state k or epsilon and the expected error). Audited."""
        release = self.get_object()
        name, content_type, content = selectors.release_file(request.user, release.pk)
        response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
