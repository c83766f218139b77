"""The legal track API: /api/v1/cases/{id}/legal/ — read the whole track, change its non-punishment part.

Explicit fields only. The case comes from the gate (`legal.view` / `legal.change`): other organisations' and
unassigned lawyers' requests answer 404 (audited as "denied"); each read is audited.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from lantern.authz.api import GatedObjectMixin, api_policy
from lantern.cases.models import Case
from lantern.web.api_fields import UniqueListField

from . import selectors, services
from .models import (
    ClaimAgainst,
    ClaimStatus,
    CompensationClaim,
    CriminalProceeding,
    Hearing,
    InformationMethod,
    NonPunishmentStatus,
    OffenceCategory,
    PermitOutcome,
    PermitType,
    ProceedingRole,
    ProceedingStatus,
    ProtectiveMeasure,
    ResidencePermit,
    RightsInformation,
)


def choice(choices: Any, *, enum: bool = False, **kwargs: Any) -> serializers.ChoiceField:
    """A choice field. Generic names ("status", "outcome", "type", "role", "kind") are described by a pattern,
    not an enum: drf-spectacular names enums by field name across the whole API, and a second choice set
    under the same name would rename another app's enum (an API contract change) or warn."""
    if enum:
        return serializers.ChoiceField(choices=choices, **kwargs)
    values = [str(value) for value, _label in choices]
    schema = {
        "type": "string",
        "pattern": "^(" + "|".join(values) + ")$",
        "description": "One of: " + ", ".join(values),
    }
    field_class = extend_schema_field(schema)(type("PatternChoiceField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices, **kwargs)


def choice_list(choices: Any, *, enum: bool = False, **kwargs: Any) -> serializers.ListField:
    return UniqueListField(child=choice(choices, enum=enum), **kwargs)


class RightsInformationSerializer(serializers.ModelSerializer):
    methods = choice_list(InformationMethod.choices, enum=True)

    class Meta:
        model = RightsInformation
        fields = ["id", "given_on", "language", "methods", "given_by", "notes", "recorded_at"]
        read_only_fields = fields


class HearingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hearing
        fields = ["id", "on", "purpose"]
        read_only_fields = fields


class ProceedingSerializer(serializers.ModelSerializer):
    role = choice(ProceedingRole.choices)
    status = choice(ProceedingStatus.choices)
    measures_requested = choice_list(ProtectiveMeasure.choices)
    measures_granted = choice_list(ProtectiveMeasure.choices)
    hearings = HearingSerializer(many=True, read_only=True)

    class Meta:
        model = CriminalProceeding
        fields = [
            "id",
            "role",
            "status",
            "court",
            "case_number",
            "opened_on",
            "measures_requested",
            "measures_granted",
            "notes",
            "hearings",
        ]
        read_only_fields = fields


class ResidencePermitSerializer(serializers.ModelSerializer):
    type = choice(PermitType.choices)
    outcome = choice(PermitOutcome.choices)

    class Meta:
        model = ResidencePermit
        fields = [
            "id",
            "type",
            "applied_on",
            "decided_on",
            "expires_on",
            "outcome",
            "permit_number",
            "notes",
        ]
        read_only_fields = fields


class CompensationClaimSerializer(serializers.ModelSerializer):
    against = choice(ClaimAgainst.choices, enum=True)
    status = choice(ClaimStatus.choices)

    class Meta:
        model = CompensationClaim
        fields = [
            "id",
            "against",
            "status",
            "currency",
            "amount_claimed",
            "amount_awarded",
            "filed_on",
            "decided_on",
            "notes",
        ]
        read_only_fields = fields


class LawyerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organisation = serializers.IntegerField()


class NonPunishmentSerializer(serializers.Serializer):
    non_punishment_applies = serializers.BooleanField(required=False)
    non_punishment_categories = choice_list(OffenceCategory.choices, enum=True, required=False)
    non_punishment_offences = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    non_punishment_status = choice(NonPunishmentStatus.choices, enum=True, required=False)
    non_punishment_raised_on = serializers.DateField(required=False, allow_null=True)


class LegalTrackSerializer(NonPunishmentSerializer):
    case = serializers.IntegerField()
    reference = serializers.CharField()
    lawyer = LawyerSerializer(allow_null=True)
    rights_information = RightsInformationSerializer(many=True)
    criminal_proceedings = ProceedingSerializer(many=True)
    residence_permits = ResidencePermitSerializer(many=True)
    compensation_claims = CompensationClaimSerializer(many=True)


def _track_data(case: Case) -> dict[str, Any]:
    legal = selectors.overview(case)
    track = legal.track
    lawyer = track.lawyer
    return {
        "case": case.pk,
        "reference": case.reference,
        "lawyer": {
            "id": lawyer.pk,
            "name": lawyer.get_full_name() or lawyer.username,
            "organisation": lawyer.organisation_id,
        }
        if lawyer
        else None,
        **{name: getattr(track, name) for name in services.TRACK_FIELDS},
        "rights_information": legal.rights,
        "criminal_proceedings": legal.proceedings,
        "residence_permits": legal.permits,
        "compensation_claims": legal.claims,
    }


class LegalTrackViewSet(GatedObjectMixin, viewsets.GenericViewSet):
    """The legal track of one case: its organisation's case workers and the assigned lawyer."""

    gate_model = Case
    gate_policy = api_policy()
    gate_actions = {"retrieve": "legal.view", "partial_update": "legal.change"}
    serializer_class = LegalTrackSerializer

    def _respond(self, case: Case) -> Response:
        selectors.record_legal_read(self.request.user, case)
        return Response(LegalTrackSerializer(_track_data(case)).data)

    @extend_schema(responses=LegalTrackSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._respond(self.get_object())

    @extend_schema(request=NonPunishmentSerializer, responses=LegalTrackSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_object()
        serializer = NonPunishmentSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.update_track(actor=request.user, case=case, changes=dict(serializer.validated_data))
        return self._respond(case)


urlpatterns = [
    path(
        "cases/<int:pk>/legal/",
        LegalTrackViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="case-legal",
    ),
]
