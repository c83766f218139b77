"""The role × action × organisation matrix: every registered action must appear here, for every role.

Each row: action → (roles allowed on their own organisation's object, roles allowed on another's object).
A new action registered in any app's policies.py without a row here makes `test_every_action_is_in_the_matrix`
fail; an unknown action is denied to everyone.

A role allowed on its own organisation's object is checked on one built with the least relation that should
grant it (`least_relations.py`: a screener's case is one they opened, nothing more); a role refused, on the
object with every relation at once (`object_for`). The same rows give the "may this at all" answer
(`can(actor, action)` with no object: the roles allowed somewhere), and every scope must agree with its rule
(`visible` lists exactly the rows `can` allows).
"""

from __future__ import annotations

import importlib
import uuid
from typing import Any

import pytest

from lantern.accounts.roles import Role
from lantern.authz import gate

from .least_relations import least_object_for

ALL = frozenset(Role)
SYS = frozenset({Role.SYSTEM_ADMIN})
ADMINS = frozenset({Role.ORG_ADMIN, Role.SYSTEM_ADMIN})

# action: (allowed on own organisation's object, allowed on another organisation's object)
MATRIX: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "organisation.view": (ALL, ALL),
    "organisation.create": (SYS, SYS),
    "organisation.change": (ADMINS, SYS),
    "user.view": (ADMINS, SYS),
    "user.create": (ADMINS, SYS),
    "user.change": (ADMINS, SYS),
    "audit.view": (ADMINS, SYS),
    "audit.export": (ADMINS, SYS),
    "api_token.manage": (ALL, frozenset()),
    # test-only app (settings.test): stands in for a case record
    "dossier.view": (frozenset({Role.CASE_WORKER}), frozenset()),
    # NRM cases: "own" is a case of the organisation, opened by the actor, referred to the organisation as
    # competent authority with consent, and shared with the actor by an access grant
    # (cases/tests/factories.py: case_related_to).
    "case.create": (frozenset({Role.SCREENER, Role.CASE_WORKER}), frozenset()),
    "case.view": (
        frozenset(
            {Role.SCREENER, Role.CASE_WORKER, Role.NRM_DECISION_MAKER, Role.LAWYER, Role.SERVICE_PROVIDER}
        ),
        frozenset(),
    ),
    "case.change": (frozenset({Role.SCREENER, Role.CASE_WORKER}), frozenset()),
    "case.consent": (frozenset({Role.SCREENER, Role.CASE_WORKER}), frozenset()),
    "case.refer": (frozenset({Role.CASE_WORKER}), frozenset()),
    "case.grant_access": (frozenset({Role.CASE_WORKER}), frozenset()),
    "case.advance": (frozenset({Role.CASE_WORKER, Role.NRM_DECISION_MAKER}), frozenset()),
    "case.decide": (frozenset({Role.NRM_DECISION_MAKER}), frozenset()),
    # Ownership: the organisation's administrators and case workers assign its cases' owners.
    "case.assign": (frozenset({Role.ORG_ADMIN, Role.CASE_WORKER}), frozenset()),
    # Handovers: "own" for propose is the case above (a screener's: one they opened); for view and answer, a
    # handover from a third organisation to the actor's (cases/tests/factories.py: handover_to).
    "handover.propose": (frozenset({Role.SCREENER, Role.CASE_WORKER}), frozenset()),
    "handover.answer": (frozenset({Role.CASE_WORKER, Role.NRM_DECISION_MAKER}), frozenset()),
    "handover.view": (frozenset({Role.CASE_WORKER, Role.NRM_DECISION_MAKER}), frozenset()),
    # Screenings: the interviewers and NRM decision-makers of the organisation; no administrator sees them.
    "screening.create": (frozenset({Role.SCREENER, Role.CASE_WORKER}), frozenset()),
    "screening.change": (frozenset({Role.SCREENER, Role.CASE_WORKER}), frozenset()),
    "screening.view": (frozenset({Role.SCREENER, Role.CASE_WORKER, Role.NRM_DECISION_MAKER}), frozenset()),
    "screening.view_result": (
        frozenset({Role.SCREENER, Role.CASE_WORKER, Role.NRM_DECISION_MAKER}),
        frozenset(),
    ),
    # the stateless scoring tool stores nothing and belongs to no organisation
    "screening.score": (
        frozenset({Role.SCREENER, Role.CASE_WORKER, Role.NRM_DECISION_MAKER}),
        frozenset({Role.SCREENER, Role.CASE_WORKER, Role.NRM_DECISION_MAKER}),
    ),
    # Legal track: "own" is the legal track of the case above, with the actor assigned as its lawyer
    # (legal/tests/factories.py: legal_track_related_to) — only the lawyer role makes that count.
    "legal.view": (frozenset({Role.CASE_WORKER, Role.LAWYER}), frozenset()),
    "legal.change": (frozenset({Role.CASE_WORKER, Role.LAWYER}), frozenset()),
    "legal.assign_lawyer": (frozenset({Role.CASE_WORKER}), frozenset()),
    # Documents of the case above: its "documents" field group (the actor's grant holds "identity" only).
    "document.view": (frozenset({Role.SCREENER, Role.CASE_WORKER, Role.NRM_DECISION_MAKER}), frozenset()),
    "document.upload": (frozenset({Role.SCREENER, Role.CASE_WORKER}), frozenset()),
    # PDF exports: whoever sees the case (the PDF holds only their field groups).
    "export.case": (
        frozenset(
            {Role.SCREENER, Role.CASE_WORKER, Role.NRM_DECISION_MAKER, Role.LAWYER, Role.SERVICE_PROVIDER}
        ),
        frozenset(),
    ),
    "export.subject_access": (frozenset({Role.CASE_WORKER}), frozenset()),
    # Directory, referrals and support plans (referrals/policies.py). "Own" referral: a case of the
    # organisation referred, sent and with its access grant, to a service of the organisation itself; "own"
    # need: a need of that case referred with it (referrals/tests/factories.py).
    "directory.view": (ALL, ALL),
    "directory.change": (frozenset({Role.ORG_ADMIN, Role.SERVICE_PROVIDER}), frozenset()),
    "referral.create": (frozenset({Role.CASE_WORKER}), frozenset()),
    "referral.send": (frozenset({Role.CASE_WORKER}), frozenset()),
    "referral.withdraw": (frozenset({Role.CASE_WORKER}), frozenset()),
    "referral.view": (frozenset({Role.CASE_WORKER, Role.SERVICE_PROVIDER}), frozenset()),
    "referral.answer": (frozenset({Role.CASE_WORKER, Role.SERVICE_PROVIDER}), frozenset()),
    "referral.close": (frozenset({Role.CASE_WORKER, Role.SERVICE_PROVIDER}), frozenset()),
    "need.view": (frozenset({Role.CASE_WORKER, Role.SERVICE_PROVIDER}), frozenset()),
    "need.change": (frozenset({Role.CASE_WORKER}), frozenset()),
    "need.update_status": (frozenset({Role.CASE_WORKER, Role.SERVICE_PROVIDER}), frozenset()),
}

# Newer apps keep their rows next to their code: `lantern/<app>/tests/matrix.py` defines MATRIX (same shape)
# and object_for(action, organisation, owner) for its kinds of object.
APP_MATRICES = ["dedup", "insights", "releases", "training", "campaigns", "public"]
APP_OBJECT_FACTORIES: dict[str, Any] = {}
for _app in APP_MATRICES:
    try:
        _module = importlib.import_module(f"lantern.{_app}.tests.matrix")
    except ModuleNotFoundError as error:
        if error.name != f"lantern.{_app}.tests.matrix":
            raise
        continue
    for _action in _module.MATRIX:
        assert _action not in MATRIX, f"{_action} has two rows in the policy matrix"
        APP_OBJECT_FACTORIES[_action.split(".")[0]] = _module.object_for
    MATRIX.update(_module.MATRIX)


def object_for(action: str, organisation: Any, owner: Any) -> Any:
    """An object of `action`'s kind that belongs to `organisation` (and, for tokens, to `owner`)."""
    kind = action.split(".")[0]
    if kind in APP_OBJECT_FACTORIES:
        return APP_OBJECT_FACTORIES[kind](action, organisation, owner)
    from lantern.accounts.models import ApiToken, Organisation
    from lantern.accounts.tests.factories import UserFactory
    from lantern.audit.models import AuditRecord
    from lantern.testapp.models import Dossier

    if kind == "organisation":
        return Organisation.objects.get(pk=organisation.pk)
    if kind == "user":
        return UserFactory(organisation=organisation)
    if kind == "audit":
        return AuditRecord(organisation_id=organisation.pk)
    if kind == "api_token":
        return ApiToken(user=owner)
    if kind == "dossier":
        return Dossier(organisation=organisation, family_name="X")
    if kind == "case":
        from lantern.cases.tests.factories import case_related_to

        return case_related_to(organisation, owner)
    if kind == "handover":
        from lantern.cases.tests.factories import case_related_to, handover_to

        if action == "handover.propose":
            return case_related_to(organisation, owner)
        return handover_to(organisation)
    if kind == "screening":
        from lantern.screening.models import Screening

        return Screening(organisation=organisation, created_by=owner)
    if kind == "legal":
        from lantern.legal.tests.factories import legal_track_related_to

        return legal_track_related_to(organisation, owner)
    if kind == "document":
        from lantern.cases.tests.factories import case_related_to
        from lantern.records.models import Document

        return Document(case=case_related_to(organisation, owner), uploaded_by=owner)
    if kind == "export":
        from lantern.cases.tests.factories import case_related_to

        return case_related_to(organisation, owner)
    if kind == "directory":
        from lantern.referrals.models import ServiceOffer

        return ServiceOffer(organisation=organisation)
    if kind == "referral":
        from lantern.referrals.tests.factories import referral_related_to

        return referral_related_to(organisation, owner)
    if kind == "need":
        from lantern.referrals.tests.factories import need_related_to

        return need_related_to(organisation, owner)
    raise AssertionError(f"no object factory for {action}: add one to object_for()")


def own_object_for(action: str, role: str, organisation: Any, actor: Any) -> Any:
    """The least-related object when `role` should be allowed on it, else the one with every relation."""
    least = least_object_for(action, role, organisation, actor) if role in MATRIX[action][0] else None
    return object_for(action, organisation, actor) if least is None else least


def test_every_action_is_in_the_matrix() -> None:
    missing = gate.registered_actions() - set(MATRIX)
    assert not missing, f"actions without a row in the policy matrix: {sorted(missing)}"
    stale = set(MATRIX) - gate.registered_actions()
    assert not stale, f"matrix rows for actions no longer registered: {sorted(stale)}"


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(MATRIX))
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_role_action_organisation_matrix(personas: Any, action: str, role: str) -> None:
    own_allowed, other_allowed = MATRIX[action]
    actor = personas.own[role]
    # For tokens, "other organisation" means someone else's token. "Own" is the actor's organisation (the
    # competent authority for the roles only it may hold, `accounts.grantable`), "other" the other country's.
    own_obj = own_object_for(action, role, actor.organisation, actor)
    other_obj = object_for(action, personas.other[role].organisation, personas.other[role])
    assert gate.can(actor, action, own_obj) is (role in own_allowed), f"{role} {action} own organisation"
    assert gate.can(actor, action, other_obj) is (role in other_allowed), (
        f"{role} {action} other organisation"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_unknown_action_is_denied_to_every_role(personas: Any, role: str) -> None:
    actor = personas.own[role]
    assert gate.can(actor, "case.delete_everything") is False
    assert gate.can(actor, "organisation.view ") is False


@pytest.mark.django_db
def test_inactive_and_anonymous_users_can_do_nothing(personas: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    admin = personas.own[Role.SYSTEM_ADMIN]
    admin.is_active = False
    for action in MATRIX:
        assert not gate.can(admin, action)
        assert not gate.can(AnonymousUser(), action)
        assert not gate.can(None, action)


@pytest.mark.django_db
def test_visible_scopes_lists_to_the_organisation(personas: Any) -> None:
    from lantern.accounts.models import User

    org_admin = personas.own[Role.ORG_ADMIN]
    seen = set(gate.visible(org_admin, "user.view", User).values_list("organisation_id", flat=True))
    assert seen == {personas.own_org.pk}
    assert gate.visible(personas.own[Role.SCREENER], "user.view", User).count() == 0
    assert gate.visible(org_admin, "no.such.action", User).count() == 0
    everyone = gate.visible(personas.own[Role.SYSTEM_ADMIN], "user.view", User)
    assert set(everyone.values_list("organisation_id", flat=True)) == {
        personas.own_org.pk,
        personas.other_org.pk,
        personas.own_authority.pk,
        personas.other_authority.pk,
    }


# "May this at all" (obj=None): what views and `visible` ask first. A role may do an action at all exactly
# when some object allows it; these rows say where that is not what the matrix's two columns show.
AT_ALL_EXCEPTIONS: dict[str, frozenset[str]] = {
    # Lawyers and service providers see a case's documents when their grant holds the "documents" group
    # (the matrix's grant holds "identity" only).
    "document.view": MATRIX["document.view"][0] | {Role.LAWYER, Role.SERVICE_PROVIDER},
    # A screener sees the handovers they proposed (the matrix's handover was proposed by someone else).
    "handover.view": MATRIX["handover.view"][0] | {Role.SCREENER},
}


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(MATRIX))
def test_may_this_at_all_answers_follow_the_matrix(personas: Any, action: str) -> None:
    own_allowed, other_allowed = MATRIX[action]
    expected = AT_ALL_EXCEPTIONS.get(action, own_allowed | other_allowed)
    allowed = {role.value for role in Role if gate.can(personas.own[role], action)}
    assert allowed == set(expected), f"{action}: may at all {sorted(allowed)}, expected {sorted(expected)}"


def _saved_row(label: str, obj: Any, organisation: Any, owner: Any) -> Any:
    """A stored row of the scoped model for the matrix's `obj` of `organisation`: the object itself, the case
    it belongs to, or (where the matrix's object is another kind, or unsaved) a row standing for it."""
    from django.utils import timezone

    from lantern.cases.models import Case

    if label == "accounts.apitoken":
        from lantern.accounts.models import ApiToken

        return ApiToken.issue(owner, "matrix")[0]
    if label == "audit.auditrecord":
        from lantern.audit.services import record

        return record("system", object_type="matrix", organisation_id=organisation.pk)
    if label == "records.document":
        from lantern.records.models import Document

        case = obj.case
        return Document.objects.create(
            case=case,
            kind="other",
            content_type="application/pdf",
            size=1,
            storage_name=uuid.uuid4().hex,
            uploaded_by=case.created_by,
        )
    if (
        label in ("cases.case", "insights.casefact")
        and not hasattr(obj, "case")
        and not isinstance(obj, Case)
    ):
        # Statistics: the matrix's object is the organisation counted; its row, a case consenting to it.
        from lantern.cases.models import Purpose
        from lantern.cases.tests.factories import CaseFactory, consent
        from lantern.insights.models import CaseFact

        case = CaseFactory(organisation=organisation, identified_on=timezone.localdate())
        consent(case, Purpose.STATISTICS)
        return case if label == "cases.case" else CaseFact.objects.get(case=case)
    if label == "accounts.user" and not hasattr(obj, "username"):
        from lantern.accounts.tests.factories import UserFactory

        return UserFactory(organisation=organisation)
    if label == "training.certificate" and obj.__class__.__name__ != "Certificate":
        from lantern.training.tests.factories import CertificateFactory

        return CertificateFactory(organisation=organisation)
    if label == "cases.case" and not isinstance(obj, Case):
        obj = obj.case
    if obj.pk is None:
        obj.save()
    return obj


SCOPES = sorted(gate._scopes, key=lambda key: (key[1], key[0]))


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "action"), SCOPES, ids=[f"{a}@{m}" for m, a in SCOPES])
def test_visible_agrees_with_can_for_every_scope(personas: Any, label: str, action: str) -> None:
    """For each role, on its own organisation's objects (least and every relation) and another's: a row is
    in `visible(actor, action, Model)` exactly when `can(actor, action, row)`."""
    from django.apps import apps

    model = apps.get_model(label)
    checked = allowed = 0
    for role in Role:
        actor, other = personas.own[role], personas.other[role]
        objects = [
            (least_object_for(action, role, actor.organisation, actor), actor.organisation, actor),
            (object_for(action, actor.organisation, actor), actor.organisation, actor),
            (object_for(action, other.organisation, other), other.organisation, other),
        ]
        rows = [_saved_row(label, *built) for built in objects if built[0] is not None]
        listed = set(gate.visible(actor, action, model).values_list("pk", flat=True))
        for row in rows:
            may = gate.can(actor, action, row)
            assert (row.pk in listed) is may, f"{role} {action} on {label} {row.pk}: can={may}"
            checked, allowed = checked + 1, allowed + may
    assert checked and allowed, f"{action} on {label}: no row checked, or none allowed"
