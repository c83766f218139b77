"""`{% support_plan_link case %}`: the link from a case to its support plan and referrals, for those who may
see it (used on the cases app's case page)."""

from __future__ import annotations

from typing import Any

from django import template

from lantern.authz.gate import can

register = template.Library()


@register.inclusion_tag("referrals/includes/support_plan_link.html", takes_context=True)
def support_plan_link(context: Any, case: Any) -> dict[str, Any]:
    user = context.get("user")
    return {"case": case, "shown": user is not None and can(user, "need.view", case)}
