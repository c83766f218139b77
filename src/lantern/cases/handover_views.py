"""Pages for a case's owner and its handover: assign the owner, propose a handover, answer one. Thin: parse
input → call `ownership` or `handovers` → redirect; errors come back on the form with the input kept."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from lantern.authz.views import allowed
from lantern.web import idempotency

from . import handovers, ownership, selectors
from .handover_forms import HandoverAnswerForm, HandoverForm, OwnerForm


@allowed("case.assign")
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.access_case(user, pk, "case.assign")
    people = ownership.owner_candidates(case)

    def build(data: Any) -> OwnerForm:
        return OwnerForm(data, people=people, initial={"owner": str(case.case_worker_id or "")})

    def act(form: OwnerForm) -> str:
        owner = ownership.owner_by_id(case, form.cleaned_data["owner"])
        ownership.assign_case(actor=user, case=case, owner=owner)
        messages.success(request, _("The case owner was saved."))
        return reverse("cases:assign", args=[case.pk])

    form, response = idempotency.submit_once(request, build, act)
    if response is not None:
        return response
    return render(request, "cases/assign.html", {"case": case, "form": form})


@allowed("handover.propose")
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.access_case(user, pk, "handover.propose")
    organisations = selectors.handover_receivers(user, case)

    def build(data: Any) -> HandoverForm:
        return HandoverForm(data, organisations=organisations)

    def act(form: HandoverForm) -> str:
        handovers.propose_handover(actor=user, case=case, **form.cleaned_data)
        messages.success(
            request, _("The handover was proposed. The case stays with you until it is accepted.")
        )
        return reverse("cases:detail", args=[case.pk])

    form, response = idempotency.submit_once(request, build, act)
    if response is not None:
        return response
    return render(request, "cases/handover_propose.html", {"case": case, "form": form})


@allowed("handover.answer")
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    handover = selectors.access_handover(user, pk, "handover.answer")

    def act(form: HandoverAnswerForm) -> str:
        if form.cleaned_data["answer"] == "accept":
            handovers.accept_handover(actor=user, handover=handover)
            messages.success(request, _("You accepted the handover: the case is now your organisation's."))
            return reverse("cases:detail", args=[handover.case_id])
        handovers.decline_handover(actor=user, handover=handover, reason=form.cleaned_data["reason"])
        messages.success(request, _("You declined the handover."))
        return reverse("cases:dashboard")

    form, response = idempotency.submit_once(request, HandoverAnswerForm, act)
    if response is not None:
        return response
    selectors.record_handover_read(user, handover)
    return render(request, "cases/handover_answer.html", {"handover": handover, "form": form})
