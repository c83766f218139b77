"""The service directory: search it (for a case: pre-filled with what suits the person); list and change
offers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.authz import gate
from lantern.authz.gate import can
from lantern.authz.views import allowed
from lantern.cases.models import Case
from lantern.web import idempotency
from lantern.web.pagination import paginate

from . import selectors, services
from .forms import DirectoryFilterForm, OfferForm
from .models import SERVICE_FOR_NEED, AgeProvision, GenderProvision
from .presenters import places_wording

PAGE_SIZE = 25
FILTERS = ("service", "region", "language", "gender", "ages", "country", "free_only")


def _for_case(request: HttpRequest) -> tuple[Any, str]:
    """The case the search is for (`?case=`, one the user may refer) and the need it starts from."""
    raw = request.GET.get("case", "")
    if not raw or not can(request.user, "referral.create"):
        return None, ""
    case = gate.access(request.user, "referral.create", Case, raw)
    need = request.GET.get("need", "")
    return case, need if need.isdigit() else ""


def _prefilled(request: HttpRequest, case: Any, need: str) -> dict[str, Any]:
    """First arrival for a case: search for what suits the person, from what the case already holds."""
    service = ""
    if need:
        found = selectors.open_needs(request.user, case).filter(pk=need).first()
        service = SERVICE_FOR_NEED.get(found.kind, "") if found else ""
    search = selectors.search_for_case(case, service)
    record(AuditRecord.Action.VIEW, case, actor=request.user, fields=["languages", "sex", "treated_as_child"])
    return {
        "service": search.service,
        "language": search.language,
        "gender": search.gender,
        "ages": search.ages,
        "free_only": "on",
    }


@allowed("directory.view")
def directory(request: HttpRequest) -> HttpResponse:
    user = request.user
    case, need = _for_case(request)
    data: Any = request.GET
    if case is not None and not any(name in request.GET for name in FILTERS):
        data = _prefilled(request, case, need)
    form = DirectoryFilterForm(data or None, countries=selectors.directory_countries(user))
    filters = form.cleaned_data if form.is_valid() else {}
    search = selectors.DirectorySearch(
        service=filters.get("service", ""),
        region=filters.get("region", ""),
        language=filters.get("language", ""),
        gender=filters.get("gender", ""),
        ages=filters.get("ages", ""),
        country=filters.get("country", ""),
        free_only=bool(filters.get("free_only")),
    )
    page = paginate(selectors.search_directory(user, search), PAGE_SIZE, request.GET.get("page"))
    rows = [
        (
            offer,
            places_wording(offer),
            can(user, "directory.change", offer),
            case is not None
            and offer.organisation_id != user.organisation_id
            and offer.active
            and not offer.full,
        )
        for offer in page
    ]
    keep = {k: v for k, v in request.GET.items() if k != "page" and v}
    if data is not request.GET:
        keep.update({k: v for k, v in data.items() if v})
    return render(
        request,
        "referrals/directory.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "case": case,
            "need": need,
            "query": urlencode(keep),
            "can_add": can(user, "directory.change"),
            "gender_any": GenderProvision.ANY,
            "ages_any": AgeProvision.ANY,
        },
    )


def _offer_form(request: HttpRequest, offer: Any = None) -> HttpResponse:
    user = request.user
    initial = OfferForm.initial_for(offer) if offer else {"languages": ", ".join(user.organisation.languages)}

    def build(data: Any) -> OfferForm:
        return OfferForm(data, initial=initial)

    def act(form: OfferForm) -> str:
        services.save_offer(actor=user, data=dict(form.cleaned_data), offer=offer)
        messages.success(request, _("The directory was updated."))
        return reverse("referrals:directory")

    # A double click or a resend after "Not saved": applied once.
    form, response = idempotency.submit_once(request, build, act)
    if response is not None:
        return response
    return render(request, "referrals/offer_form.html", {"form": form, "offer": offer})


@allowed("directory.change")
def offer_create(request: HttpRequest) -> HttpResponse:
    return _offer_form(request)


@allowed("directory.change")
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _offer_form(request, selectors.access_offer(request.user, pk, "directory.change"))
