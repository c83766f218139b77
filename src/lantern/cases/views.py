"""Case pages: the list, opening a case, the case with its task list and timeline, record sections, and the
emergency protocol. Thin: parse input → call a service or selector → render. Every read of personal fields is
audited here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from lantern.authz.gate import NotVisible, can
from lantern.authz.views import allowed
from lantern.web import idempotency
from lantern.web.pagination import paginate

from . import selectors, services
from .fields import SECTION_GROUPS, SECTIONS_BY_ID
from .forms import CaseFieldsForm, CaseStartForm, initial_for
from .models import HandoverStatus
from .policies import visible_field_groups
from .presenters import due_wording, stage_label, summary, task_list, timeline_rows
from .procedure import workflow
from .procedure.emergency import contacts_for
from .procedure.profiles import load_profiles
from .workflow_forms import CaseFilterForm

PAGE_SIZE = 25


@allowed("case.view")
def case_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = CaseFilterForm(request.GET or None, stages=selectors.stage_filter_choices())
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_list(
        request.user,
        today=today,
        stage=filters.get("stage", ""),
        overdue=bool(filters.get("overdue")),
        owner=filters.get("owner", ""),
        family_name=filters.get("family_name", ""),
    )
    page = paginate(cases, PAGE_SIZE, request.GET.get("page"))
    rows = [(case, selectors.shows_names(request.user, case)) for case in page]
    named = [case for case, shown in rows if shown]
    if named:
        selectors.record_list_read(request.user, named, ["given_names", "family_name"])
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "today": today,
            "query": query,
            "can_create": can(request.user, "case.create"),
        },
    )


@allowed("case.create")
def case_create(request: HttpRequest) -> HttpResponse:
    default = load_profiles().for_country(request.user.organisation.country.code).id

    def build(data: Any) -> CaseStartForm:
        return CaseStartForm(data, initial={"profile": default})

    def act(form: CaseStartForm) -> str:
        data = form.changes()
        profile = data.pop("profile")
        case = services.create_case(actor=request.user, data=data, profile=profile)
        messages.success(request, _("The case %(ref)s was opened.") % {"ref": case.reference})
        return reverse("cases:emergency" if case.immediate_danger else "cases:detail", args=[case.pk])

    # A double click or a resend after "Not saved": opened once (lantern.web.idempotency).
    form, response = idempotency.submit_once(request, build, act)
    if response is not None:
        return response
    return render(request, "cases/case_create.html", {"form": form})


@allowed("case.view")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.access_case(user, pk)
    groups = visible_field_groups(user, case)
    selectors.record_case_read(user, case, groups)
    profile = case.nrm_profile
    can_change = can(user, "case.change", case)
    show_timeline = "timeline" in groups
    pending = case.handovers.filter(status=HandoverStatus.PROPOSED).select_related("to_organisation").first()
    context = {
        "pending_handover": pending,
        "can_assign": can(user, "case.assign", case) and not case.is_closed,
        "can_handover": pending is None and not case.is_closed and can(user, "handover.propose", case),
        "case": case,
        "summary": summary(case, groups),
        "tasks": task_list(case, groups) if can_change else [],
        "due": [due_wording(profile, item) for item in services.due_items(case)],
        "timeline": timeline_rows(case, list(selectors.timeline(case)), with_notes=show_timeline)
        if show_timeline
        else [],
        "decisions": [(d, stage_label(profile, d.stage)) for d in selectors.decisions_of(case)]
        if show_timeline
        else [],
        "show_consents": "consents" in groups,
        "can_change": can_change,
        "can_refer": can(user, "case.refer", case)
        and any(t.by == "referral" for t in workflow.allowed_transitions(profile, case.stage)),
        "can_advance": can(user, "case.advance", case) and bool(services.stage_choices(user, case)),
        "can_decide": can(user, "case.decide", case) and profile.stage(case.stage).is_decision,
    }
    return render(request, "cases/case_detail.html", context)


@allowed("case.change")
def case_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    user = request.user
    case = selectors.access_case(user, pk, "case.change")
    part = SECTIONS_BY_ID.get(section)
    if part is None:
        raise NotVisible

    def build(data: Any) -> CaseFieldsForm:
        return CaseFieldsForm(data, field_names=part.fields, initial=initial_for(case, part.fields))

    def act(form: CaseFieldsForm) -> str:
        was_in_danger = case.immediate_danger
        services.update_case(actor=user, case=case, changes=form.changes(), section=part.id)
        messages.success(request, _("“%(section)s” was saved.") % {"section": part.title})
        danger = case.immediate_danger and not was_in_danger
        return reverse("cases:emergency" if danger else "cases:detail", args=[case.pk])

    form, response = idempotency.submit_once(request, build, act)
    if response is not None:
        return response
    if request.method != "POST":
        selectors.record_case_read(user, case, SECTION_GROUPS[part.id])
    return render(request, "cases/section_form.html", {"case": case, "form": form, "section": part})


@allowed("case.view")
def emergency(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.access_case(request.user, pk)
    country = case.organisation.country
    return render(
        request,
        "cases/emergency.html",
        {
            "case": case,
            "country": country,
            "contacts": contacts_for(country.code, child=case.treated_as_child),
            "child": case.treated_as_child,
        },
    )
