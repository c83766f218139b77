"""What pages show: field-group names, status tags, capacity, and which buttons a referral's page offers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.authz.gate import can
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


# A referral page's buttons: the step, the statuses it is offered in, the gate action it needs.
BUTTONS = (
    ("send", (ReferralStatus.DRAFT,), "referral.send"),
    ("withdraw", (ReferralStatus.DRAFT, ReferralStatus.SENT), "referral.withdraw"),
    ("answer", (ReferralStatus.SENT,), "referral.answer"),
    ("close", (ReferralStatus.ACCEPTED,), "referral.close"),
)


def buttons(user: Any, referral: Any) -> list[str]:
    """The steps the user may take on the referral now: its status offers the step and the gate allows it."""
    offered = [(name, action) for name, statuses, action in BUTTONS if referral.status in statuses]
    return [name for name, action in offered if can(user, action, referral)]


def reports_need_status(user: Any, need: Any, *, receiver: bool) -> bool:
    """Whether the referral's page offers the user the status of this need: the service it was referred to
    reports it there (the case's own workers change needs on the support plan)."""
    owner = can(user, "need.change", need)
    return not owner and receiver and can(user, "need.update_status", need)


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
