"""Who may see and manage organisations, users, API tokens and audit records.

Organisation admins manage their own organisation's users only; system admins manage every organisation.
Organisation names and types are not personal data: every signed-in user may see the directory.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lantern.audit.models import AuditRecord
from lantern.authz.gate import rule, scope

from .models import ApiToken, Organisation, User
from .roles import Role


def _org_of(obj: Any) -> int | None:
    if isinstance(obj, Organisation):
        return obj.pk
    return getattr(obj, "organisation_id", None)


def _admin_of(actor: Any, obj: Any) -> bool:
    """System admins administer all organisations; organisation admins only their own."""
    if actor.has_role(Role.SYSTEM_ADMIN):
        return True
    if not actor.has_role(Role.ORG_ADMIN):
        return False
    return obj is None or _org_of(obj) == actor.organisation_id


@rule("organisation.view")
def may_view_organisation(actor: Any, obj: Any) -> bool:
    return bool(actor.roles)


@scope(Organisation, "organisation.view")
def organisations_visible(actor: Any, qs: QuerySet) -> QuerySet:
    if actor.has_role(Role.SYSTEM_ADMIN):
        return qs
    return qs.filter(Q(active=True) | Q(pk=actor.organisation_id))


@rule("organisation.create")
def may_create_organisation(actor: Any, obj: Any) -> bool:
    return actor.has_role(Role.SYSTEM_ADMIN)


@rule("organisation.change")
def may_change_organisation(actor: Any, obj: Any) -> bool:
    return _admin_of(actor, obj)


@scope(Organisation, "organisation.change")
def organisations_changeable(actor: Any, qs: QuerySet) -> QuerySet:
    return qs if actor.has_role(Role.SYSTEM_ADMIN) else qs.filter(pk=actor.organisation_id)


@rule("user.view")
def may_view_user(actor: Any, obj: Any) -> bool:
    return _admin_of(actor, obj)


@rule("user.create")
def may_create_user(actor: Any, obj: Any) -> bool:
    return _admin_of(actor, obj)


@rule("user.change")
def may_change_user(actor: Any, obj: Any) -> bool:
    return _admin_of(actor, obj)


def _users_administered(actor: Any, qs: QuerySet) -> QuerySet:
    return qs if actor.has_role(Role.SYSTEM_ADMIN) else qs.filter(organisation_id=actor.organisation_id)


scope(User, "user.view")(_users_administered)
scope(User, "user.change")(_users_administered)


@rule("audit.view")
def may_view_audit(actor: Any, obj: Any) -> bool:
    return _admin_of(actor, obj)


@rule("audit.export")
def may_export_audit(actor: Any, obj: Any) -> bool:
    return _admin_of(actor, obj)


def _audit_administered(actor: Any, qs: QuerySet) -> QuerySet:
    return qs if actor.has_role(Role.SYSTEM_ADMIN) else qs.filter(organisation_id=actor.organisation_id)


scope(AuditRecord, "audit.view")(_audit_administered)
scope(AuditRecord, "audit.export")(_audit_administered)


@rule("api_token.manage")
def may_manage_own_tokens(actor: Any, obj: Any) -> bool:
    return bool(actor.roles) and (obj is None or getattr(obj, "user_id", None) == actor.pk)


@scope(ApiToken, "api_token.manage")
def own_tokens(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(user=actor)
