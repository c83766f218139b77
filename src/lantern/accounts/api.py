"""API for the signed-in user, organisations and (for administrators) users. Explicit fields only."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.authz.api import GatedObjectMixin, api_policy
from lantern.authz.gate import can, visible
from lantern.web.api_fields import UniqueListField

from . import services
from .models import Organisation, User
from .roles import Role


class OrganisationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code")

    class Meta:
        model = Organisation
        fields = ["id", "name", "type", "country", "languages", "services", "active"]
        read_only_fields = fields


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "organisation", "roles", "is_active"]
        read_only_fields = fields

    def get_roles(self, obj: User) -> list[str]:
        return sorted(obj.roles)


class UserWriteSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, validators=[UnicodeUsernameValidator()])
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, min_length=12, max_length=256)
    roles = UniqueListField(child=serializers.ChoiceField(choices=Role.choices), default=list)

    def validate_username(self, value: str) -> str:
        if User.objects.filter(username__iexact=value).exists():
            raise serializers.ValidationError("This username is taken.")
        return value


class MeView(APIView):
    gate_policy = api_policy()
    gate_actions = {"GET": "organisation.view"}

    @extend_schema(responses=UserSerializer)
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)


class OrganisationViewSet(GatedObjectMixin, viewsets.ReadOnlyModelViewSet):
    gate_model = Organisation
    gate_actions = {"list": "organisation.view", "retrieve": "organisation.view"}
    serializer_class = OrganisationSerializer


class UserViewSet(GatedObjectMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Accounts of the organisations you administer. Reading them is audited (staff personal data)."""

    gate_model = User
    gate_actions = {"list": "user.view", "retrieve": "user.view", "create": "user.create"}
    serializer_class = UserSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        action = self.gate_action()
        if action == "user.create":
            action = "user.view"
        return (
            visible(self.request.user, action, User)
            .select_related("organisation")
            .prefetch_related("role_grants")
        )

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        return UserWriteSerializer if self.action == "create" else UserSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        ids = [row["id"] for row in response.data.get("results", [])]
        record(
            AuditRecord.Action.VIEW,
            actor=request.user,
            object_type="accounts.user",
            object_id="list",
            fields=["first_name", "last_name", "email"],
            detail={"ids": ids},
        )
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        record(AuditRecord.Action.VIEW, obj, actor=request.user, fields=["first_name", "last_name", "email"])
        return Response(UserSerializer(obj).data)

    @extend_schema(request=UserWriteSerializer, responses={201: UserSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = UserWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not can(request.user, "user.create", request.user.organisation):
            return Response(status=403)
        try:
            with transaction.atomic():
                user = services.create_user(
                    actor=request.user, organisation=request.user.organisation, **serializer.validated_data
                )
        except DjangoValidationError as exc:
            # The role rules raise on "roles", the username validators on "username"; the password's unnamed.
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"password": exc.messages}
            raise serializers.ValidationError(detail) from exc
        return Response(UserSerializer(user).data, status=201)
