"""The documents API: /api/v1/cases/{case_pk}/documents/ (list, upload) and
/api/v1/cases/{case_pk}/documents/{id}/download/. Explicit fields; everything through the gate (other
organisations' cases and documents answer 404, audited as "denied"); downloads are audited.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers, serializers, viewsets
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from lantern.authz.api import GatedObjectMixin, api_policy
from lantern.authz.gate import NotVisible
from lantern.legal.api import choice

from . import selectors, services
from .models import Document, DocumentKind
from .views import document_response


class DocumentSerializer(serializers.ModelSerializer):
    kind = choice(DocumentKind.choices, read_only=True)

    class Meta:
        model = Document
        fields = ["id", "case", "kind", "original_name", "description", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    kind = choice(DocumentKind.choices)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class AnyMediaRenderer(renderers.BaseRenderer):
    """Lets a download answer whatever the client accepts (the file is sent as it is)."""

    media_type = "*/*"
    format = "file"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> Any:
        return data


class CaseDocumentViewSet(GatedObjectMixin, viewsets.GenericViewSet):
    """Documents attached to one case."""

    gate_model = Document
    gate_policy = api_policy()
    gate_actions = {"list": "document.view", "create": "document.upload", "download": "document.view"}
    serializer_class = DocumentSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return super().get_queryset().filter(case_id=self.kwargs["case_pk"]).select_related("case")

    def get_parsers(self):  # type: ignore[no-untyped-def]
        request = getattr(self, "request", None)
        if getattr(self, "action", None) == "create" or getattr(request, "method", None) == "POST":
            return [MultiPartParser()]
        return super().get_parsers()

    def get_renderers(self):  # type: ignore[no-untyped-def]
        if getattr(self, "action", None) == "download":
            return [renderers.JSONRenderer(), AnyMediaRenderer()]
        return super().get_renderers()

    @extend_schema(responses=DocumentSerializer(many=True))
    def list(self, request: Request, case_pk: int) -> Response:
        """A page of the case's documents (limit and offset, as every list of the API)."""
        case = selectors.access_case(request.user, case_pk, "document.view")
        rows = self.paginate_queryset(selectors.documents_of(case))
        if rows:
            selectors.record_documents_read(request.user, case)
        return self.get_paginated_response(DocumentSerializer(rows, many=True).data)

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={201: DocumentSerializer})
    def create(self, request: Request, case_pk: int) -> Response:
        case = selectors.access_case(request.user, case_pk, "document.upload")
        serializer = UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        document = services.add_document(
            actor=request.user,
            case=case,
            upload=data["file"],
            kind=data["kind"],
            description=data.get("description", ""),
        )
        return Response(DocumentSerializer(document).data, status=201)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        # Errors are JSON (the schema's Problem) even when the download asked for the file's own type.
        if getattr(response, "status_code", 200) >= 400 and isinstance(
            getattr(request, "accepted_renderer", None), AnyMediaRenderer
        ):
            request.accepted_renderer, request.accepted_media_type = (
                renderers.JSONRenderer(),
                "application/json",
            )
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(responses={(200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")})
    def download(self, request: Request, case_pk: int, pk: int) -> Any:
        document = self.get_object()
        if document.case_id != int(case_pk):
            raise NotVisible
        return document_response(request.user, document)


urlpatterns = [
    path(
        "cases/<int:case_pk>/documents/",
        CaseDocumentViewSet.as_view({"get": "list", "post": "create"}),
        name="case-documents",
    ),
    path(
        "cases/<int:case_pk>/documents/<int:pk>/download/",
        CaseDocumentViewSet.as_view({"get": "download"}),
        name="case-document-download",
    ),
]
