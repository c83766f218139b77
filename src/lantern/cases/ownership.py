"""Who owns a case: the organisation responsible for it (`Case.organisation`) and, within it, the named
person who owns it (`Case.case_worker`, shown as "owner"). Unowned open cases are the team's queue.

Owners are people of the responsible organisation with a case role: its case workers, or the screener who
opened the case (until a case worker takes it). Organisation administrators and case workers assign.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lantern.accounts.roles import Role
from lantern.authz import gate

from .models import Case, CaseEvent
from .timeline import log_event


def may_own(user: Any, case: Case) -> bool:
    """Whether `user` may be the named owner of `case` (the rule, without the assigner's permission)."""
    if user is None or not user.is_active or user.organisation_id != case.organisation_id:
        return False
    return user.has_role(Role.CASE_WORKER) or (user.has_role(Role.SCREENER) and case.created_by_id == user.pk)


def owner_candidates(case: Case) -> list[Any]:
    """The people who may own `case`, by name."""
    from lantern.accounts.models import User

    people = User.objects.filter(organisation_id=case.organisation_id, is_active=True)
    return sorted((u for u in people if may_own(u, case)), key=lambda u: u.get_full_name() or u.username)


def owner_by_id(case: Case, user_id: Any) -> Any:
    """The person `user_id` names, if they may own `case`; else a ValidationError on `owner` — the same for
    someone of another organisation as for no one, so that ids reveal nothing."""
    from lantern.accounts.models import User

    if user_id in (None, ""):
        return None
    try:
        user = User.objects.get(pk=user_id, organisation_id=case.organisation_id)
    except (User.DoesNotExist, ValueError, TypeError):
        user = None
    if user is None or not may_own(user, case):
        raise ValidationError({"owner": [_not_an_owner()]})
    return user


def _not_an_owner() -> str:
    return _("Choose a case worker of the organisation responsible for the case.")


@transaction.atomic
def assign_case(*, actor: Any, case: Case, owner: Any) -> Case:
    """Make `owner` (None: nobody, back to the team's queue) the named owner of the case; audited and on
    its timeline."""
    gate.require(actor, "case.assign", case)
    if case.is_closed:
        raise ValidationError({"owner": [_("A closed case has no owner to assign.")]})
    if owner is not None and not may_own(owner, case):
        raise ValidationError({"owner": [_not_an_owner()]})
    previous = case.case_worker_id
    if previous == getattr(owner, "pk", None):
        return case
    case.case_worker = owner
    case.save(update_fields=["case_worker", "treated_as_child", "updated_at"])
    log_event(
        case,
        CaseEvent.Kind.OWNER_ASSIGNED,
        actor=actor,
        detail={"owner": getattr(owner, "pk", None), "previous": previous},
    )
    return case
