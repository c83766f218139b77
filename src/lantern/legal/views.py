"""Legal track pages: the lawyer's list of cases, one case's legal track, its records, and assigning the
lawyer. Thin: parse input → call a service or selector → render. Reads of the legal track are audited.
Forms post once per idempotency key (`lantern.web.idempotency`): a double click or a resend is applied once.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.authz.gate import NotVisible, can
from lantern.authz.views import allowed
from lantern.web import idempotency

from . import selectors, services
from .forms import FORMS, AssignLawyerForm, EndAssignmentForm, NonPunishmentForm
from .models import CriminalProceeding, Hearing

PART_TITLES = {
    "rights": (gettext_lazy("Record information given on rights"), gettext_lazy("Information on rights")),
    "proceedings": (gettext_lazy("Add criminal proceedings"), gettext_lazy("Criminal proceedings")),
    "hearings": (gettext_lazy("Add a hearing"), gettext_lazy("Hearing")),
    "permits": (gettext_lazy("Add a residence permit application"), gettext_lazy("Residence permit")),
    "claims": (gettext_lazy("Add a compensation claim"), gettext_lazy("Compensation claim")),
}


@allowed("legal.view")
def case_list(request: HttpRequest) -> HttpResponse:
    """Open cases whose legal track the user works on (references only: no personal data)."""
    cases = selectors.legal_cases(request.user).only("pk", "reference", "profile", "stage")[:200]
    return render(request, "legal/case_list.html", {"cases": cases})


@allowed("legal.view")
def track(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.access_legal_case(user, pk)
    legal = selectors.overview(case)
    selectors.record_legal_read(user, case)
    return render(
        request,
        "legal/track.html",
        {
            "case": case,
            "legal": legal,
            "can_change": can(user, "legal.change", case),
            "can_assign": can(user, "legal.assign_lawyer", case),
        },
    )


@allowed("legal.change")
def non_punishment(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.access_legal_case(user, pk, "legal.change")
    current = selectors.track_of(case)

    def build(data: Any) -> NonPunishmentForm:
        return NonPunishmentForm(data, instance=current)

    def act(form: NonPunishmentForm) -> str:
        changes = {name: form.cleaned_data[name] for name in NonPunishmentForm.Meta.fields}
        services.update_track(actor=user, case=case, changes=changes)
        messages.success(request, _("The non-punishment details were saved."))
        return reverse("legal:track", args=[case.pk])

    form, response = idempotency.submit_once(request, build, act)
    if response is not None:
        return response
    if request.method != "POST":
        selectors.record_legal_read(user, case)
    return render(
        request,
        "legal/form.html",
        {"case": case, "form": form, "title": _("Non-punishment principle")},
    )


def _edit(request: HttpRequest, case: Any, part: str, instance: Any, title: Any) -> HttpResponse:

    def build(data: Any) -> Any:
        return FORMS[part](data, instance=instance)

    def act(form: Any) -> str:
        services.save_legal_record(actor=request.user, case=case, record=form.save(commit=False))
        messages.success(request, _("“%(part)s” was saved.") % {"part": PART_TITLES[part][1]})
        return reverse("legal:track", args=[case.pk])

    form, response = idempotency.submit_once(request, build, act)
    if response is not None:
        return response
    if request.method != "POST" and instance.pk is not None:
        selectors.record_legal_read(request.user, case)
    return render(request, "legal/form.html", {"case": case, "form": form, "title": title})


@allowed("legal.change")
def add_item(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    case = selectors.access_legal_case(request.user, pk, "legal.change")
    if part not in FORMS or part == "hearings":
        raise NotVisible
    model = FORMS[part]._meta.model
    return _edit(request, case, part, model(case=case), PART_TITLES[part][0])


@allowed("legal.change")
def edit_item(request: HttpRequest, pk: int, part: str, item_pk: int) -> HttpResponse:
    case = selectors.access_legal_case(request.user, pk, "legal.change")
    item = selectors.item_of(case, part, item_pk)
    return _edit(request, case, part, item, PART_TITLES[part][1])


@allowed("legal.change")
def add_hearing(request: HttpRequest, pk: int, proceeding_pk: int) -> HttpResponse:
    case = selectors.access_legal_case(request.user, pk, "legal.change")
    proceeding: CriminalProceeding = selectors.item_of(case, "proceedings", proceeding_pk)
    return _edit(request, case, "hearings", Hearing(proceeding=proceeding), PART_TITLES["hearings"][0])


@allowed("legal.assign_lawyer")
def assign_lawyer(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.access_legal_case(user, pk, "legal.assign_lawyer")
    current = selectors.track_of(case)
    ending = request.POST.get("action") == "end"
    lawyers = selectors.lawyer_choices(case)

    def build(data: Any) -> Any:
        return EndAssignmentForm(data) if ending else AssignLawyerForm(data, lawyers=lawyers)

    def act(form: Any) -> str:
        if ending:
            services.end_lawyer_assignment(actor=user, case=case)
            messages.success(request, _("The lawyer's access to this case has ended."))
        else:
            services.assign_lawyer(
                actor=user,
                case=case,
                lawyer=form.cleaned_data["lawyer"],
                extra_groups=form.cleaned_data["extra_groups"],
            )
            messages.success(request, _("The lawyer was assigned and can now open the legal track."))
        return reverse("legal:track", args=[case.pk])

    form = AssignLawyerForm(lawyers=lawyers)
    if request.method == "POST":
        posted, response = idempotency.submit_once(request, build, act)
        if response is not None:
            return response
        assert posted is not None
        if ending:  # the end button has no fields: a refusal or a stale key is said above the page
            for error in posted.non_field_errors():
                messages.error(request, error)
        else:
            form = posted
    return render(
        request,
        "legal/assign_lawyer.html",
        {"case": case, "form": form, "end_form": EndAssignmentForm(), "current": current},
    )
