"""Words for what pages show: field-group names, status tags, capacity."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.cases.presenters import GROUP_TITLES

from .models import NeedStatus, ReferralStatus, ServiceOffer

GROUP_LABELS = {
    **GROUP_TITLES,
    "timeline": gettext_lazy("Progress of the case (stages and decisions)"),
}

STATUS_TAGS = {
    ReferralStatus.DRAFT: "tag-grey",
    ReferralStatus.SENT: "",
    ReferralStatus.ACCEPTED: "tag-green",
    ReferralStatus.DECLINED: "tag-red",
    ReferralStatus.WITHDRAWN: "tag-grey",
    ReferralStatus.CLOSED: "tag-grey",
    NeedStatus.IDENTIFIED: "",
    NeedStatus.REFERRED: "",
    NeedStatus.IN_PROGRESS: "",
    NeedStatus.MET: "tag-green",
    NeedStatus.DECLINED: "tag-grey",
    NeedStatus.NOT_AVAILABLE: "tag-red",
}


def group_label(group: str) -> Any:
    return GROUP_LABELS.get(group, group)


def group_labels(groups: list[str] | tuple[str, ...]) -> str:
    return ", ".join(str(group_label(g)) for g in groups)


def status_class(status: str) -> str:
    return STATUS_TAGS.get(status, "")


def places_wording(offer: ServiceOffer) -> str:
    if not offer.capacity_bound:
        return _("Not limited by places")
    if offer.full:
        return _("No free places")
    return _("%(free)s of %(total)s places free") % {"free": offer.free_places, "total": offer.total_places}


def offer_choice_label(offer: ServiceOffer) -> str:
    """How an offer reads in a list of choices: organisation, service, region, country and places."""
    return _("%(organisation)s – %(service)s, %(region)s (%(country)s) – %(places)s") % {
        "organisation": offer.organisation.name,
        "service": offer.get_service_display(),
        "region": offer.region,
        "country": offer.organisation.country.name,
        "places": places_wording(offer),
    }
