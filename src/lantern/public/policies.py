"""Who may do what in public (gate rules, default deny).

The public pages are open to anyone (`@public` in views.py) and read or write no personal data. The one
action is for administrators: reviewing the helplines whose numbers were last checked over a year ago.
"""

from __future__ import annotations

from typing import Any

from lantern.accounts.roles import Role
from lantern.authz.gate import rule

REVIEWERS = (Role.SYSTEM_ADMIN, Role.ORG_ADMIN)


@rule("helplines.review")
def may_review_helplines(actor: Any, obj: Any) -> bool:
    """obj: None. The helplines are shared content, not any organisation's data."""
    return any(actor.has_role(role) for role in REVIEWERS)
