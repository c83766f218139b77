"""Template helpers of the records app: links on the case page, and text direction for PDF values."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import template

from lantern.authz.gate import can

register = template.Library()


@register.inclusion_tag("records/includes/case_links.html", takes_context=True)
def records_links(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """On the case page: documents and exports, for those who may use them."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"case": case}
    return {
        "case": case,
        "documents": can(user, "document.view", case),
        "export": can(user, "export.case", case),
        "subject_access": can(user, "export.subject_access", case),
    }


@register.filter
def text_dir(value: Any) -> str:
    """ "rtl" when the text's first strong character is right-to-left (Arabic, Hebrew, …), else "ltr"."""
    for char in str(value or ""):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"
