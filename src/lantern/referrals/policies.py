"""Who may use the service directory, referrals and support plans. Least privilege; everything else is denied
(and other organisations' referrals and needs answer 404).

- Directory (`directory.view`): every signed-in user with a role — offers are organisations' services, not
  personal data. Changing an offer (`directory.change`): the offering organisation's administrator (who lists
  the services) and its service-provider staff (who keep the free places up to date). Nobody else, not even
  a system administrator: the listing is the provider's word.
- Referrals: the referring organisation's case workers prepare, send and withdraw them (`referral.create`,
  `referral.send`, `referral.withdraw`) and follow their status. The receiving organisation's service-provider
  staff and case workers see referrals once sent (never drafts), answer them (`referral.answer`) and, like the
  referrer, close an accepted one (`referral.close`). What of the case they see is the cases app's business:
  the access grant made on sending, limited to the referred field groups, which ends with the consent.
- Needs (the support plan): the owning organisation's case workers see and change them (`need.view`,
  `need.change`); the receiving organisation sees, and updates the status of (`need.update_status`), only the
  needs linked to a referral sent to it while that referral's access grant is active.
- Screeners, NRM decision-makers, lawyers, administrators and statistics viewers: no referral and no need.

Which field groups a referral may share is decided here too, per service (minimum necessary).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from lantern.accounts.models import Organisation
from lantern.accounts.roles import Role, Service
from lantern.authz.gate import rule, scope
from lantern.cases.models import Case, CaseAccess
from lantern.cases.policies import case_worker_q

from .models import Need, Referral, ReferralStatus, ServiceOffer

NEVER = Q(pk__in=[])
DIRECTORY_EDITORS = (Role.ORG_ADMIN, Role.SERVICE_PROVIDER)
REFERRER_ROLES = (Role.CASE_WORKER,)
RECEIVER_ROLES = (Role.SERVICE_PROVIDER, Role.CASE_WORKER)

# Per service: (the field groups a referral may share, those pre-ticked). Consents, the timeline (except for
# legal aid) and the legal track are never referred; contact details only where the service must reach the
# person. The groups themselves are the cases app's (`cases.models.FIELD_GROUPS`).
SERVICE_FIELD_GROUPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Service.SHELTER: (("identity", "background", "safety", "contact"), ("identity", "background", "safety")),
    Service.MEDICAL: (("identity", "background", "safety"), ("identity", "background")),
    Service.PSYCHOLOGICAL: (("identity", "background", "exploitation", "safety"), ("identity", "background")),
    Service.LEGAL_AID: (
        ("identity", "background", "exploitation", "documents", "timeline"),
        ("identity", "background", "exploitation"),
    ),
    Service.INTERPRETATION: (("identity", "background", "contact"), ("identity", "background")),
    Service.MATERIAL: (("identity", "background", "contact"), ("identity", "background")),
    Service.EDUCATION: (("identity", "background"), ("identity", "background")),
    Service.EMPLOYMENT: (("identity", "background", "documents"), ("identity", "background")),
    Service.FAMILY_TRACING: (
        ("identity", "background", "exploitation", "contact"),
        ("identity", "background"),
    ),
    Service.RETURN: (
        ("identity", "background", "documents", "safety"),
        ("identity", "background", "documents", "safety"),
    ),
    Service.CHILD_PROTECTION: (
        ("identity", "background", "exploitation", "safety", "contact", "documents"),
        ("identity", "background", "safety"),
    ),
    # Like medical care; a sexual-violence service may also need the exploitation and a way to reach them.
    Service.SEXUAL_VIOLENCE: (
        ("identity", "background", "exploitation", "safety", "contact"),
        ("identity", "background", "safety"),
    ),
    Service.SEXUAL_HEALTH: (("identity", "background", "safety"), ("identity", "background")),
}
REFERRABLE_GROUPS = tuple(
    dict.fromkeys(group for allowed, _defaults in SERVICE_FIELD_GROUPS.values() for group in allowed)
)


def shareable_groups(service: str) -> tuple[str, ...]:
    return SERVICE_FIELD_GROUPS.get(service, ((), ()))[0]


def default_groups(service: str) -> tuple[str, ...]:
    return SERVICE_FIELD_GROUPS.get(service, ((), ()))[1]


def _organisation_of(obj: Any) -> Any:
    return obj.pk if isinstance(obj, Organisation) else getattr(obj, "organisation_id", None)


# SQL conditions -------------------------------------------------------------------------------------------


def referrer_q(actor: Any) -> Q:
    """Referrals made by the actor's organisation (its case workers)."""
    if not actor.has_role(*REFERRER_ROLES):
        return NEVER
    return Q(from_organisation_id=actor.organisation_id)


def receiver_q(actor: Any) -> Q:
    """Referrals sent to the actor's organisation (drafts stay with the referrer, also once withdrawn)."""
    if not actor.has_role(*RECEIVER_ROLES):
        return NEVER
    return (
        Q(to_organisation_id=actor.organisation_id)
        & ~Q(status=ReferralStatus.DRAFT)
        & Q(sent_at__isnull=False)
    )


def need_owner_q(actor: Any) -> Q:
    if not actor.has_role(Role.CASE_WORKER):
        return NEVER
    return Q(case__organisation_id=actor.organisation_id)


def need_receiver_q(actor: Any) -> Q:
    """Needs referred to the actor's organisation, while the referral is open and its access grant active."""
    if not actor.has_role(*RECEIVER_ROLES):
        return NEVER
    return Q(
        referral__to_organisation_id=actor.organisation_id,
        referral__status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED],
        referral__access__in=CaseAccess.objects.active(),
    )


# Python twins of the conditions, for one object -----------------------------------------------------------


def is_referrer(actor: Any, referral: Referral) -> bool:
    return actor.has_role(*REFERRER_ROLES) and referral.from_organisation_id == actor.organisation_id


def is_receiver(actor: Any, referral: Referral) -> bool:
    return (
        actor.has_role(*RECEIVER_ROLES)
        and referral.to_organisation_id == actor.organisation_id
        and referral.status != ReferralStatus.DRAFT
        and referral.sent_at is not None  # a draft withdrawn unsent stays with the referrer
    )


def _owns_case(actor: Any, case: Any) -> bool:
    return (
        actor.has_role(Role.CASE_WORKER)
        and case is not None
        and case.organisation_id == actor.organisation_id
    )


def _receives_need(actor: Any, need: Need) -> bool:
    if need.pk is None or not actor.has_role(*RECEIVER_ROLES):
        return False
    return Need.objects.filter(pk=need.pk).filter(need_receiver_q(actor)).exists()


# Directory -------------------------------------------------------------------------------------------------


@rule("directory.view")
def may_view_directory(actor: Any, obj: Any) -> bool:
    return bool(actor.roles)


@scope(ServiceOffer, "directory.view")
def offers_visible(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(Q(active=True, organisation__active=True) | Q(organisation_id=actor.organisation_id))


@rule("directory.change")
def may_change_directory(actor: Any, obj: Any) -> bool:
    """obj: an offer, or the organisation a new offer would belong to."""
    if not actor.has_role(*DIRECTORY_EDITORS):
        return False
    return obj is None or _organisation_of(obj) == actor.organisation_id


@scope(ServiceOffer, "directory.change")
def offers_changeable(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(organisation_id=actor.organisation_id)


# Referrals -------------------------------------------------------------------------------------------------


def _referring(actor: Any, obj: Any) -> bool:
    """obj: None (at all), a case (refer it) or a referral (of the actor's organisation)."""
    if not actor.has_role(*REFERRER_ROLES):
        return False
    if obj is None:
        return True
    if isinstance(obj, Case):
        return _owns_case(actor, obj)
    return is_referrer(actor, obj)


@rule("referral.create")
def may_create_referral(actor: Any, obj: Any) -> bool:
    return _referring(actor, obj)


@rule("referral.send")
def may_send_referral(actor: Any, obj: Any) -> bool:
    return _referring(actor, obj)


@rule("referral.withdraw")
def may_withdraw_referral(actor: Any, obj: Any) -> bool:
    return _referring(actor, obj)


@rule("referral.view")
def may_view_referral(actor: Any, obj: Any) -> bool:
    if obj is None:
        return actor.has_role(*REFERRER_ROLES, *RECEIVER_ROLES)
    return is_referrer(actor, obj) or is_receiver(actor, obj)


@rule("referral.answer")
def may_answer_referral(actor: Any, obj: Any) -> bool:
    if obj is None:
        return actor.has_role(*RECEIVER_ROLES)
    return is_receiver(actor, obj)


@rule("referral.close")
def may_close_referral(actor: Any, obj: Any) -> bool:
    return may_view_referral(actor, obj)


def _referred_by(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(referrer_q(actor))


def _referred_by_or_to(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(referrer_q(actor) | receiver_q(actor))


@scope(Referral, "referral.answer")
def referrals_to_answer(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(receiver_q(actor))


scope(Referral, "referral.view")(_referred_by_or_to)
scope(Referral, "referral.close")(_referred_by_or_to)
scope(Referral, "referral.send")(_referred_by)
scope(Referral, "referral.withdraw")(_referred_by)


# Needs (the support plan) -----------------------------------------------------------------------------------


@rule("need.view")
def may_view_need(actor: Any, obj: Any) -> bool:
    """obj: a need, or a case (may see its support plan at all)."""
    if obj is None:
        return actor.has_role(Role.CASE_WORKER, *RECEIVER_ROLES)
    if isinstance(obj, Case):
        return _owns_case(actor, obj) or (
            actor.has_role(*RECEIVER_ROLES)
            and Need.objects.filter(case_id=obj.pk).filter(need_receiver_q(actor)).exists()
        )
    return _owns_case(actor, obj.case) or _receives_need(actor, obj)


@rule("need.change")
def may_change_need(actor: Any, obj: Any) -> bool:
    """obj: a need, or the case a new need would belong to."""
    if obj is None:
        return actor.has_role(Role.CASE_WORKER)
    return _owns_case(actor, obj if isinstance(obj, Case) else obj.case)


@rule("need.update_status")
def may_update_need_status(actor: Any, obj: Any) -> bool:
    if obj is None:
        return actor.has_role(Role.CASE_WORKER, *RECEIVER_ROLES)
    return _owns_case(actor, obj.case) or _receives_need(actor, obj)


@scope(Need, "need.view")
def needs_visible(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(need_owner_q(actor) | need_receiver_q(actor))


@scope(Need, "need.change")
def needs_changeable(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(need_owner_q(actor))


scope(Need, "need.update_status")(needs_visible)


# Cases, through the eyes of these actions (pages that start from a case) -----------------------------------


def _case_worker(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(case_worker_q(actor))


@scope(Case, "need.view")
def cases_with_visible_needs(actor: Any, qs: QuerySet) -> QuerySet:
    """The owning case workers' cases, and cases with a need referred to the actor's organisation."""
    referred = Need.objects.filter(case=OuterRef("pk")).filter(need_receiver_q(actor))
    return qs.filter(case_worker_q(actor) | Q(Exists(referred)))


scope(Case, "referral.create")(_case_worker)
scope(Case, "need.change")(_case_worker)
