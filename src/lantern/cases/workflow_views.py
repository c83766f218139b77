"""NRM step pages of a case: consents, referral to the NRM, stage changes and decisions. Each form posts once
per idempotency key (`lantern.web.idempotency`): a double click or a resend after "Not saved" is applied once.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from lantern.authz.gate import NotVisible, can, require
from lantern.authz.views import allowed
from lantern.web import idempotency

from . import selectors, services
from .policies import visible_field_groups
from .presenters import stage_label
from .workflow_forms import ConsentForm, DecisionForm, ReferForm, RevokeConsentForm, StageForm


@allowed("case.view")
def consents(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.access_case(user, pk)
    if "consents" not in visible_field_groups(user, case):
        raise NotVisible
    may_record = can(user, "case.consent", case)
    form = None
    if may_record:
        organisations = selectors.recipient_organisations(user)
        form = ConsentForm(organisations=organisations)
    if request.method == "POST":
        require(user, "case.consent", case)

        def act(form: ConsentForm) -> str:
            services.record_consent(actor=user, case=case, **form.cleaned_data)
            messages.success(request, _("The consent was recorded."))
            return reverse("cases:consents", args=[case.pk])

        posted, response = idempotency.submit_once(
            request, lambda data: ConsentForm(data, organisations=organisations), act
        )
        if response is not None:
            return response
        form = posted
    selectors.record_case_read(user, case, {"consents"})
    return render(
        request,
        "cases/consents.html",
        {"case": case, "consents": list(selectors.consents_of(case)), "form": form, "may_record": may_record},
    )


@allowed("case.consent")
def revoke_consent(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    user = request.user
    case = selectors.access_case(user, pk, "case.consent")
    consent = selectors.consent_of(case, consent_pk)

    def act(form: RevokeConsentForm) -> str:
        services.revoke_consent(actor=user, consent=consent, note=form.cleaned_data["note"])
        messages.success(request, _("The consent was revoked. Nothing more is shared on its basis."))
        return reverse("cases:consents", args=[case.pk])

    form, response = idempotency.submit_once(request, RevokeConsentForm, act)
    if response is not None:
        return response
    return render(request, "cases/consent_revoke.html", {"case": case, "consent": consent, "form": form})


@allowed("case.refer")
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.access_case(user, pk, "case.refer")
    authorities = selectors.competent_authorities(user)
    child = case.treated_as_child

    def build(data: Any) -> ReferForm:
        return ReferForm(data, authorities=authorities, child=child)

    def act(form: ReferForm) -> str:
        services.refer_to_nrm(
            actor=user,
            case=case,
            authority=form.cleaned_data["authority"],
            on=form.cleaned_data["on"],
            best_interests_note=form.cleaned_data.get("best_interests_note", ""),
        )
        messages.success(request, _("The case was referred to the competent authority."))
        return reverse("cases:detail", args=[case.pk])

    form, response = idempotency.submit_once(request, build, act)
    if response is not None:
        return response
    return render(request, "cases/refer.html", {"case": case, "form": form})


@allowed("case.advance")
def change_stage(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.access_case(user, pk, "case.advance")
    profile = case.nrm_profile
    now, later = services.stage_options(user, case)
    choices = [(stage, stage_label(profile, stage)) for stage in now]
    opens_later = [{"label": stage_label(profile, stage), "on": on} for stage, on in later]

    def build(data: Any) -> StageForm:
        return StageForm(data, choices=choices)

    def act(form: StageForm) -> str:
        services.advance_stage(
            actor=user,
            case=case,
            to_stage=form.cleaned_data["to_stage"],
            on=form.cleaned_data["on"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("The case is now at “%(stage)s”.") % {"stage": case.stage_label})
        return reverse("cases:detail", args=[case.pk])

    form, response = idempotency.submit_once(request, build, act)
    if response is not None:
        return response
    return render(
        request,
        "cases/stage_form.html",
        {"case": case, "form": form, "choices": choices, "opens_later": opens_later},
    )


@allowed("case.decide")
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.access_case(user, pk, "case.decide")
    decision_due = case.nrm_profile.stage(case.stage).is_decision

    def act(form: DecisionForm) -> str:
        services.record_decision(actor=user, case=case, **form.cleaned_data)
        messages.success(request, _("The decision was recorded."))
        return reverse("cases:detail", args=[case.pk])

    form, response = idempotency.submit_once(request, DecisionForm, act)
    if response is not None:
        return response
    opens_on = services.decision_opens_on(case) if decision_due else None
    return render(
        request,
        "cases/decision_form.html",
        {"case": case, "form": form, "decision_due": decision_due, "opens_on": opens_on},
    )
