"""Input fields the API's write serializers share: bounded lists without repeats, and object ids.

A schema-fuzzing run sent 100,000 country codes in one list (stored as they came) and an id of 10**30 (a
500: SQLite takes 64-bit integers only). Every list of the API states its largest size and that its items
are unique (`maxItems`, `uniqueItems` in the schema), and the server refuses more or repeated items with
400; ids are whole numbers from 1 to 2**63 - 1.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

MAX_ID = 2**63 - 1
DEFAULT_MAX_ITEMS = 50  # a list of free values (countries, languages, ids): far above real use


def object_id(**kwargs: Any) -> serializers.IntegerField:
    """The id of an object of the API (a 64-bit primary key)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class UniqueListField(serializers.ListField):
    """A list of at most `max_length` items, none repeated (the items' order is kept)."""

    def __init__(self, **kwargs: Any) -> None:
        child = kwargs.get("child")
        choices = getattr(child, "choices", None)
        # A list of choices cannot be longer than the choices without repeating one.
        kwargs.setdefault("max_length", len(choices) if choices else DEFAULT_MAX_ITEMS)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[Any]:
        # The length first, so that a list of 100,000 items is refused before any item is validated.
        if isinstance(data, list) and self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        values = super().to_internal_value(data)
        seen: set[str] = set()
        repeated: set[str] = set()
        for value in values:
            (repeated if str(value) in seen else seen).add(str(value))
        if repeated:
            raise serializers.ValidationError(
                _("Each item may appear once; repeated: %(items)s.")
                % {"items": ", ".join(sorted(repeated)[:10])}
            )
        return values


class UniqueListFieldExtension(OpenApiSerializerFieldExtension):
    """The schema of a UniqueListField: a list's schema, with `uniqueItems`."""

    target_class = UniqueListField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        schema["uniqueItems"] = True
        return schema


class BoundedDictField(serializers.DictField):
    """An object of at most `max_length` keys (`maxProperties` in the schema)."""

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        self.max_length = max_length
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if isinstance(data, dict) and len(data) > self.max_length:
            raise serializers.ValidationError(
                _("At most %(max)d entries are allowed.") % {"max": self.max_length}
            )
        return super().to_internal_value(data)


class BoundedDictFieldExtension(OpenApiSerializerFieldExtension):
    target_class = BoundedDictField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        schema["maxProperties"] = self.target.max_length
        return schema


def validated_query(request: Any, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
    """The request's query parameters checked by `serializer_class` (400 naming each bad one): a filter with
    a value it does not know answers 400 instead of being ignored (which silently widened the list)."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
