"""The API of the directory (/api/v1/directory/), referrals (/api/v1/referrals/, with send, accept, decline,
withdraw and close) and support-plan needs (/api/v1/cases/{case_pk}/needs/). Explicit fields only; the same
gate and services as the pages. Other organisations' referrals and needs answer 404 (audited), like missing
ones. A referral shows no case data: the receiver reads the referred field groups at /api/v1/cases/{id}/.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lantern.accounts.roles import Service
from lantern.audit.services import record_read
from lantern.authz import gate
from lantern.authz.api import GatedObjectMixin, api_policy
from lantern.cases.models import Case
from lantern.web.api_fields import UniqueListField, object_id, validated_query

from . import selectors, services
from .models import (
    AgeProvision,
    GenderProvision,
    Need,
    NeedKind,
    NeedStatus,
    Priority,
    Referral,
    ServiceOffer,
)
from .policies import REFERRABLE_GROUPS, is_receiver, is_referrer


class ServiceOfferSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    country = serializers.CharField(source="organisation.country.code", read_only=True)

    class Meta:
        model = ServiceOffer
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "country",
            "service",
            "region",
            "description",
            "languages",
            "gender",
            "ages",
            "total_places",
            "free_places",
            "phone",
            "email",
            "active",
        ]
        read_only_fields = fields


DIRECTORY_PARAMETERS = [
    OpenApiParameter("service", str, enum=list(Service.values)),
    OpenApiParameter("region", str, description="Part of the region or city name"),
    OpenApiParameter("language", str, description="A language code, e.g. ar"),
    OpenApiParameter("gender", str, enum=[GenderProvision.WOMEN, GenderProvision.MEN]),
    OpenApiParameter("ages", str, enum=[AgeProvision.ADULTS, AgeProvision.CHILDREN]),
    OpenApiParameter("country", str, description="ISO 3166-1 alpha-2"),
    OpenApiParameter("free", bool, description="Only services with free places (or not limited by places)"),
]


class DirectoryFilter(serializers.Serializer):
    """The directory's filters: an unknown value answers 400 (it was ignored, showing every offer)."""

    service = serializers.ChoiceField(choices=list(Service.values), required=False, allow_blank=True)
    region = serializers.CharField(required=False, allow_blank=True, max_length=200)
    language = serializers.CharField(required=False, allow_blank=True, max_length=8)
    gender = serializers.ChoiceField(
        choices=[GenderProvision.WOMEN, GenderProvision.MEN], required=False, allow_blank=True
    )
    ages = serializers.ChoiceField(
        choices=[AgeProvision.ADULTS, AgeProvision.CHILDREN], required=False, allow_blank=True
    )
    country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False, allow_blank=True)
    free = serializers.BooleanField(required=False)


class DirectoryViewSet(
    GatedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The service directory: organisations' services, with their free places. Every signed-in user."""

    gate_model = ServiceOffer
    gate_policy = api_policy()
    gate_actions = {"list": "directory.view", "retrieve": "directory.view"}
    serializer_class = ServiceOfferSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if self.action != "list":
            return super().get_queryset().select_related("organisation")
        params = validated_query(self.request, DirectoryFilter)
        search = selectors.DirectorySearch(
            service=params.get("service", ""),
            region=params.get("region", ""),
            language=params.get("language", ""),
            gender=params.get("gender", ""),
            ages=params.get("ages", ""),
            country=params.get("country", "").upper(),
            free_only=bool(params.get("free")),
        )
        return selectors.search_directory(self.request.user, search)

    @extend_schema(parameters=DIRECTORY_PARAMETERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class ReferralSerializer(serializers.ModelSerializer):
    case_reference = serializers.SerializerMethodField()
    consent_revoked = serializers.SerializerMethodField()
    message = serializers.CharField(
        read_only=True, allow_null=True, help_text="null when the caller may not read it (see below)."
    )

    class Meta:
        model = Referral
        fields = [
            "id",
            "case",
            "case_reference",
            "from_organisation",
            "to_organisation",
            "offer",
            "service",
            "kind",
            "field_groups",
            "status",
            "message",
            "decline_reason",
            "consent_revoked",
            "created_at",
            "sent_at",
            "answered_at",
            "ended_at",
        ]
        read_only_fields = fields

    def get_case_reference(self, referral: Referral) -> str:
        return getattr(referral, "case_reference", None) or referral.case.reference

    def get_consent_revoked(self, referral: Referral) -> bool:
        """A consent the referral rested on was revoked: nothing more of the case is shared through it."""
        revoked = getattr(referral, "revoked", None)
        return referral.consent_revoked if revoked is None else bool(revoked)

    def to_representation(self, instance: Referral) -> dict[str, Any]:
        data = super().to_representation(instance)
        # The free-text message goes to the receiver only while it may see the case through the referral.
        if not self.context.get("show_message", False):
            data["message"] = None
        return data


class ReferralCreateSerializer(serializers.Serializer):
    case = object_id()
    offer = object_id()
    field_groups = UniqueListField(
        child=serializers.ChoiceField(choices=list(REFERRABLE_GROUPS)),
        required=False,
        help_text="Default: what the service usually needs.",
    )
    message = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    needs = UniqueListField(child=object_id(), required=False, default=list)


class AnswerSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ReferralViewSet(
    GatedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Referrals your organisation sent or received. Case workers of the case's organisation create and send
    them; the receiving organisation's service-provider staff and case workers accept or decline them."""

    gate_model = Referral
    gate_policy = api_policy()
    gate_actions = {
        "list": "referral.view",
        "retrieve": "referral.view",
        "create": "referral.create",
        "send": "referral.send",
        "accept": "referral.answer",
        "decline": "referral.answer",
        "withdraw": "referral.withdraw",
        "close": "referral.close",
    }
    serializer_class = ReferralSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.listed(super().get_queryset()).order_by("-created_at", "-pk")

    def _show(self, referral: Referral, status: int = 200) -> Response:
        user = self.request.user
        referral.refresh_from_db()
        show_message = is_referrer(user, referral) or (
            is_receiver(user, referral) and selectors.access_active(referral)
        )
        shown = [f for f in ("message", "decline_reason") if getattr(referral, f)]
        selectors.record_referral_read(user, referral, [f for f in shown if f != "message" or show_message])
        return Response(
            ReferralSerializer(referral, context={"show_message": show_message}).data, status=status
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._show(self.get_object())

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def create(self, request: Request) -> Response:
        serializer = ReferralCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = gate.access(request.user, "referral.create", Case, data["case"])
        offer = selectors.referral_targets(request.user).filter(pk=data["offer"]).first()
        needs = list(gate.visible(request.user, "need.change", Need).filter(case=case, pk__in=data["needs"]))
        if len(needs) != len(set(data["needs"])):
            raise serializers.ValidationError({"needs": ["Choose needs of this case."]})
        referral = services.create_referral(
            actor=request.user,
            case=case,
            offer=offer,
            field_groups=data.get("field_groups"),
            message=data["message"],
            needs=needs,
        )
        return self._show(referral, status=201)

    @extend_schema(request=None, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: int) -> Response:
        return self._show(services.send_referral(actor=request.user, referral=self.get_object()))

    @extend_schema(request=None, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: int) -> Response:
        referral = self.get_object()
        return self._show(services.accept_referral(actor=request.user, referral=referral))

    @extend_schema(request=AnswerSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: int) -> Response:
        referral = self.get_object()
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        return self._show(services.decline_referral(actor=request.user, referral=referral, reason=reason))

    @extend_schema(request=None, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: int) -> Response:
        return self._show(services.withdraw_referral(actor=request.user, referral=self.get_object()))

    @extend_schema(request=None, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: int) -> Response:
        return self._show(services.close_referral(actor=request.user, referral=self.get_object()))


class NeedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Need
        fields = [
            "id",
            "kind",
            "description",
            "priority",
            "status",
            "referral",
            "offer",
            "target_date",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


# In requests, the need's kind and status are documented as strings: the enums are named once, on `Need`
# (two components sharing an enum whose field name other enums use too makes drf-spectacular warn).
@extend_schema_field({"type": "string", "description": "One of the `NeedKindEnum` values."})
class NeedKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=NeedKind.choices, **kwargs)


@extend_schema_field({"type": "string", "description": "One of the `NeedStatusEnum` values."})
class NeedStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=NeedStatus.choices, **kwargs)


class NeedWriteSerializer(serializers.Serializer):
    kind = NeedKindField()
    description = serializers.CharField(max_length=4000)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    status = NeedStatusField(required=False)
    target_date = serializers.DateField(required=False, allow_null=True)


class CaseNeedViewSet(viewsets.ViewSet):
    """The support plan of one case. Case workers of the case's organisation see and add needs; a service
    sees the needs referred to it."""

    gate_policy = api_policy()
    gate_actions = {"list": "need.view", "create": "need.change"}

    @extend_schema(responses=NeedSerializer(many=True))
    def list(self, request: Request, case_pk: int) -> Response:
        case = gate.access(request.user, "need.view", Case, case_pk)
        needs = list(selectors.needs_of_case(request.user, case))
        if needs:
            record_read(request.user, needs, ["description"])
        return Response(NeedSerializer(needs, many=True).data)

    @extend_schema(request=NeedWriteSerializer, responses={201: NeedSerializer})
    def create(self, request: Request, case_pk: int) -> Response:
        case = gate.access(request.user, "need.change", Case, case_pk)
        serializer = NeedWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        need = services.record_need(actor=request.user, case=case, data=dict(serializer.validated_data))
        return Response(NeedSerializer(need).data, status=201)


urlpatterns = [
    path(
        "cases/<int:case_pk>/needs/",
        CaseNeedViewSet.as_view({"get": "list", "post": "create"}),
        name="case-needs",
    ),
]
