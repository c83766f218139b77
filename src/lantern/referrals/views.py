"""Referral pages: the list, preparing a referral of a case, the referral (check and send; answer; withdraw;
close). Thin: parse input → call a service or selector → render. Reads of personal data are audited here.

Buttons that change a referral post once per idempotency key (`lantern.web.idempotency`): a double click
goes where the first click went.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lantern.authz import gate
from lantern.authz.gate import can
from lantern.authz.views import allowed
from lantern.cases import selectors as case_selectors
from lantern.cases.models import Case
from lantern.cases.policies import visible_field_groups
from lantern.cases.presenters import summary
from lantern.web import idempotency
from lantern.web.pagination import paginate

from . import selectors, services
from .forms import AnswerForm, ConfirmForm, NeedStatusForm, ReferralForm
from .models import PROVIDER_STATUSES, NeedStatus, ReferralStatus
from .policies import REFERRABLE_GROUPS, default_groups, is_receiver, is_referrer, shareable_groups
from .presenters import buttons, group_labels, reports_need_status, status_class

PAGE_SIZE = 25
BOXES = ("sent", "received")


@allowed("referral.view")
def referral_list(request: HttpRequest) -> HttpResponse:
    box = request.GET.get("box", "")
    box = box if box in BOXES else ""
    page = paginate(selectors.referral_list(request.user, box=box), PAGE_SIZE, request.GET.get("page"))
    rows = [(referral, status_class(referral.status)) for referral in page]
    return render(
        request,
        "referrals/referral_list.html",
        {"page": page, "rows": rows, "box": box, "query": f"box={box}" if box else ""},
    )


def _offer_from(value: Any, offers: Any) -> Any:
    try:
        return offers.filter(pk=int(value)).first() if value else None
    except (TypeError, ValueError):
        return None


@allowed("referral.create")
def referral_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Prepare a referral of the case: the service (pre-filled from the directory), what it may see
    (pre-ticked for the service), the needs it meets."""
    user = request.user
    case = gate.access(user, "referral.create", Case, case_pk)
    offers = selectors.referral_targets(user)
    needs = selectors.open_needs(user, case)
    if request.method == "POST":

        def act(form: ReferralForm) -> str:
            data = form.cleaned_data
            referral = services.create_referral(
                actor=user,
                case=case,
                offer=data["offer"],
                field_groups=data["field_groups"],
                message=data["message"],
                needs=data.get("needs") or (),
            )
            messages.success(request, _("The referral was prepared. Check it, then send it."))
            return reverse("referrals:detail", args=[referral.pk])

        form, response = idempotency.submit_once(
            request, lambda data: ReferralForm(data, offers=offers, needs=needs), act
        )
        if response is not None:
            return response
    else:
        offer = _offer_from(request.GET.get("offer"), offers)
        groups = shareable_groups(offer.service) if offer else REFERRABLE_GROUPS
        initial: dict[str, Any] = {
            "offer": offer,
            "field_groups": list(default_groups(offer.service)) if offer else [],
        }
        need = request.GET.get("need", "")
        if need.isdigit():
            initial["needs"] = [int(need)]
        form = ReferralForm(initial=initial, offers=offers, needs=needs, groups=groups)
    return render(request, "referrals/referral_form.html", {"case": case, "form": form})


def _shared(request: HttpRequest, referral: Any, referrer: bool, receiver: bool, access_active: bool) -> Any:
    """The case's data in the referred field groups: a preview for the referrer before sending; for the
    receiver while its access lasts (and only what the grant shows). Audited."""
    user, case = request.user, referral.case
    if referrer and referral.status == ReferralStatus.DRAFT:
        groups = frozenset(referral.field_groups)
    elif receiver and access_active:
        groups = frozenset(referral.field_groups) & visible_field_groups(user, case)
    else:
        return []
    if groups:
        case_selectors.record_case_read(user, case, groups)
    return summary(case, groups)


# The form behind each button `presenters.buttons` offers.
BUTTON_FORMS = {"send": ConfirmForm, "withdraw": ConfirmForm, "answer": AnswerForm, "close": ConfirmForm}


def _detail(request: HttpRequest, referral: Any, **forms: Any) -> HttpResponse:
    user = request.user
    referrer, receiver = is_referrer(user, referral), is_receiver(user, referral)
    access_active = selectors.access_active(referral)
    show_message = referrer or (receiver and access_active)
    shown = [name for name in ("message", "decline_reason") if getattr(referral, name)]
    if not show_message and "message" in shown:
        shown.remove("message")
    selectors.record_referral_read(user, referral, shown)
    status = referral.status
    for name in buttons(user, referral):
        forms.setdefault(f"{name}_form", BUTTON_FORMS[name](auto_id=f"{name}_%s"))
    needs = []
    for need in selectors.needs_of_referral(user, referral):
        form = None
        if reports_need_status(user, need, receiver=receiver):
            form = NeedStatusForm(
                initial={"status": need.status}, statuses=PROVIDER_STATUSES, auto_id=f"need{need.pk}_%s"
            )
        needs.append((need, form))
    if needs:
        selectors.record_referral_read(user, referral, ["needs"])
    context = {
        "referral": referral,
        "case": referral.case,
        "referrer": referrer,
        "receiver": receiver,
        "access_active": access_active,
        "show_message": show_message,
        "shared": _shared(request, referral, referrer, receiver, access_active),
        "groups": group_labels(referral.field_groups),
        "consent": selectors.consent_check(referral) if referrer and status == ReferralStatus.DRAFT else None,
        "can_open_case": receiver and access_active and can(user, "case.view", referral.case),
        "needs": needs,
        "status_class": status_class(status),
        "error_form": next((form for form in forms.values() if form.errors), None),
        "has_errors": any(form.errors for form in forms.values()),
        **forms,
    }
    return render(request, "referrals/referral_detail.html", context)


@allowed("referral.view")
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.access_referral(request.user, pk))


@allowed("referral.send")
def referral_send(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.access_referral(request.user, pk, "referral.send")
    if request.method != "POST":
        return redirect("referrals:detail", pk=referral.pk)

    def act(form: ConfirmForm) -> str:
        services.send_referral(actor=request.user, referral=referral)
        messages.success(request, _("The referral was sent. You will see the answer here."))
        return reverse("referrals:detail", args=[referral.pk])

    form, response = idempotency.submit_once(request, lambda data: ConfirmForm(data, auto_id="send_%s"), act)
    if response is not None:
        return response
    referral.refresh_from_db()  # refused: the page again, with the error next to the button
    return _detail(request, referral, send_form=form)


@allowed("referral.answer")
def referral_answer(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.access_referral(request.user, pk, "referral.answer")
    if request.method != "POST":
        return redirect("referrals:detail", pk=referral.pk)

    def act(form: AnswerForm) -> str:
        data = form.cleaned_data
        if data["answer"] == "accept":
            services.accept_referral(actor=request.user, referral=referral)
            messages.success(request, _("You accepted the referral."))
        else:
            services.decline_referral(actor=request.user, referral=referral, reason=data["reason"])
            messages.success(request, _("You declined the referral."))
        return reverse("referrals:detail", args=[referral.pk])

    form, response = idempotency.submit_once(request, lambda data: AnswerForm(data, auto_id="answer_%s"), act)
    if response is not None:
        return response
    referral.refresh_from_db()  # refused: the page again, with the error next to the button
    return _detail(request, referral, answer_form=form)


@allowed("referral.withdraw")
def referral_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.access_referral(request.user, pk, "referral.withdraw")
    if request.method != "POST":
        return redirect("referrals:detail", pk=referral.pk)

    def act(form: ConfirmForm) -> str:
        services.withdraw_referral(actor=request.user, referral=referral)
        messages.success(request, _("The referral was withdrawn. Nothing more is shared through it."))
        return reverse("referrals:detail", args=[referral.pk])

    form, response = idempotency.submit_once(
        request, lambda data: ConfirmForm(data, auto_id="withdraw_%s"), act
    )
    if response is not None:
        return response
    referral.refresh_from_db()  # refused: the page again, with the error next to the button
    return _detail(request, referral, withdraw_form=form)


@allowed("referral.close")
def referral_close(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.access_referral(request.user, pk, "referral.close")
    if request.method != "POST":
        return redirect("referrals:detail", pk=referral.pk)

    def act(form: ConfirmForm) -> str:
        services.close_referral(actor=request.user, referral=referral)
        messages.success(request, _("The referral was closed. Nothing more is shared through it."))
        return reverse("referrals:detail", args=[referral.pk])

    form, response = idempotency.submit_once(request, lambda data: ConfirmForm(data, auto_id="close_%s"), act)
    if response is not None:
        return response
    referral.refresh_from_db()  # refused: the page again, with the error next to the button
    return _detail(request, referral, close_form=form)


@allowed("need.update_status")
def need_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The service a need was referred to reports its status (from the referral page)."""
    user = request.user
    need = selectors.access_need(user, pk, "need.update_status")
    owner = can(user, "need.change", need)
    statuses = NeedStatus.values if owner else PROVIDER_STATUSES
    back = (
        reverse("referrals:support_plan", args=[need.case_id])
        if owner or need.referral_id is None
        else reverse("referrals:detail", args=[need.referral_id])
    )
    if request.method != "POST":
        return redirect(back)

    def act(form: NeedStatusForm) -> str:
        services.update_need_status(actor=user, need=need, status=form.cleaned_data["status"])
        messages.success(request, _("The status of the need was saved."))
        return back

    def build(data: Any) -> NeedStatusForm:
        return NeedStatusForm(data, statuses=statuses)

    _form, response = idempotency.submit_once(request, build, act)
    if response is not None:
        return response
    # Invalid, refused or stale: the form is not on this page, so a message says it.
    messages.error(request, _("The status could not be saved: choose one of the statuses offered."))
    return redirect(back)
