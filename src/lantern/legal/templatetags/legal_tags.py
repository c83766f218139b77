"""Template helpers of the legal track: the link on the case page, and labels of stored choice lists."""

from __future__ import annotations

from typing import Any

from django import template

from lantern.authz.gate import can

from .. import models

register = template.Library()

CHOICE_LISTS = {
    "methods": models.InformationMethod,
    "measures": models.ProtectiveMeasure,
    "offences": models.OffenceCategory,
}


@register.inclusion_tag("legal/includes/case_link.html", takes_context=True)
def legal_track_link(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """On the case page: a link to the legal track, for those who may see it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"case": case, "shown": user is not None and can(user, "legal.view", case)}


@register.filter
def choice_labels(values: Any, kind: str) -> str:
    """``{{ proceeding.measures_granted|choice_labels:"measures" }}`` → "Label, Label"."""
    choices = CHOICE_LISTS[kind]
    labels = dict(choices.choices)
    return ", ".join(str(labels.get(value, value)) for value in values or [])
