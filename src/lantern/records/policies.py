"""Who may see documents, export a case and obtain everything held about the person.

- `document.view` (list and download): whoever may see the case AND its "documents" field group — the
  holding organisation's case workers, the screener who opened it, the competent authority it was referred
  to, and grantees (lawyers, service providers) whose grant includes "documents".
- `document.upload`: the case's owners (its organisation's case workers; the screener who opened it).
- `export.case` (case summary and referral PDFs): whoever may see the case; the PDF holds only the field
  groups they may see.
- `export.subject_access` (everything held about the person, GDPR art. 15): the holding organisation's case
  workers only. Administrators run it from the shell (`lantern subject_access`).

Other organisations' objects answer 404. The rules take a case, or an object with a `case`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lantern.accounts.roles import Role
from lantern.authz.gate import rule, scope
from lantern.cases.models import Case
from lantern.cases.policies import (
    GRANTEE_ROLES,
    VIEWER_ROLES,
    authority_q,
    case_worker_q,
    cases_visible,
    grants_for,
    may_view_case,
    owner_q,
    visible_field_groups,
)

from .models import Document

DOCUMENTS_GROUP = "documents"


def case_of(obj: Any) -> Any:
    return obj if obj is None or isinstance(obj, Case) else obj.case


def documents_q(actor: Any) -> Q:
    """Cases whose documents the actor may see (the same conditions as `visible_field_groups`, in SQL)."""
    condition = owner_q(actor) | authority_q(actor)
    if actor.has_role(*GRANTEE_ROLES):
        granted = [
            case_id
            for case_id, groups in grants_for(actor).values_list("case_id", "field_groups")
            if DOCUMENTS_GROUP in groups
        ]
        condition |= Q(pk__in=granted)
    return condition


def _owns(actor: Any, case: Any) -> bool:
    if case is None or case.organisation_id != actor.organisation_id:
        return False
    return actor.has_role(Role.CASE_WORKER) or (
        actor.has_role(Role.SCREENER) and case.created_by_id == actor.pk
    )


@rule("document.view")
def may_view_documents(actor: Any, obj: Any) -> bool:
    if obj is None:
        return actor.has_role(*VIEWER_ROLES)
    case = case_of(obj)
    return may_view_case(actor, case) and DOCUMENTS_GROUP in visible_field_groups(actor, case)


@rule("document.upload")
def may_upload_documents(actor: Any, obj: Any) -> bool:
    if obj is None:
        return actor.has_role(Role.SCREENER, Role.CASE_WORKER)
    return _owns(actor, case_of(obj))


@rule("export.case")
def may_export_case(actor: Any, obj: Any) -> bool:
    return may_view_case(actor, case_of(obj))


@rule("export.subject_access")
def may_export_subject_access(actor: Any, obj: Any) -> bool:
    if not actor.has_role(Role.CASE_WORKER):
        return False
    return obj is None or case_of(obj).organisation_id == actor.organisation_id


@scope(Case, "document.view")
def cases_with_visible_documents(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(documents_q(actor))


@scope(Document, "document.view")
def documents_visible(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(case__in=Case.objects.filter(documents_q(actor)))


@scope(Case, "document.upload")
def cases_to_upload_to(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(owner_q(actor))


scope(Case, "export.case")(cases_visible)


@scope(Case, "export.subject_access")
def cases_for_subject_access(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(case_worker_q(actor))
