"""The support plan of a case: its needs with their status, and its referrals. The owning organisation's case
workers add and change needs; a service sees only the needs referred to it (and reports their status from
the referral page)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from lantern.audit.services import record_read
from lantern.authz import gate
from lantern.authz.gate import can
from lantern.authz.views import allowed
from lantern.cases.models import Case
from lantern.web import idempotency

from . import selectors, services
from .forms import NeedForm
from .models import SERVICE_FOR_NEED, NeedStatus
from .presenters import status_class


@allowed("need.view")
def support_plan(request: HttpRequest, case_pk: int) -> HttpResponse:
    user = request.user
    case = gate.access(user, "need.view", Case, case_pk)
    needs = list(selectors.needs_of_case(user, case))
    if needs:
        record_read(user, needs, ["description"])
    can_refer = can(user, "referral.create", case) and not case.is_closed
    rows = [
        (
            need,
            status_class(need.status),
            SERVICE_FOR_NEED.get(need.kind, "")
            if can_refer and need.status in (NeedStatus.IDENTIFIED, NeedStatus.NOT_AVAILABLE)
            else "",
        )
        for need in needs
    ]
    return render(
        request,
        "referrals/support_plan.html",
        {
            "case": case,
            "rows": rows,
            "referrals": [
                (referral, status_class(referral.status))
                for referral in selectors.referrals_of_case(user, case)
            ],
            "can_change": can(user, "need.change", case),
            "can_refer": can_refer,
        },
    )


def _need_form(request: HttpRequest, case: Any, need: Any = None) -> HttpResponse:
    user = request.user
    initial = NeedForm.initial_for(need) if need else None

    def build(data: Any) -> NeedForm:
        return NeedForm(data, initial=initial)

    def act(form: NeedForm) -> str:
        if need is None:
            services.record_need(actor=user, case=case, data=dict(form.cleaned_data))
        else:
            services.update_need(actor=user, need=need, changes=dict(form.cleaned_data))
        messages.success(request, _("The support plan was saved."))
        return reverse("referrals:support_plan", kwargs={"case_pk": case.pk})

    # A double click or a resend after "Not saved": applied once.
    form, response = idempotency.submit_once(request, build, act)
    if response is not None:
        return response
    if need is not None and request.method != "POST":
        record_read(user, [need], ["description"])
    return render(request, "referrals/need_form.html", {"case": case, "need": need, "form": form})


@allowed("need.change")
def need_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    return _need_form(request, gate.access(request.user, "need.change", Case, case_pk))


@allowed("need.change")
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.access_need(request.user, pk, "need.change")
    return _need_form(request, need.case, need)
