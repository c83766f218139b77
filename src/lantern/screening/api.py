"""Screenings over the API: create, read, change (PATCH with `version`), score; and stateless scoring.

Every change goes through the same services as the pages; errors name what is wrong: 400 for unknown ids
or values (with the valid ones), 409 for a stale `version`, a colleague's edit lock or a step not open yet.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lantern.audit.services import record, record_read
from lantern.authz.api import GatedObjectMixin, api_policy
from lantern.web.api_fields import BoundedDictField, UniqueListField

from . import content as interview_content
from . import selectors, services
from .engine import UnknownIndicator
from .engine import score as engine_score
from .models import (
    PERSONAL_FIELDS,
    AgeGroup,
    Answer,
    Consent,
    Gender,
    GenderPreference,
    Outcome,
    Screening,
    Status,
)


def _named_choices(choices: Any, component: str, blank: bool = False) -> type[serializers.ChoiceField]:
    """A choice field whose enum is one named schema component. Without a name, drf-spectacular names
    enums after the field, and another app's `status` with other values makes it invent hashed names."""

    schema = {"type": "string", "enum": [*choices.values, *([""] if blank else [])]}

    @extend_schema_field(schema, component_name=component)
    class NamedChoiceField(serializers.ChoiceField):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(choices=choices.choices, allow_blank=blank, **kwargs)

    return NamedChoiceField


StatusField = _named_choices(Status, "ScreeningStatus")
OutcomeField = _named_choices(Outcome, "ScreeningOutcome", blank=True)
GenderField = _named_choices(Gender, "ScreeningGender", blank=True)
PreferenceField = _named_choices(GenderPreference, "ScreeningGenderPreference", blank=True)
ConsentField = _named_choices(Consent, "ScreeningConsent", blank=True)
AgeGroupField = _named_choices(AgeGroup, "ScreeningAgeGroup", blank=True)


class _Values:
    """Values read from data files (instrument ids, interview languages), shaped like Django's choices."""

    def __init__(self, values: list[str]) -> None:
        self.values = values
        self.choices = [(value, value) for value in values]


class InstrumentField(_named_choices(_Values(selectors.all_instrument_ids()), "ScreeningInstrument")):  # type: ignore[misc]
    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            raise serializers.ValidationError(
                _("Unknown instrument %(id)s. Valid instruments are: %(valid)s.")
                % {"id": data, "valid": ", ".join(selectors.all_instrument_ids())}
            ) from None


InterviewLanguageField = _named_choices(
    _Values(interview_content.available_languages()), "InterviewLanguage", blank=True
)
INDICATOR_COUNT = len(selectors.catalogue().indicator_labels)  # the most a screening can answer


class ScreeningListSerializer(serializers.ModelSerializer):
    paused = serializers.BooleanField(source="is_paused")
    status = StatusField(read_only=True)
    age_group = AgeGroupField(read_only=True)
    outcome = OutcomeField(read_only=True)

    class Meta:
        model = Screening
        fields = [
            "id",
            "status",
            "paused",
            "age_group",
            "outcome",
            "created_by",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class ScreeningSerializer(serializers.ModelSerializer):
    paused = serializers.BooleanField(source="is_paused")
    status = StatusField(read_only=True)
    outcome = OutcomeField(read_only=True)
    interpreter_gender = GenderField(read_only=True)
    interviewer_gender = GenderField(read_only=True)
    gender_preference = PreferenceField(read_only=True)
    consent = ConsentField(read_only=True)
    age_group = AgeGroupField(read_only=True)
    population = serializers.SerializerMethodField()
    case_id = serializers.IntegerField(read_only=True, allow_null=True)
    # Stored encrypted (lantern.crypto.fields.EncryptedJSONField), shown as the JSON they hold.
    answers = serializers.JSONField(read_only=True)
    result = serializers.JSONField(read_only=True, allow_null=True)

    class Meta:
        model = Screening
        fields = [
            "id", "organisation", "created_by", "created_at", "updated_at", "version",
            "status", "paused", "person_reference", "notes", "case_id",
            "interview_language", "screener_language", "interpreter_used", "interpreter_gender",
            "interviewer_gender", "gender_preference", "gender_preference_unmet_reason", "private_space",
            "child_friendly", "setting_recorded_at",
            "consent", "consent_at", "age_group", "population", "first_signs", "answers", "themes_saved",
            "outcome", "result", "completed_at", "locked_by", "locked_at", "lock_expires_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_population(self, obj: Screening) -> str:
        return services.population_of(obj)


class ScreeningWriteSerializer(serializers.Serializer):
    """What a client may set. Answers merge into those recorded; null removes one (not asked)."""

    person_reference = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    interview_language = InterviewLanguageField(required=False)
    screener_language = InterviewLanguageField(required=False)
    interpreter_used = serializers.BooleanField(required=False)
    interpreter_gender = GenderField(required=False)
    interviewer_gender = GenderField(required=False)
    gender_preference = PreferenceField(required=False)
    gender_preference_unmet_reason = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    private_space = serializers.BooleanField(required=False)
    child_friendly = serializers.BooleanField(required=False)
    consent = ConsentField(required=False)
    age_group = AgeGroupField(required=False)
    first_signs = UniqueListField(
        child=serializers.CharField(max_length=64), required=False, max_length=len(selectors.first_sign_ids())
    )
    answers = BoundedDictField(
        max_length=INDICATOR_COUNT,
        child=serializers.CharField(allow_null=True, max_length=16),
        required=False,
        help_text="{indicator id: " + " | ".join(Answer.values) + " | null}",
    )


class ScreeningPatchSerializer(ScreeningWriteSerializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The version you read; 409 if it changed since."
    )
    take_over = serializers.BooleanField(
        required=False, default=False, help_text="Take over a colleague's edit lock."
    )


class ScoreScreeningSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    instruments = UniqueListField(
        child=InstrumentField(),
        required=False,
        help_text="Score with these instruments only (they must fit the person's age). "
        "Default: the labour and sexual exploitation instruments of the person's population.",
    )


class ScoreRequestSerializer(serializers.Serializer):
    id = serializers.CharField(
        max_length=200, required=False, help_text="Echoed back, as `lantern screen` does."
    )
    instrument = InstrumentField()
    observed = UniqueListField(
        child=serializers.CharField(max_length=64), allow_empty=True, max_length=INDICATOR_COUNT
    )
    age_group = AgeGroupField(
        required=False,
        help_text="When given, the instrument must fit it (an adult instrument is refused for a child).",
    )


ERROR = inline_serializer(
    "ScreeningError", {"detail": serializers.CharField(), "code": serializers.CharField()}
)
CONFLICT = OpenApiResponse(
    ERROR, description="Stale version, a colleague's edit lock, or a step not open yet."
)


def _conflict(exc: services.ScreeningError) -> Response:
    body: dict[str, Any] = {"detail": str(exc)}
    if isinstance(exc, services.VersionConflict):
        body.update(code="version_conflict", version=exc.current.version)
    elif isinstance(exc, services.ScreeningLocked):
        body.update(code="locked", locked_by=exc.holder.username)
    else:
        body.update(code="step_not_available")
    return Response(body, status=status.HTTP_409_CONFLICT)


def _apply(actor: Any, screening: Screening, version: int, data: dict[str, Any]) -> Screening:
    """Apply a client's changes with the services, in interview order, as one change."""
    current = screening
    details = {k: data[k] for k in ("person_reference", "notes") if k in data}
    if details:
        current = services.record_details(actor=actor, screening=current, version=version, **details)
        version = current.version
    setting = {k: data[k] for k in services.SETTING_FIELDS if k in data}
    if setting:
        current = services.record_setting(
            actor=actor, screening=current, version=version, changes=setting, done=None
        )
        version = current.version
    if "consent" in data:
        current = services.record_consent(
            actor=actor, screening=current, version=version, given=data["consent"] == Consent.GIVEN
        )
        version = current.version
    if "first_signs" in data:
        current = services.record_first_signs(
            actor=actor, screening=current, version=version, signs=data["first_signs"]
        )
        version = current.version
    if "age_group" in data:
        current = services.record_age(
            actor=actor, screening=current, version=version, age_group=data["age_group"]
        )
        version = current.version
    if "answers" in data:
        current = services.record_answers(
            actor=actor, screening=current, version=version, answers=data["answers"]
        )
    return current


class ScreeningViewSet(
    GatedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Screenings of your organisation. Reading one is audited (it holds what a person told)."""

    gate_model = Screening
    gate_actions = {
        "list": "screening.view",
        "retrieve": "screening.view",
        "create": "screening.create",
        "partial_update": "screening.change",
        "score": "screening.change",
    }
    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = ScreeningSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        action_name = self.gate_action()
        if action_name == "screening.create":
            action_name = "screening.view"
        return selectors.visible_screenings(self.request.user, action_name).select_related("locked_by")

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        return ScreeningListSerializer if self.action == "list" else ScreeningSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        ids = [row["id"] for row in response.data.get("results", [])]
        record(
            "view",
            actor=request.user,
            object_type="screening.screening",
            object_id="list",
            detail={"ids": ids},
        )
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        screening = self.get_object()
        record_read(request.user, [screening], PERSONAL_FIELDS)
        return Response(ScreeningSerializer(screening).data)

    @extend_schema(request=ScreeningWriteSerializer, responses={201: ScreeningSerializer, 409: CONFLICT})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = ScreeningWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        try:
            with transaction.atomic():
                screening = services.start_screening(
                    actor=request.user, person_reference=data.pop("person_reference", "")
                )
                screening = _apply(request.user, screening, screening.version, data)
        except services.InvalidInput as invalid:
            return Response({invalid.field: [str(invalid)]}, status=400)
        except services.ScreeningError as refused:
            return _conflict(refused)
        return Response(ScreeningSerializer(screening).data, status=201)

    @extend_schema(request=ScreeningPatchSerializer, responses={200: ScreeningSerializer, 409: CONFLICT})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        screening = self.get_object()
        incoming = ScreeningPatchSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        version = data.pop("version")
        try:
            with transaction.atomic():
                if data.pop("take_over", False):
                    screening = services.resume(actor=request.user, screening=screening, take_over=True)
                screening = _apply(request.user, screening, version, data)
        except services.InvalidInput as invalid:
            return Response({invalid.field: [str(invalid)]}, status=400)
        except services.ScreeningError as refused:
            return _conflict(refused)
        return Response(ScreeningSerializer(screening).data)

    @extend_schema(request=ScoreScreeningSerializer, responses={200: ScreeningSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def score(self, request: Request, pk: Any = None) -> Response:
        """Score the answers now and complete the screening (answers can no longer change).

        A completed screening answers with its stored result.
        """
        screening = self.get_object()
        if screening.outcome:
            return Response(ScreeningSerializer(screening).data)
        incoming = ScoreScreeningSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            with transaction.atomic():
                screening = services.complete(
                    actor=request.user,
                    screening=screening,
                    version=data["version"],
                    notes=data.get("notes"),
                    instrument_ids=data.get("instruments"),
                )
        except services.InvalidInput as invalid:
            return Response({invalid.field: [str(invalid)]}, status=400)
        except services.ScreeningError as refused:
            return _conflict(refused)
        return Response(ScreeningSerializer(screening).data)


class ScoreView(APIView):
    """Stateless scoring: an instrument and the indicator ids observed in, the engine's result out.

    Nothing is stored. The result is the same JSON as the `lantern screen` command prints.
    """

    gate_policy = api_policy()
    gate_actions = {"POST": "screening.score"}

    @extend_schema(
        request=ScoreRequestSerializer,
        responses={
            200: OpenApiResponse(description="The engine's result, as `lantern screen` prints it."),
        },
    )
    def post(self, request: Request) -> Response:
        incoming = ScoreRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            instrument = services.instrument_named(data["instrument"])
            if "age_group" in data:
                services.check_instrument_fits(instrument, data["age_group"])
        except services.InvalidInput as invalid:
            return Response({"instrument": [str(invalid)]}, status=400)
        try:
            result = engine_score(instrument, data["observed"])
        except UnknownIndicator as exc:
            message = _(
                "Unknown indicator ids for %(instrument)s: %(unknown)s. Valid ids are: %(valid)s."
            ) % {
                "instrument": instrument.id,
                "unknown": ", ".join(sorted(exc.invalid)),
                "valid": ", ".join(exc.valid),
            }
            return Response({"observed": [message]}, status=400)
        body = selectors.result_json(instrument, result)
        return Response({"id": data["id"], **body} if "id" in data else body)
