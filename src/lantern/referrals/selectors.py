"""Reading the directory, referrals and needs: every query starts from what the gate shows the actor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, QuerySet, Value, When
from django_countries import countries

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.authz import gate
from lantern.cases.models import Case as NrmCase
from lantern.cases.models import CaseAccess, Purpose
from lantern.cases.sharing import consent_allows, transnational_consent_for

from .models import (
    AgeProvision,
    GenderProvision,
    Need,
    Priority,
    Referral,
    ReferralKind,
    ReferralStatus,
    ServiceOffer,
)

# Directory ------------------------------------------------------------------------------------------------


def access_offer(actor: Any, pk: Any, action: str = "directory.view") -> ServiceOffer:
    return gate.access(actor, action, ServiceOffer, pk)


@dataclass(frozen=True)
class DirectorySearch:
    service: str = ""
    region: str = ""
    language: str = ""
    gender: str = ""  # "women" / "men": offers open to them
    ages: str = ""  # "adults" / "children": offers open to them
    country: str = ""
    free_only: bool = False


def search_directory(actor: Any, search: DirectorySearch | None = None) -> QuerySet[ServiceOffer]:
    """Active offers matching the search, with their organisation; the actor's own inactive ones too."""
    search = search or DirectorySearch()
    offers = gate.visible(actor, "directory.view", ServiceOffer).select_related("organisation")
    if search.service:
        offers = offers.filter(service=search.service)
    if search.region.strip():
        offers = offers.filter(region__icontains=search.region.strip())
    if search.language.strip():
        offers = offers.filter(languages_index__contains=f",{search.language.strip().lower()},")
    if search.gender in (GenderProvision.WOMEN, GenderProvision.MEN):
        offers = offers.filter(gender__in=[GenderProvision.ANY, search.gender])
    if search.ages in (AgeProvision.ADULTS, AgeProvision.CHILDREN):
        offers = offers.filter(ages__in=[AgeProvision.ANY, search.ages])
    if search.country:
        offers = offers.filter(organisation__country=search.country)
    if search.free_only:
        offers = offers.filter(Q(total_places__isnull=True) | Q(free_places__gt=0))
    return offers.order_by("service", "organisation__name", "region", "pk")


def search_for_case(case: NrmCase, service: str = "") -> DirectorySearch:
    """The search that suits the person (their language, gender, age), so that nothing is asked again."""
    gender = {"female": GenderProvision.WOMEN, "male": GenderProvision.MEN}.get(case.sex, "")
    return DirectorySearch(
        service=service,
        language=case.languages[0] if case.languages else "",
        gender=gender,
        ages=AgeProvision.CHILDREN if case.treated_as_child else AgeProvision.ADULTS,
    )


def referral_targets(actor: Any) -> QuerySet[ServiceOffer]:
    """Offers the actor's organisation may refer to: active, of other active organisations."""
    return (
        gate.visible(actor, "directory.view", ServiceOffer)
        .filter(active=True, organisation__active=True)
        .exclude(organisation_id=actor.organisation_id)
        .select_related("organisation")
        .order_by("service", "organisation__name", "region", "pk")
    )


def directory_countries(actor: Any) -> list[tuple[str, str]]:
    """(code, name) of the countries with an offer in the directory."""
    codes = set(
        gate.visible(actor, "directory.view", ServiceOffer).values_list("organisation__country", flat=True)
    )
    names = dict(countries)
    return sorted(((code, str(names.get(code, code))) for code in codes), key=lambda item: item[1])


# Referrals -----------------------------------------------------------------------------------------------


def access_referral(actor: Any, pk: Any, action: str = "referral.view") -> Referral:
    return gate.access(actor, action, Referral, pk)


def listed(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """What a list row shows: references, organisations, the offer, and whether a consent was revoked."""
    revoked = ExpressionWrapper(
        Q(consent__revoked_at__isnull=False) | Q(transnational_consent__revoked_at__isnull=False),
        output_field=BooleanField(),
    )
    return referrals.select_related("from_organisation", "to_organisation", "offer").annotate(
        case_reference=F("case__reference"), revoked=revoked
    )


def access_active(referral: Referral) -> bool:
    """Whether the receiving organisation's access to the case through this referral lasts."""
    if referral.access_id is None:
        return False
    return CaseAccess.objects.active().filter(pk=referral.access_id).exists()


def referral_list(actor: Any, *, box: str = "") -> QuerySet[Referral]:
    """Referrals the actor sees: `box` "sent" (by their organisation), "received" (by it) or both."""
    referrals = gate.visible(actor, "referral.view", Referral)
    if box == "sent":
        referrals = referrals.filter(from_organisation_id=actor.organisation_id)
    elif box == "received":
        referrals = referrals.filter(to_organisation_id=actor.organisation_id)
    return listed(referrals).order_by("-created_at", "-pk")


def referrals_of_case(actor: Any, case: NrmCase) -> QuerySet[Referral]:
    return listed(gate.visible(actor, "referral.view", Referral).filter(case=case)).order_by(
        "-created_at", "-pk"
    )


def waiting_for_answer(actor: Any) -> QuerySet[Referral]:
    """Referrals sent to the actor's organisation and not answered yet (oldest first)."""
    return listed(
        gate.visible(actor, "referral.answer", Referral).filter(status=ReferralStatus.SENT)
    ).order_by("sent_at", "pk")


@dataclass(frozen=True)
class ConsentCheck:
    referral: bool
    transnational: bool | None  # None: not a transnational referral


def consent_check(referral: Referral) -> ConsentCheck:
    """Whether the person's consent allows the referral now (shown before sending)."""
    case, organisation = referral.case, referral.to_organisation
    transnational = None
    if referral.kind == ReferralKind.TRANSNATIONAL:
        transnational = transnational_consent_for(case, organisation) is not None
    return ConsentCheck(consent_allows(case, Purpose.REFERRAL, organisation), transnational)


def record_referral_read(actor: Any, referral: Referral, fields: list[str]) -> None:
    """Audit that the actor was shown the referral's free-text fields (they may hold personal data)."""
    if fields:
        record(AuditRecord.Action.VIEW, referral, actor=actor, fields=fields)


# Needs ---------------------------------------------------------------------------------------------------

PRIORITY_RANK = Case(
    When(priority=Priority.URGENT, then=Value(0)),
    When(priority=Priority.HIGH, then=Value(1)),
    default=Value(2),
)


def access_need(actor: Any, pk: Any, action: str = "need.view") -> Need:
    return gate.access(actor, action, Need, pk)


def needs_of_case(actor: Any, case: NrmCase) -> QuerySet[Need]:
    """The needs of the case the actor sees, most urgent first."""
    return (
        gate.visible(actor, "need.view", Need)
        .filter(case=case)
        .select_related("referral__to_organisation", "offer__organisation")
        .annotate(rank=PRIORITY_RANK)
        .order_by("rank", F("target_date").asc(nulls_last=True), "pk")
    )


def needs_of_referral(actor: Any, referral: Referral) -> QuerySet[Need]:
    return gate.visible(actor, "need.view", Need).filter(referral=referral).order_by("pk")


def open_needs(actor: Any, case: NrmCase) -> QuerySet[Need]:
    """Needs of the case a new referral may meet: not met, declined or already being met."""
    return (
        gate.visible(actor, "need.change", Need)
        .filter(case=case, status__in=["identified", "not_available"])
        .order_by("pk")
    )
