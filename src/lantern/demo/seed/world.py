"""What a seed run draws on besides the cases: the organisations and their staff, the service directory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lantern.accounts.models import Organisation, User
from lantern.accounts.roles import OrganisationType, Role, Service

from .data import SHELTER_PLACES


def case_organisations() -> tuple[list[Organisation], dict[int, User], Organisation | None, User | None]:
    owners = list(
        Organisation.objects.filter(
            type__in=[OrganisationType.RECEPTION_CENTRE, OrganisationType.NGO], active=True
        )
    )
    if not owners:
        from lantern.demo.accounts import load_demo

        load_demo()
        return case_organisations()
    workers = {}
    for org in owners:
        user = (
            User.objects.filter(
                organisation=org, role_grants__role__in=[Role.CASE_WORKER, Role.SCREENER]
            ).first()
            or User.objects.filter(organisation=org).first()
        )
        if user is not None:
            workers[org.pk] = user
    authority = Organisation.objects.filter(type=OrganisationType.NRM_AUTHORITY, active=True).first()
    decider = (
        User.objects.filter(organisation=authority, role_grants__role=Role.NRM_DECISION_MAKER).first()
        if authority
        else None
    )
    return [o for o in owners if o.pk in workers], workers, authority, decider


@dataclass
class World:
    """What a seed run draws on besides the cases: the directory, the people who answer and decide."""

    worker_of: dict[int, User]
    decider: User | None
    lawyer: User | None
    offers: dict[str, list[Any]]  # service -> offers
    answerer_of: dict[int, User]  # organisation id -> a user who answers referrals
    catalogue: Any
    score: Callable[..., dict[str, Any]]


def directory() -> dict[str, list[Any]]:
    """The active service offers by service; when there are none, one per organisation and service it
    lists."""
    from lantern.referrals.models import ServiceOffer

    offers = list(
        ServiceOffer.objects.filter(active=True, organisation__active=True).select_related("organisation")
    )
    if not offers:
        for org in Organisation.objects.filter(active=True).order_by("pk"):
            for service in org.services or []:
                places = SHELTER_PLACES if service == Service.SHELTER else None
                offers.append(
                    ServiceOffer(
                        organisation=org,
                        service=service,
                        region="Attica",
                        description="Fictional service offer for demos.",
                        languages=list(org.languages or []),
                        total_places=places,
                        free_places=places,
                        email=f"referrals-{org.pk}@demo.lantern.invalid",
                    )
                )
        for offer in offers:
            offer.save()  # save() fills the languages index
    by_service: dict[str, list[Any]] = {}
    for offer in sorted(offers, key=lambda o: o.pk):
        by_service.setdefault(offer.service, []).append(offer)
    return by_service


def world_for(workers: dict[int, User], decider: User | None) -> World:
    from lantern.screening import selectors as screening_selectors
    from lantern.screening.services import score_answers

    offers = directory()
    answerers = {}
    for org_id in {o.organisation_id for group in offers.values() for o in group}:
        answerers_q = User.objects.filter(organisation_id=org_id, is_active=True).order_by("pk")
        user = answerers_q.filter(role_grants__role=Role.SERVICE_PROVIDER).first() or answerers_q.first()
        if user is not None:
            answerers[org_id] = user
    lawyer = (
        User.objects.filter(role_grants__role=Role.LAWYER, is_active=True, organisation__active=True)
        .order_by("pk")
        .first()
    )
    return World(
        worker_of=workers,
        decider=decider,
        lawyer=lawyer,
        offers=offers,
        answerer_of=answerers,
        catalogue=screening_selectors.catalogue(),
        score=score_answers,
    )
