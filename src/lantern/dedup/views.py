"""Review queue pages: the queue, one pair side by side, the decisions on it, and starting a run. Thin: parse
input → call a service or selector → render. Reads of personal data are audited here.

Decision forms post normally and work without JavaScript; with htmx they post in place and the page swaps in
the decision panel only (`dedup/includes/decision.html`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.authz.gate import can
from lantern.authz.views import allowed
from lantern.web import idempotency
from lantern.web.pagination import paginate

from . import selectors, services
from .forms import DecisionForm, RunForm, UndoForm
from .models import MatchPair, Verdict
from .presenters import agreements, fields_shown, side_by_side

PAGE_SIZE = 25
STALE = gettext_lazy("This form was already sent once with other content. Check the page and send it again.")
QUEUE_TITLES = {
    "review": gettext_lazy("To review"),
    "linked": gettext_lazy("Linked automatically"),
    "decided": gettext_lazy("Decided"),
}


@allowed("dedup.review")
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    name = request.GET.get("queue", "review")
    name = name if name in selectors.QUEUES else "review"
    page = paginate(selectors.pair_queue(user, name), PAGE_SIZE, request.GET.get("page"))
    context = {
        "page": page,
        "rows": [(pair, agreements(pair)) for pair in page],
        "queue": name,
        "queues": list(QUEUE_TITLES.items()),
        "queue_title": QUEUE_TITLES[name],
        "query": f"queue={name}",
        "hidden": selectors.hidden_pairs(user, name),
        "last_run": selectors.last_run(),
        "run_form": RunForm() if can(user, "dedup.run", user.organisation) else None,
    }
    return render(request, "dedup/queue.html", context)


@allowed("dedup.run")
def run_now(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("dedup:queue")
    if repeat := idempotency.replay(request):
        return repeat

    def act() -> str:
        run = services.run_linkage(actor=request.user)
        messages.success(
            request,
            _(
                "Linkage finished: %(cases)s cases, %(review)s pairs to review, "
                "%(linked)s linked automatically."
            )
            % {"cases": run.cases, "review": run.to_review, "linked": run.linked},
        )
        return reverse("dedup:queue")

    try:
        return idempotency.run_once(request, act)
    except idempotency.StaleSubmission:
        messages.error(request, STALE)
        return redirect("dedup:queue")


def _decision_context(request: HttpRequest, pair: MatchPair, **forms: Any) -> dict[str, Any]:
    if pair.decision:
        forms.setdefault("undo_form", UndoForm(auto_id="undo_%s"))
    else:
        forms.setdefault("decision_form", DecisionForm(auto_id="decision_%s"))
    error_form = next((form for form in forms.values() if form.errors), None)
    return {
        "pair": pair,
        "reviews": selectors.reviews_of(pair),
        "error_form": error_form,
        "has_errors": error_form is not None,
        **forms,
    }


def _page(request: HttpRequest, pair: MatchPair, **forms: Any) -> HttpResponse:
    user = request.user
    if request.htmx:
        return render(request, "dedup/includes/decision.html", _decision_context(request, pair, **forms))
    groups = selectors.shown_groups(user, pair)
    shown = fields_shown(groups)
    if shown:
        selectors.record_pair_read(user, pair, shown)
    context = {
        **_decision_context(request, pair, **forms),
        "rows": side_by_side(pair, groups),
        "agreements": agreements(pair),
        "can_open": {side: can(user, "case.view", getattr(pair, side)) for side in ("left", "right")},
    }
    return render(request, "dedup/pair.html", context)


@allowed("dedup.review")
def pair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, selectors.access_pair(request.user, pk))


def _in_place(request: HttpRequest, pk: int) -> Callable[[str], HttpResponse]:
    """Where a decision done (now, or by the first click) goes: with htmx, the new panel in place."""
    if not request.htmx:
        return HttpResponseRedirect

    def panel(url: str) -> HttpResponse:
        return _page(request, selectors.access_pair(request.user, pk))

    return panel


@allowed("dedup.review")
def pair_decide(request: HttpRequest, pk: int) -> HttpResponse:
    pair = selectors.access_pair(request.user, pk)
    if request.method != "POST":
        return redirect("dedup:pair", pk=pair.pk)

    def act(form: DecisionForm) -> str:
        data = form.cleaned_data
        decide = (
            services.mark_same_person if data["verdict"] == Verdict.SAME else services.mark_different_persons
        )
        decide(actor=request.user, pair=pair, reason=data["reason"])
        if data["verdict"] == Verdict.SAME:
            messages.success(request, _("Recorded: the two cases are the same person."))
        else:
            messages.success(request, _("Recorded: the two cases are different persons."))
        return reverse("dedup:pair", args=[pair.pk])

    form, response = idempotency.submit_once(
        request, lambda data: DecisionForm(data, auto_id="decision_%s"), act, done=_in_place(request, pk)
    )
    if response is not None:
        return response
    return _page(request, pair, decision_form=form)  # refused: the pair again, with the error


@allowed("dedup.review")
def pair_undo(request: HttpRequest, pk: int) -> HttpResponse:
    pair = selectors.access_pair(request.user, pk)
    if request.method != "POST":
        return redirect("dedup:pair", pk=pair.pk)

    def act(form: UndoForm) -> str:
        services.undo_decision(actor=request.user, pair=pair, reason=form.cleaned_data["reason"])
        messages.success(request, _("The decision was undone; the pair is proposed again."))
        return reverse("dedup:pair", args=[pair.pk])

    form, response = idempotency.submit_once(
        request, lambda data: UndoForm(data, auto_id="undo_%s"), act, done=_in_place(request, pk)
    )
    if response is not None:
        return response
    return _page(request, pair, undo_form=form)  # refused: the pair again, with the error
