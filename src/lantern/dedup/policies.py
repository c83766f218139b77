"""Who may review and run the de-duplication of persons (gate rules, default deny).

- `dedup.review`: NRM decision-makers (the national coordinators) decide whether two cases are the same
  person, and undo such decisions — only on pairs whose BOTH cases they may see (`case.view`: the cases
  referred to their authority with the consent to share). Other pairs are counted for them, never shown.
- `dedup.run`: the same decision-makers may start a linkage run for their authority's queue (obj: their
  organisation). The run itself reads every case as a system operation (`lantern dedup run` does the same).
- Nobody else: case workers, screeners, lawyers and service providers work on cases, not across them;
  administrators and statistics viewers see no case content.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lantern.accounts.models import Organisation
from lantern.accounts.roles import Role
from lantern.authz import gate
from lantern.authz.gate import rule, scope
from lantern.cases.models import Case

from .models import MatchPair

REVIEWER_ROLES = (Role.NRM_DECISION_MAKER,)


@rule("dedup.review")
def may_review_pairs(actor: Any, obj: Any) -> bool:
    """obj: a MatchPair; both of its cases must be visible to the actor."""
    if not actor.has_role(*REVIEWER_ROLES):
        return False
    if obj is None:
        return True
    visible = gate.visible(actor, "case.view", Case).filter(pk__in=[obj.left_id, obj.right_id])
    return visible.count() == 2


@rule("dedup.run")
def may_run_linkage(actor: Any, obj: Any) -> bool:
    """obj: the organisation whose queue the run fills (the actor's own)."""
    if not actor.has_role(*REVIEWER_ROLES):
        return False
    if obj is None:
        return True
    organisation_id = obj.pk if isinstance(obj, Organisation) else getattr(obj, "organisation_id", None)
    return organisation_id == actor.organisation_id


@scope(MatchPair, "dedup.review")
def pairs_reviewable(actor: Any, qs: QuerySet) -> QuerySet:
    visible = gate.visible(actor, "case.view", Case).values("pk")
    return qs.filter(left_id__in=visible, right_id__in=visible)
