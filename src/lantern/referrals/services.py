"""Every change to the directory, referrals and support plans. Each function takes `actor=`, checks the gate,
runs in one transaction and writes the case's timeline (`CaseEvent`, no personal data in its detail). Bad
input raises `ValidationError` (per field where there is one) and saves nothing.

A referral goes draft → sent → accepted / declined (with a reason), or withdrawn by the referrer before an
answer; an accepted referral is closed by either side. Sending checks the person's consent
(`consent_allows`, and for another country the transnational consent naming it) and grants the receiving
organisation access to the referred field groups only, resting on that consent (`lantern.cases.sharing`
answers both questions). Accepting takes one of the offer's free places; closing gives it back. Declining,
withdrawing and closing end the access; so does revoking either consent a referral rests on
(`end_access_on_revocation`, listed in `lantern.cases.reactions`).

From the screening result ("Refer to the NRM") or anywhere else, open a case and refer it in sequence:

    case = cases.services.create_case(actor=worker, data={...})
    referral = create_referral(actor=worker, case=case, offer=offer)   # field groups pre-filled
    send_referral(actor=worker, referral=referral)                     # once the consent is recorded
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.authz import gate
from lantern.cases.models import Case, CaseEvent, Consent, Purpose
from lantern.cases.sharing import (
    consent_allows,
    end_access,
    grant_case_access,
    referral_consent_for,
    transnational_consent_for,
)
from lantern.cases.timeline import log_event
from lantern.web.dates import check_dates

from .models import (
    PROVIDER_STATUSES,
    Need,
    NeedStatus,
    Referral,
    ReferralKind,
    ReferralStatus,
    ServiceOffer,
)
from .policies import default_groups, shareable_groups
from .presenters import group_labels
from .selectors import access_active

OFFER_FIELDS = (
    "service",
    "region",
    "description",
    "languages",
    "gender",
    "ages",
    "total_places",
    "free_places",
    "phone",
    "email",
    "active",
)
NEED_FIELDS = ("kind", "description", "priority", "status", "target_date")


# The directory ----------------------------------------------------------------------------------------------


def _check_places(offer: ServiceOffer) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    total, free = offer.total_places, offer.free_places
    if (total is None) != (free is None):
        field = "free_places" if free is None else "total_places"
        errors[field] = [
            _("Enter both the places in total and the free places, or neither if the service has no limit.")
        ]
    elif total is not None and free is not None and free > total:
        errors["free_places"] = [_("There cannot be more free places than places in total.")]
    return errors


@transaction.atomic
def save_offer(*, actor: Any, data: dict[str, Any], offer: ServiceOffer | None = None) -> ServiceOffer:
    """List a service of the actor's organisation in the directory, or change one (e.g. its free places)."""
    if offer is None:
        gate.require(actor, "directory.change", actor.organisation)
        offer = ServiceOffer(organisation=actor.organisation)
    else:
        gate.require(actor, "directory.change", offer)
    unknown = set(data) - set(OFFER_FIELDS)
    if unknown:
        raise ValidationError(_("These cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    for name, value in data.items():
        setattr(offer, name, value)
    errors = _check_places(offer)
    if errors:
        raise ValidationError(errors)
    offer.full_clean(exclude=["organisation"])
    offer.save()
    return offer


# Referrals -----------------------------------------------------------------------------------------------


def _no_places(offer: ServiceOffer) -> str:
    return _(
        "%(organisation)s has no free places for this service at the moment. Choose another service, or "
        "contact them to ask when a place frees up."
    ) % {"organisation": offer.organisation.name}


def _offer_errors(case: Case, offer: ServiceOffer | None) -> dict[str, list[str]]:
    if offer is None or not offer.active or not offer.organisation.active:
        return {"offer": [_("Choose a service from the directory that is offered now.")]}
    if offer.organisation_id == case.organisation_id:
        return {
            "offer": [_("Choose another organisation's service: a referral goes to another organisation.")]
        }
    if offer.full:
        return {"offer": [_no_places(offer)]}
    return {}


def kind_of(case: Case, offer: ServiceOffer) -> str:
    """Transnational when the service is in another country than the organisation holding the case."""
    if offer.organisation.country.code != case.organisation.country.code:
        return ReferralKind.TRANSNATIONAL
    return ReferralKind.NATIONAL


def _event(referral: Referral, kind: str, actor: Any, **extra: Any) -> None:
    detail = {
        "referral": referral.pk,
        "organisation": referral.to_organisation_id,
        "service": referral.service,
        "kind": referral.kind,
        **extra,
    }
    log_event(referral.case, kind, actor=actor, detail=detail)


@transaction.atomic
def create_referral(
    *,
    actor: Any,
    case: Case,
    offer: ServiceOffer | None,
    field_groups: Iterable[str] | None = None,
    message: str = "",
    needs: Iterable[Need] = (),
) -> Referral:
    """Prepare a referral (a draft) of the case to a service. The field groups default to what the service
    usually needs; only groups the service may receive are accepted (minimum necessary)."""
    gate.require(actor, "referral.create", case)
    errors = _offer_errors(case, offer)
    if case.is_closed:
        errors.setdefault("offer", []).append(_("The case is closed: it cannot be referred."))
    needs = list(needs)
    if any(need.case_id != case.pk for need in needs):
        errors["needs"] = [_("Choose needs of this case.")]
    if errors:
        raise ValidationError(errors)
    assert offer is not None
    allowed = shareable_groups(offer.service)
    groups = sorted(set(default_groups(offer.service) if field_groups is None else field_groups))
    if not groups or not set(groups) <= set(allowed):
        raise ValidationError(
            {
                "field_groups": [
                    _("Choose what the service may see, from what it needs: %(groups)s.")
                    % {"groups": group_labels(allowed)}
                ]
            }
        )
    referral = Referral.objects.create(
        case=case,
        from_organisation_id=case.organisation_id,
        to_organisation=offer.organisation,
        offer=offer,
        service=offer.service,
        kind=kind_of(case, offer),
        field_groups=groups,
        message=message,
        created_by=actor,
    )
    for need in needs:
        need.referral, need.offer, need.updated_by = referral, offer, actor
        need.save()
    _event(referral, CaseEvent.Kind.REFERRAL_DRAFTED, actor, field_groups=groups)
    return referral


def _lock(referral: Referral) -> Referral:
    """Lock the referral's row for the rest of the transaction (two answers at once: one wins) and bring the
    caller's instance up to date with it."""
    Referral.objects.select_for_update().filter(pk=referral.pk).values_list("pk", flat=True).get()
    referral.refresh_from_db()
    return referral


def _lock_offer(referral: Referral) -> ServiceOffer:
    return ServiceOffer.objects.select_for_update().select_related("organisation").get(pk=referral.offer_id)


def _no_consent(case: Case, referral: Referral) -> ValidationError:
    organisation = referral.to_organisation.name
    if case.treated_as_child:
        message = _(
            "There is no consent to a referral to %(organisation)s. This person is treated as a child: "
            "record the guardian's consent (or, where the procedure allows, a best-interests determination "
            "for this referral) under Consents, then send the referral."
        )
    else:
        message = _(
            "The person has not consented to a referral to %(organisation)s. Record their consent under "
            "Consents, then send the referral."
        )
    return ValidationError(message % {"organisation": organisation}, code="no_consent")


def _no_transnational_consent(referral: Referral) -> ValidationError:
    return ValidationError(
        _(
            "%(organisation)s is in another country (%(country)s). A transfer of the person's data abroad "
            "needs its own consent to a transfer to that country: record it under Consents, then send."
        )
        % {
            "organisation": referral.to_organisation.name,
            "country": referral.to_organisation.country.name,
        },
        code="no_transnational_consent",
    )


def _set_needs(referral: Referral, actor: Any, source: tuple[str, ...], target: str) -> None:
    for need in referral.needs.filter(status__in=source):
        need.status, need.updated_by = target, actor
        need.save()


def _release_needs(referral: Referral, actor: Any) -> None:
    """The referral will not meet its needs (declined, withdrawn): they are open again for another one."""
    for need in referral.needs.filter(status__in=(NeedStatus.IDENTIFIED, NeedStatus.REFERRED)):
        need.status, need.referral, need.offer, need.updated_by = NeedStatus.IDENTIFIED, None, None, actor
        need.save()


def _end_access(referral: Referral, actor: Any) -> None:
    """End the receiving organisation's access to the case (the service no longer works with the person)."""
    access = referral.access
    if access is not None and end_access(access):
        log_event(referral.case, CaseEvent.Kind.ACCESS_REVOKED, actor=actor, detail={"access": access.pk})


def end_access_on_revocation(consent: Consent) -> None:
    """A consent was revoked (`cases.reactions.CONSENT_REVOKED`): the access of every referral resting on
    it ends at the moment of revocation. A transnational referral rests on two consents (to the referral,
    and to the transfer abroad) while its grant names one; this ends it when the other one is revoked."""
    resting = Referral.objects.filter(
        Q(consent=consent) | Q(transnational_consent=consent),
        access__isnull=False,
        access__revoked_at__isnull=True,
    ).select_related("access")
    for referral in resting:
        assert referral.access is not None
        end_access(referral.access, at=consent.revoked_at)


@transaction.atomic
def send_referral(*, actor: Any, referral: Referral) -> Referral:
    """Send a draft: check consent and free places, grant access to the referred field groups, and wait for
    the receiving organisation's answer."""
    gate.require(actor, "referral.send", referral)
    referral = _lock(referral)
    if referral.status != ReferralStatus.DRAFT:
        raise ValidationError(_("This referral was already sent."), code="not_draft")
    case, organisation = referral.case, referral.to_organisation
    offer = _lock_offer(referral)
    errors = _offer_errors(case, offer)
    if errors:
        raise ValidationError(errors)
    if not consent_allows(case, Purpose.REFERRAL, organisation):
        raise _no_consent(case, referral)
    consent = referral_consent_for(case, organisation)
    transnational = None
    if referral.kind == ReferralKind.TRANSNATIONAL:
        transnational = transnational_consent_for(case, organisation)
        if transnational is None:
            raise _no_transnational_consent(referral)
    access = grant_case_access(
        actor=actor,
        case=case,
        organisation=organisation,
        field_groups=list(referral.field_groups),
        consent=consent or transnational,
        reason=f"referral {referral.pk}",
    )
    referral.status, referral.sent_at, referral.sent_by = ReferralStatus.SENT, timezone.now(), actor
    referral.consent, referral.transnational_consent, referral.access = consent, transnational, access
    referral.save()
    _set_needs(referral, actor, (NeedStatus.IDENTIFIED, NeedStatus.NOT_AVAILABLE), NeedStatus.REFERRED)
    _event(referral, CaseEvent.Kind.REFERRAL_SENT, actor, field_groups=list(referral.field_groups))
    return referral


def _lock_sent(referral: Referral) -> Referral:
    referral = _lock(referral)
    if referral.status != ReferralStatus.SENT:
        raise ValidationError(
            _("This referral is no longer waiting for an answer (it is “%(status)s”).")
            % {"status": referral.get_status_display()},
            code="not_sent",
        )
    return referral


@transaction.atomic
def accept_referral(*, actor: Any, referral: Referral) -> Referral:
    """The receiving organisation accepts, taking a free place where places are counted."""
    gate.require(actor, "referral.answer", referral)
    referral = _lock_sent(referral)
    if referral.consent_revoked or not access_active(referral):
        raise ValidationError(
            {"answer": [_("The person's consent was revoked: this referral can no longer be accepted.")]}
        )
    offer = _lock_offer(referral)
    if offer.capacity_bound:
        if not offer.take_place():
            raise ValidationError(
                {
                    "answer": [
                        _(
                            "You have no free places for this service. Update your free places in the "
                            "directory if one has freed up, or decline the referral."
                        )
                    ]
                }
            )
        offer.save()
        referral.holds_place = True
    referral.status = ReferralStatus.ACCEPTED
    referral.answered_at, referral.answered_by = timezone.now(), actor
    referral.save()
    _set_needs(referral, actor, (NeedStatus.REFERRED,), NeedStatus.IN_PROGRESS)
    _event(referral, CaseEvent.Kind.REFERRAL_ACCEPTED, actor)
    return referral


@transaction.atomic
def decline_referral(*, actor: Any, referral: Referral, reason: str) -> Referral:
    """The receiving organisation declines, saying why; its access ends and the needs are open again."""
    gate.require(actor, "referral.answer", referral)
    referral = _lock_sent(referral)
    if not reason.strip():
        raise ValidationError(
            {
                "reason": [
                    _("Say why you decline the referral, so that the referrer can find another service.")
                ]
            }
        )
    referral.status, referral.decline_reason = ReferralStatus.DECLINED, reason.strip()
    _end_access(referral, actor)
    referral.answered_at, referral.answered_by = timezone.now(), actor
    referral.save()
    _release_needs(referral, actor)
    _event(referral, CaseEvent.Kind.REFERRAL_DECLINED, actor)
    return referral


@transaction.atomic
def withdraw_referral(*, actor: Any, referral: Referral) -> Referral:
    """The referrer withdraws a draft or a referral not answered yet; the receiver's access ends."""
    gate.require(actor, "referral.withdraw", referral)
    referral = _lock(referral)
    if referral.status not in (ReferralStatus.DRAFT, ReferralStatus.SENT):
        raise ValidationError(
            _("Only a referral not answered yet can be withdrawn; an accepted referral is closed."),
            code="not_withdrawable",
        )
    referral.status, referral.ended_at, referral.ended_by = ReferralStatus.WITHDRAWN, timezone.now(), actor
    _end_access(referral, actor)
    referral.save()
    _release_needs(referral, actor)
    _event(referral, CaseEvent.Kind.REFERRAL_WITHDRAWN, actor)
    return referral


@transaction.atomic
def close_referral(*, actor: Any, referral: Referral) -> Referral:
    """Either side closes an accepted referral when the service ends: the place is free again and the
    receiving organisation's access ends."""
    gate.require(actor, "referral.close", referral)
    referral = _lock(referral)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted referral can be closed."), code="not_accepted")
    if referral.holds_place:
        offer = _lock_offer(referral)
        if offer.give_back_place():
            offer.save()
        referral.holds_place = False
    referral.status, referral.ended_at, referral.ended_by = ReferralStatus.CLOSED, timezone.now(), actor
    _end_access(referral, actor)
    referral.save()
    _event(referral, CaseEvent.Kind.REFERRAL_CLOSED, actor)
    return referral


# The support plan ----------------------------------------------------------------------------------------


def _check_need(need: Need) -> None:
    errors: dict[str, list[str]] = {}
    if not (need.description or "").strip():
        errors["description"] = [_("Describe the need as assessed with the person.")]
    if errors:
        raise ValidationError(errors)
    need.full_clean(exclude=["case", "referral", "offer", "created_by", "updated_by"])
    check_dates(need)  # target_date: a plausible date


@transaction.atomic
def record_need(*, actor: Any, case: Case, data: dict[str, Any]) -> Need:
    """Add a need to the case's support plan."""
    gate.require(actor, "need.change", case)
    unknown = set(data) - set(NEED_FIELDS)
    if unknown:
        raise ValidationError(_("These cannot be set here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    need = Need(case=case, created_by=actor, updated_by=actor, **data)
    _check_need(need)
    need.save()
    log_event(
        case,
        CaseEvent.Kind.NEED_RECORDED,
        actor=actor,
        detail={"need": need.pk, "kind": need.kind, "status": need.status},
    )
    return need


@transaction.atomic
def update_need(*, actor: Any, need: Need, changes: dict[str, Any]) -> Need:
    """Change a need of the support plan (the owning organisation's case workers)."""
    gate.require(actor, "need.change", need)
    unknown = set(changes) - set(NEED_FIELDS)
    if unknown:
        raise ValidationError(_("These cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    for name, value in changes.items():
        setattr(need, name, value)
    need.updated_by = actor
    _check_need(need)
    changed = [f for f in need.audit_changed_fields() if f in NEED_FIELDS]
    need.save()
    log_event(
        need.case,
        CaseEvent.Kind.NEED_UPDATED,
        actor=actor,
        detail={"need": need.pk, "fields": changed, "status": need.status},
    )
    return need


@transaction.atomic
def update_need_status(*, actor: Any, need: Need, status: str) -> Need:
    """Report how a need is being met: the owning case workers, or the service it was referred to (which
    may say in progress, met, declined by the person or not available)."""
    gate.require(actor, "need.update_status", need)
    owner = gate.can(actor, "need.change", need)
    allowed = NeedStatus.values if owner else PROVIDER_STATUSES
    if status not in allowed:
        raise ValidationError(
            {
                "status": [
                    _("Choose one of: %(s)s.") % {"s": ", ".join(str(NeedStatus(s).label) for s in allowed)}
                ]
            }
        )
    if need.status != status:
        need.status, need.updated_by = status, actor
        need.save()
        log_event(
            need.case,
            CaseEvent.Kind.NEED_UPDATED,
            actor=actor,
            detail={"need": need.pk, "fields": ["status"], "status": status},
        )
    return need
