"""Pages of the API's lists: bounded, and strict about their parameters.

DRF's `LimitOffsetPagination` has no upper bound by default (`?limit=99999999999` returned every row in one
answer), passes a 20-digit offset or limit to the database (SQLite fails on anything beyond 64 bits: a 500),
and silently ignores a malformed value. Here `limit` is 1..`MAX_LIMIT`, `offset` 0..`MAX_OFFSET`, anything
else answers 400 naming the parameter, and the schema states the bounds.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 10_000_000  # far beyond any list, far inside a 64-bit SQL offset


def _bounded_int(request: Any, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    text = raw.strip()
    # A length check first: int() of thousands of digits is slow, and nothing that long is in range.
    if (
        not text.isdecimal()
        or not text.isascii()
        or len(text) > len(str(high))
        or not low <= int(text) <= high
    ):
        raise ValidationError(
            {name: [_("Give a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}]}
        )
    return int(text)


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    default_limit = DEFAULT_LIMIT
    max_limit = MAX_LIMIT

    def get_limit(self, request: Any) -> int:
        return _bounded_int(request, self.limit_query_param, self.default_limit, 1, self.max_limit)

    def get_offset(self, request: Any) -> int:
        return _bounded_int(request, self.offset_query_param, 0, 0, MAX_OFFSET)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": self.max_limit, "default": self.default_limit},
            self.offset_query_param: {"minimum": 0, "maximum": MAX_OFFSET, "default": 0},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
            if parameter["name"] == self.limit_query_param:
                parameter["description"] = _("Number of results to return per page (at most %(max)d).") % {
                    "max": self.max_limit
                }
        return parameters
