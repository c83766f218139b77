"""Policy for the test-only Dossier: case-work roles in the owning organisation."""

from typing import Any

from django.db.models import QuerySet

from lantern.accounts.roles import Role
from lantern.authz.gate import rule, scope

from .models import Dossier


@rule("dossier.view")
def may_view_dossier(actor: Any, obj: Any) -> bool:
    if not actor.has_role(Role.CASE_WORKER):
        return False
    return obj is None or obj.organisation_id == actor.organisation_id


@scope(Dossier, "dossier.view")
def dossiers_visible(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(organisation_id=actor.organisation_id)
