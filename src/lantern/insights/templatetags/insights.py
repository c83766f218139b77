"""`{{ value|count }}`: a count as shown on statistics pages ("fewer than 5" for a suppressed cell)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lantern.insights.statistics import FEWER, HIDDEN, SMALL_CELL

register = template.Library()


@register.filter
def count(value: Any) -> str:
    """A count; FEWER (or None) → "fewer than 5"; HIDDEN → "hidden" (hidden with a small count)."""
    if value is None or value == FEWER:
        return _("fewer than %(n)s") % {"n": SMALL_CELL}
    if value == HIDDEN:
        return _("hidden")
    return number_format(value, force_grouping=True)


@register.filter
def percent(value: Any) -> str:
    if value is None:
        return "–"
    return f"{number_format(round(100 * value), force_grouping=True)} %"


@register.filter
def days(value: Any) -> str:
    if value is None:
        return "–"
    return number_format(value, decimal_pos=0 if float(value).is_integer() else 1)
