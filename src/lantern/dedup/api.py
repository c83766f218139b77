"""The API of the review queue (/api/v1/dedup/pairs/, with same, different and undo). Explicit fields only;
the same gate and services as the pages. A pair shows case ids and field agreement levels, never names: the
identities are read at /api/v1/cases/{id}/ (audited there). Pairs with a case the caller cannot see answer
404 (audited), like missing ones.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lantern.authz.api import GatedObjectMixin, api_policy
from lantern.web.api_fields import validated_query

from . import selectors, services
from .forms import REASON_MAX
from .models import MatchPair


class PairSerializer(serializers.ModelSerializer):
    levels = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="Agreement level per compared field (0 = strongest; absent = not recorded on both sides)",
    )

    class Meta:
        model = MatchPair
        fields = ["id", "left", "right", "probability", "levels", "band", "decision", "decided_at"]
        read_only_fields = fields


class QueueFilter(serializers.Serializer):
    queue = serializers.ChoiceField(choices=list(selectors.QUEUES), required=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=REASON_MAX, default="")


class PairViewSet(
    GatedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Pairs of cases that may be the same person, whose two cases you may see. NRM decision-makers mark
    them as the same person or different persons, and undo such decisions."""

    gate_model = MatchPair
    gate_policy = api_policy()
    gate_actions = {
        "list": "dedup.review",
        "retrieve": "dedup.review",
        "same": "dedup.review",
        "different": "dedup.review",
        "undo": "dedup.review",
    }
    serializer_class = PairSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        queryset = super().get_queryset().order_by("-probability", "pk")
        if self.action == "list":
            queue = validated_query(self.request, QueueFilter).get("queue")
            if queue:
                queryset = queryset.filter(selectors.QUEUE_CONDITIONS[queue])
        return queryset

    @extend_schema(parameters=[OpenApiParameter("queue", str, enum=list(selectors.QUEUES))])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def _decide(self, request: Request, service: Any) -> Response:
        pair = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pair = service(actor=request.user, pair=pair, reason=serializer.validated_data["reason"])
        return Response(PairSerializer(pair).data)

    @extend_schema(request=ReasonSerializer, responses=PairSerializer)
    @action(detail=True, methods=["post"])
    def same(self, request: Request, pk: int) -> Response:
        return self._decide(request, services.mark_same_person)

    @extend_schema(request=ReasonSerializer, responses=PairSerializer)
    @action(detail=True, methods=["post"])
    def different(self, request: Request, pk: int) -> Response:
        return self._decide(request, services.mark_different_persons)

    @extend_schema(request=ReasonSerializer, responses=PairSerializer)
    @action(detail=True, methods=["post"])
    def undo(self, request: Request, pk: int) -> Response:
        return self._decide(request, services.undo_decision)
