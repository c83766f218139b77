"""The cases API: /api/v1/cases/, its consents (with revoke) and decisions. Explicit fields only.

The list shows no personal fields; one case shows only the field groups the gate grants the caller, and the
read is audited. Other organisations' cases answer 404 (audited as "denied"), like missing ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.urls import path
from django.utils.translation import gettext as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lantern.authz.api import GatedObjectMixin, api_policy
from lantern.authz.gate import NotVisible
from lantern.web.api_fields import UniqueListField

from . import handovers, ownership, selectors, services
from .fields import FIELD_GROUPS, RECORD_FIELDS, CaseField, Kind
from .models import Basis, Case, Consent, Decision, Handover, Outcome, Purpose
from .policies import visible_field_groups
from .procedure.profiles import load_profiles

COUNTRY_LISTS = ("citizenships", "recruitment_countries", "exploitation_countries")


@extend_schema_field({"type": "string", "pattern": "^[A-Z]{2}$", "example": "NG"})
class CountryCodeField(serializers.CharField):
    """An ISO 3166-1 alpha-2 country code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 2)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        code = super().to_internal_value(data).upper()
        if code and code not in countries:  # the cached table (dict(countries) rebuilt it per code)
            raise serializers.ValidationError(_("Not a country code: %(code)s.") % {"code": code})
        return code


class OptionalCountryCodeField(CountryCodeField):
    """A country code that may be empty (a consent names a recipient country only for a transfer abroad).
    Blank is allowed in the schema too (drf-spectacular adds the empty string as an alternative)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)


def _country_list() -> serializers.ListField:
    return UniqueListField(child=CountryCodeField(), required=False)


class CaseSummarySerializer(serializers.ModelSerializer):
    """A case without personal fields (lists). `owner`: the person responsible within `organisation`."""

    owner = serializers.PrimaryKeyRelatedField(source="case_worker", read_only=True, allow_null=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "organisation",
            "owner",
            "profile",
            "stage",
            "stage_entered_on",
            "treated_as_child",
            "immediate_danger",
            "referred_to",
            "referred_on",
            "target_due_on",
            "period_ends_on",
            "closed_on",
            "created_at",
        ]
        read_only_fields = fields


def _text_field(field: CaseField) -> serializers.Field:
    return serializers.CharField(required=False, allow_blank=True, max_length=4000)


def _date_field(field: CaseField) -> serializers.Field:
    return (
        serializers.DateField(required=False)
        if field.required
        else serializers.DateField(required=False, allow_null=True)
    )


def _choice_values(field: CaseField) -> list[str]:
    return [value for value, _label in field.choices()] if field.choices is not None else []


# One serializer field per kind of input (`fields.Kind`): the record is always partial here (a PATCH, or a
# case opened with what is known), so nothing is required; a date the form requires may not be null.
_API_FIELD: dict[Kind, Callable[[CaseField], serializers.Field]] = {
    Kind.TEXT: _text_field,
    Kind.LONG_TEXT: _text_field,
    Kind.DATE: _date_field,
    Kind.NUMBER: lambda f: serializers.IntegerField(required=False, allow_null=True),
    Kind.YES_NO: lambda f: serializers.BooleanField(required=False),
    Kind.COUNTRIES: lambda f: _country_list(),
    Kind.LANGUAGES: lambda f: UniqueListField(
        child=serializers.CharField(min_length=2, max_length=8), required=False
    ),
    Kind.ONE_OF: lambda f: serializers.ChoiceField(choices=f.choices(), required=False),
    Kind.PICK: lambda f: serializers.CharField(required=False, allow_blank=True, max_length=32),
    Kind.SOME_OF: lambda f: UniqueListField(
        child=serializers.ChoiceField(choices=_choice_values(f)), required=False
    ),
}

# The record's personal fields, shared by the detail (output) and write (input) serializers: one per declared
# field of the record (`fields.RECORD_FIELDS`).
CaseRecordFields = serializers.SerializerMetaclass(
    "CaseRecordFields",
    (serializers.Serializer,),
    {
        "__doc__": "The record's personal fields, for the detail (output) and write (input) serializers.",
        "__module__": __name__,
        **{field.name: _API_FIELD[field.kind](field) for field in RECORD_FIELDS},
    },
)


class CaseDetailSerializer(CaseRecordFields, CaseSummarySerializer):
    """One case: the summary plus the personal fields of the groups granted (others are left out)."""

    class Meta(CaseSummarySerializer.Meta):
        fields = CaseSummarySerializer.Meta.fields + list(CaseRecordFields._declared_fields)
        read_only_fields = fields

    def to_representation(self, instance: Case) -> dict[str, Any]:
        groups = self.context.get("groups", frozenset())
        data = dict(CaseSummarySerializer(instance).data)
        for group in sorted(groups):
            for name in FIELD_GROUPS[group]:
                data[name] = _api_value(instance, name)
        return data


def _api_value(case: Case, name: str) -> Any:
    if name == "date_of_birth":
        return case.birth_date.isoformat() if case.birth_date else None
    if name == "estimated_age":
        return case.age_estimate
    value = getattr(case, name)
    if name in COUNTRY_LISTS:
        return [c.code for c in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class CaseWriteSerializer(CaseRecordFields):
    profile = serializers.ChoiceField(choices=sorted(load_profiles().profiles), required=False)
    owner = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="The id of a case worker of the responsible organisation (null: the team's queue). "
        "Setting it needs the case.assign permission.",
    )


def _assign(request: Request, case: Case, changes: dict[str, Any]) -> None:
    if "owner" in changes:
        owner = ownership.owner_by_id(case, changes.pop("owner"))
        ownership.assign_case(actor=request.user, case=case, owner=owner)


class CaseCreateSerializer(CaseWriteSerializer):
    """A new case: the date the person was identified is required (the service refuses a case without it)."""

    identified_on = serializers.DateField(help_text="From 1900 to today.")


class CaseViewSet(
    GatedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """NRM cases you may see. Creating needs the screener or case worker role; changing, the owning case."""

    gate_model = Case
    gate_policy = api_policy()
    gate_actions = {
        "list": "case.view",
        "retrieve": "case.view",
        "create": "case.create",
        "partial_update": "case.change",
    }
    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = CaseSummarySerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return super().get_queryset().select_related("organisation").order_by("-created_at", "-pk")

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        if self.action == "create":
            return CaseCreateSerializer
        if self.action == "partial_update":
            return CaseWriteSerializer
        return CaseDetailSerializer if self.action == "retrieve" else CaseSummarySerializer

    def _detail(self, case: Case, status: int = 200) -> Response:
        groups = visible_field_groups(self.request.user, case)
        selectors.record_case_read(self.request.user, case, groups)
        return Response(CaseDetailSerializer(case, context={"groups": groups}).data, status=status)

    @extend_schema(responses=CaseDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail(self.get_object())

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        profile = data.pop("profile", None)
        owner = {"owner": data.pop("owner")} if "owner" in data else {}
        with transaction.atomic():
            case = services.create_case(actor=request.user, data=data, profile=profile)
            _assign(request, case, owner)
        return self._detail(case, status=201)

    @extend_schema(request=CaseWriteSerializer, responses=CaseDetailSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_object()
        serializer = CaseWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "profile" in changes:
            raise serializers.ValidationError(
                {"profile": [_("The NRM profile is chosen when the case is opened.")]}
            )
        with transaction.atomic():
            _assign(request, case, changes)
            if changes:
                services.update_case(actor=request.user, case=case, changes=changes)
        return self._detail(case)


class ConsentSerializer(serializers.ModelSerializer):
    recipient_country = OptionalCountryCodeField(source="recipient_country.code", read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "purpose",
            "basis",
            "organisation",
            "recipient_country",
            "language",
            "interpreter_used",
            "interpreter",
            "representative",
            "best_interests_note",
            "notes",
            "given_on",
            "recorded_at",
            "revoked_at",
            "active",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class RecipientField(serializers.PrimaryKeyRelatedField):
    """An organisation from the directory the caller sees (given in the serializer's context)."""

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return self.context["organisations"]


class ConsentWriteSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    basis = serializers.ChoiceField(choices=Basis.choices)
    organisation = RecipientField(
        required=False, allow_null=True, help_text="Required when the purpose is referral."
    )
    recipient_country = OptionalCountryCodeField(
        required=False, help_text="Required when the purpose is transnational."
    )
    language = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=8,
        help_text="The language consent was explained in; required unless the basis is best_interests.",
    )
    interpreter_used = serializers.BooleanField(required=False, default=False)
    interpreter = serializers.CharField(required=False, allow_blank=True, max_length=200)
    representative = serializers.CharField(required=False, allow_blank=True, max_length=200)
    best_interests_note = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    given_on = serializers.DateField(required=False, allow_null=True, help_text="From 1900 to today.")


class RevokeSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "stage", "outcome", "decided_on", "reasons", "is_appeal", "recorded_at"]
        read_only_fields = fields


class DecisionWriteSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    decided_on = serializers.DateField()
    reasons = serializers.CharField(max_length=20000)


def _case_with(request: Request, case_pk: int, action: str, group: str) -> Case:
    case = selectors.access_case(request.user, case_pk, action)
    if group not in visible_field_groups(request.user, case):
        raise NotVisible
    return case


class CaseConsentViewSet(viewsets.ViewSet):
    """Consents of one case. Recording and revoking: the owning case worker, or the screener who opened it."""

    gate_policy = api_policy()
    gate_actions = {"list": "case.view", "create": "case.consent", "revoke": "case.consent"}

    @extend_schema(responses=ConsentSerializer(many=True))
    def list(self, request: Request, case_pk: int) -> Response:
        case = _case_with(request, case_pk, "case.view", "consents")
        selectors.record_case_read(request.user, case, {"consents"})
        return Response(ConsentSerializer(selectors.consents_of(case), many=True).data)

    @extend_schema(request=ConsentWriteSerializer, responses={201: ConsentSerializer})
    def create(self, request: Request, case_pk: int) -> Response:
        case = _case_with(request, case_pk, "case.consent", "consents")
        organisations = selectors.recipient_organisations(request.user)
        serializer = ConsentWriteSerializer(data=request.data, context={"organisations": organisations})
        serializer.is_valid(raise_exception=True)
        consent = services.record_consent(actor=request.user, case=case, **serializer.validated_data)
        return Response(ConsentSerializer(consent).data, status=201)

    @extend_schema(request=RevokeSerializer, responses=ConsentSerializer)
    def revoke(self, request: Request, case_pk: int, pk: int) -> Response:
        case = _case_with(request, case_pk, "case.consent", "consents")
        consent = selectors.consent_of(case, pk)
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.revoke_consent(actor=request.user, consent=consent, note=serializer.validated_data["note"])
        return Response(ConsentSerializer(consent).data)


class CaseDecisionViewSet(viewsets.ViewSet):
    """Stage decisions of one case. Recording them: the NRM decision-maker of the competent authority only."""

    gate_policy = api_policy()
    gate_actions = {"list": "case.view", "create": "case.decide"}

    @extend_schema(responses=DecisionSerializer(many=True))
    def list(self, request: Request, case_pk: int) -> Response:
        case = _case_with(request, case_pk, "case.view", "timeline")
        selectors.record_case_read(request.user, case, {"timeline"})
        return Response(DecisionSerializer(selectors.decisions_of(case), many=True).data)

    @extend_schema(request=DecisionWriteSerializer, responses={201: DecisionSerializer})
    def create(self, request: Request, case_pk: int) -> Response:
        case = selectors.access_case(request.user, case_pk, "case.decide")
        serializer = DecisionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = services.record_decision(actor=request.user, case=case, **serializer.validated_data)
        return Response(DecisionSerializer(decision).data, status=201)


class HandoverSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True)

    class Meta:
        model = Handover
        fields = [
            "id",
            "case",
            "case_reference",
            "from_organisation",
            "to_organisation",
            "message",
            "status",
            "reason",
            "proposed_by",
            "proposed_at",
            "answered_by",
            "answered_at",
        ]
        read_only_fields = fields


class HandoverSummarySerializer(HandoverSerializer):
    """A handover without its message and reason (lists: they may name the person)."""

    class Meta(HandoverSerializer.Meta):
        fields = [f for f in HandoverSerializer.Meta.fields if f not in ("message", "reason")]
        read_only_fields = fields


class HandoverProposeSerializer(serializers.Serializer):
    to_organisation = RecipientField()
    message = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class HandoverDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


def _show_handover(request: Request, handover: Handover, status: int = 200) -> Response:
    handover.refresh_from_db()
    selectors.record_handover_read(request.user, handover)
    return Response(HandoverSerializer(handover).data, status=status)


class CaseHandoverViewSet(viewsets.ViewSet):
    """Propose to hand a case over to another organisation that manages cases (its case workers, or the
    screener who opened it). Needs the person's consent to a referral to that organisation."""

    gate_policy = api_policy()
    gate_actions = {"create": "handover.propose"}

    @extend_schema(request=HandoverProposeSerializer, responses={201: HandoverSerializer})
    def create(self, request: Request, case_pk: int) -> Response:
        case = selectors.access_case(request.user, case_pk, "handover.propose")
        serializer = HandoverProposeSerializer(
            data=request.data, context={"organisations": selectors.recipient_organisations(request.user)}
        )
        serializer.is_valid(raise_exception=True)
        handover = handovers.propose_handover(actor=request.user, case=case, **serializer.validated_data)
        return _show_handover(request, handover, status=201)


class HandoverViewSet(
    GatedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Handovers your organisation sent or received (or you proposed). The receiver's case workers and
    decision-makers accept or decline them."""

    gate_model = Handover
    gate_policy = api_policy()
    gate_actions = {
        "list": "handover.view",
        "retrieve": "handover.view",
        "accept": "handover.answer",
        "decline": "handover.answer",
    }
    serializer_class = HandoverSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return super().get_queryset().select_related("case").order_by("-proposed_at", "-pk")

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        return HandoverSummarySerializer if self.action == "list" else HandoverSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return _show_handover(request, self.get_object())

    @extend_schema(request=None, responses=HandoverSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: int) -> Response:
        handover = handovers.accept_handover(actor=request.user, handover=self.get_object())
        return _show_handover(request, handover)

    @extend_schema(request=HandoverDeclineSerializer, responses=HandoverSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: int) -> Response:
        handover = self.get_object()
        serializer = HandoverDeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        handover = handovers.decline_handover(
            actor=request.user, handover=handover, reason=serializer.validated_data["reason"]
        )
        return _show_handover(request, handover)


urlpatterns = [
    path(
        "cases/<int:case_pk>/handovers/",
        CaseHandoverViewSet.as_view({"post": "create"}),
        name="case-handovers",
    ),
    path(
        "cases/<int:case_pk>/consents/",
        CaseConsentViewSet.as_view({"get": "list", "post": "create"}),
        name="case-consents",
    ),
    path(
        "cases/<int:case_pk>/consents/<int:pk>/revoke/",
        CaseConsentViewSet.as_view({"post": "revoke"}),
        name="case-consent-revoke",
    ),
    path(
        "cases/<int:case_pk>/decisions/",
        CaseDecisionViewSet.as_view({"get": "list", "post": "create"}),
        name="case-decisions",
    ),
]
