"""The screening pages: a list, the start, one page per step (GOV.UK one-thing-per-page), check and result.

Each step page: GET shows the form at the screening's current version; POST saves through a service, once
per idempotency key, and moves on — or, with "Save and pause", saves what was entered and returns to the
list. A stale form (another tab, a double submit, a colleague), a colleague's edit lock, or bad input show
the page again with the user's input kept and a message saying what to do.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lantern.audit.services import record
from lantern.authz.gate import can
from lantern.authz.views import allowed
from lantern.web import idempotency
from lantern.web.pagination import paginate

from . import selectors, services
from .forms import (
    StartForm,
)
from .models import Consent, Outcome, Screening, Status
from .steps import (
    _age_step,
    _audit_shown,
    _check_step,
    _consent_step,
    _first_sign_labels,
    _first_signs_step,
    _first_unfinished,
    _lock_context,
    _needs_consent,
    _setting_step,
    _texts,
    _theme_step,
    _url,
    flow,
    run_step,
    step_done,
)
from .summaries import _explained

LIST_TABS = [
    ("in_progress", gettext_lazy("In progress")),
    ("paused", gettext_lazy("Paused")),
    ("finished", gettext_lazy("Finished")),
]


# The order of the steps ----------------------------------------------------------------------------


# Shared handling of a step page --------------------------------------------------------------------


# Pages --------------------------------------------------------------------------------------------------


@allowed("screening.view")
def screening_list(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "in_progress")
    tab = tab if tab in selectors.LIST_GROUPS else "in_progress"
    mine = request.GET.get("who", "mine") != "all"
    screenings = selectors.screenings_for_list(request.user, tab, mine=mine)
    page = paginate(screenings, 50, request.GET.get("page"))
    if page.object_list:
        record(
            "view",
            actor=request.user,
            object_type="screening.screening",
            object_id="list",
            fields=["person_reference"],
            detail={"ids": [s.pk for s in page]},
        )
    return render(
        request,
        "screening/list.html",
        {
            "page": page,
            "tab": tab,
            "tabs": LIST_TABS,
            "mine": mine,
            "page_query": urlencode({"tab": tab, "who": "mine" if mine else "all"}),
            "can_create": can(request.user, "screening.create"),
            "can_change": can(request.user, "screening.change"),
        },
    )


@allowed("screening.create")
def start(request: HttpRequest) -> HttpResponse:

    def act(form: StartForm) -> str:
        screening = services.start_screening(
            actor=request.user, person_reference=form.cleaned_data["person_reference"]
        )
        return _url("setting", screening)

    form, response = idempotency.submit_once(request, StartForm, act)
    if response is not None:
        return response
    return render(request, "screening/start.html", {"form": form})


@allowed("screening.view")
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    screening = selectors.access_screening(request.user, pk, "screening.view")
    screener_texts, _person = _texts(request, screening)
    _audit_shown(request, screening)
    return render(
        request,
        "screening/overview.html",
        {
            "screening": screening,
            "tasks": _tasks(screening, screener_texts),
            "can_change": can(request.user, "screening.change", screening),
            "can_view_result": can(request.user, "screening.view_result", screening),
            **_lock_context(request, screening),
        },
    )


def _tasks(screening: Screening, texts: Any) -> list[dict[str, Any]]:
    """The task list: each step with a status the screener can scan (GOV.UK task list pattern)."""
    interview = screening.consent == Consent.GIVEN
    labels = {
        "setting": _("Setting of the interview"),
        "consent": _("Informed consent"),
        "first_signs": _("First signs observed"),
        "age": _("Age"),
    }
    done_status = {
        "consent": screening.get_consent_display(),
        "first_signs": _("%(n)s recorded") % {"n": len(screening.first_signs)},
        "age": screening.get_age_group_display(),
    }
    keys = [*labels, *(f"theme:{t}" for t, _ids in selectors.themes_for(services.population_of(screening)))]
    urls = dict(flow(screening))
    rows = []
    for key in keys:
        open_without_consent = key in ("setting", "consent", "first_signs")
        if step_done(screening, key):
            state, status = "done", done_status.get(key, _("Completed"))
        elif interview or open_without_consent:
            state, status = "todo", _("Not started")
        else:
            state, status = "blocked", _("Needs consent")
        label = labels[key] if key in labels else texts.theme(key.removeprefix("theme:"))["title"].value
        url = urls.get(key) if state != "blocked" else None
        rows.append({"key": key, "label": label, "state": state, "status": status, "url": url})
    return rows


@allowed("screening.change")
def setting(request: HttpRequest, pk: int) -> HttpResponse:
    return run_step(request, pk, _setting_step())


@allowed("screening.change")
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    return run_step(request, pk, _consent_step())


@allowed("screening.change")
def first_signs(request: HttpRequest, pk: int) -> HttpResponse:
    return run_step(request, pk, _first_signs_step())


@allowed("screening.change")
def age(request: HttpRequest, pk: int) -> HttpResponse:
    screening = selectors.access_screening(request.user, pk, "screening.change")
    if screening.consent != Consent.GIVEN:
        return _needs_consent(request, screening)
    return run_step(request, pk, _age_step())


@allowed("screening.change")
def theme(request: HttpRequest, pk: int, theme_id: str) -> HttpResponse:
    screening = selectors.access_screening(request.user, pk, "screening.change")
    if screening.consent != Consent.GIVEN:
        return _needs_consent(request, screening)
    if theme_id not in dict(selectors.themes_for(services.population_of(screening))):
        messages.info(request, _("These questions do not apply to this person."))
        return redirect(_url("overview", screening))
    return run_step(request, pk, _theme_step(theme_id))


@allowed("screening.change")
def check(request: HttpRequest, pk: int) -> HttpResponse:
    screening = selectors.access_screening(request.user, pk, "screening.change")
    if screening.consent != Consent.GIVEN:
        return _needs_consent(request, screening)
    return run_step(request, pk, _check_step())


@allowed("screening.view_result")
def result(request: HttpRequest, pk: int) -> HttpResponse:
    screening = selectors.access_screening(request.user, pk, "screening.view_result")
    if screening.status != Status.COMPLETED:
        messages.info(request, _("The result is shown once the screening is completed."))
        return redirect(_url("overview", screening))
    screener, person = _texts(request, screening)
    stored = screening.result or {}
    outcome = stored.get("outcome", screening.outcome)
    _audit_shown(request, screening)
    return render(
        request,
        "screening/result.html",
        {
            "screening": screening,
            "outcome": outcome,
            "presumed_victim": outcome == Outcome.PRESUMED_VICTIM,
            # A child's "further assessment" is never "not trafficked" (Palermo art. 3(c)): the page says so.
            "child_further_assessment": stored.get("population") == "child"
            and outcome == Outcome.FURTHER_ASSESSMENT,
            "outcome_title": screener.get("outcomes", outcome, "title"),
            "outcome_summary": screener.get("outcomes", outcome, "summary"),
            "instruments": [_explained(entry, screener) for entry in stored.get("instruments", {}).values()],
            "not_counted": {
                "unsure": [screener.get("indicators", i) for i in stored.get("unsure", [])],
                "declined": [screener.get("indicators", i) for i in stored.get("declined", [])],
            },
            "danger_question": selectors.bilingual(screener, person, "danger_check", "question"),
            "danger_action": screener.get("danger_check", "yes_action"),
            "next_steps": selectors.bilingual(screener, person, "next_steps", outcome),
            "first_signs": _first_sign_labels(screening, screener),
            "screener_texts": screener,
            "person_texts": person,
            **_case_context(request, screening, outcome),
        },
    )


def _case_context(request: HttpRequest, screening: Screening, outcome: str) -> dict[str, Any]:
    """The result page's way to a case: the button to open one, or the case already opened."""
    if outcome not in services.CASE_OUTCOMES:
        return {"offer_case": False}
    context: dict[str, Any] = {
        "offer_case": True,
        "can_open_case": can(request.user, "case.create", screening.organisation),
        "linked_case": None,
    }
    if screening.case_id is not None:
        case = screening.case
        context["linked_case"] = case if can(request.user, "case.view", case) else None
        context["case_elsewhere"] = context["linked_case"] is None
    return context


@allowed("screening.change")
@require_POST
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    """Continue a screening: take the edit lock (or take it over) and go to the first unfinished step."""
    screening = selectors.access_screening(request.user, pk, "screening.change")
    try:
        fresh = services.resume(
            actor=request.user, screening=screening, take_over="take_over" in request.POST
        )
    except services.ScreeningLocked as locked:
        messages.warning(request, str(locked))
        return redirect(_url("overview", screening))
    if fresh.status == Status.COMPLETED:
        return redirect(_url("result", fresh))
    return redirect(_first_unfinished(fresh))


@allowed("screening.change")
@require_POST
def pause(request: HttpRequest, pk: int) -> HttpResponse:
    screening = selectors.access_screening(request.user, pk, "screening.change")
    try:
        services.save_and_pause(actor=request.user, screening=screening)
    except services.ScreeningLocked as locked:
        messages.warning(request, str(locked))
        return redirect(_url("overview", screening))
    messages.success(request, _("Paused. Anyone in your team can continue it from this list."))
    return redirect(reverse("screening:list") + "?tab=paused")


@allowed("case.create")
@require_POST
def open_case(request: HttpRequest, pk: int) -> HttpResponse:
    """The result page's "Refer to the NRM": open a case filled in from the screening and go to it."""
    screening = selectors.access_screening(request.user, pk, "screening.view")
    already = screening.case_id is not None
    try:
        case = services.open_case_from_screening(actor=request.user, screening=screening)
    except services.StepNotAvailable as refusal:
        messages.error(request, str(refusal))
        completed = screening.status == Status.COMPLETED
        return redirect(_url("result" if completed else "overview", screening))
    if not can(request.user, "case.view", case):
        messages.info(
            request,
            _("A case was already opened from this screening by a colleague; a case worker can continue it."),
        )
        return redirect(_url("result", screening))
    if already:
        messages.info(request, _("A case was already opened from this screening: here it is."))
    else:
        messages.success(
            request,
            _(
                "The case %(ref)s was opened from the screening. Add the person's details, record their "
                "consent, then refer them."
            )
            % {"ref": case.reference},
        )
    return redirect("cases:detail", pk=case.pk)
