"""Campaign pages: the list, a campaign with its materials, create and edit, the materials library, the reach
report (with CSV), material downloads, and the public QR redirect.

Downloads of materials are not audited: they are public material, with no personal data. Creating and
editing campaigns is audited as an ordinary change (`AuditedModel`).
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lantern.authz.gate import can
from lantern.authz.views import allowed, public
from lantern.records.views import attachment
from lantern.web import idempotency, spreadsheets

from . import materials, reach, selectors, services
from .forms import CampaignForm, ReachFilterForm
from .models import LANGUAGES, Campaign


def _library(campaign: Campaign, request: HttpRequest) -> list[dict[str, Any]]:
    """The campaign's materials per language: formats, draft or reviewed, the QR target."""
    return [
        {
            "code": language,
            "name": materials.language_name(language),
            "draft": materials.is_draft(language),
            "qr_url": materials.qr_target(campaign, language, request),
            "formats": [
                (fmt, reverse("campaigns:material", args=[campaign.pk, language, fmt.key]))
                for fmt in materials.FORMATS.values()
            ],
        }
        for language in campaign.languages
        if language in LANGUAGES
    ]


@allowed("campaign.view")
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "campaigns/list.html",
        {
            "campaigns": selectors.campaigns_for(user),
            "can_add": can(user, "campaign.change", user.organisation),
            "can_reach": can(user, "campaign.reach"),
        },
    )


@allowed("campaign.view")
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = selectors.access_campaign(user, pk)
    can_reach = can(user, "campaign.reach", campaign)
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "partners": campaign.partners.all(),
            "library": _library(campaign, request),
            "can_change": can(user, "campaign.change", campaign),
            "can_reach": can_reach,
            "totals": selectors.campaign_totals(campaign) if can_reach else None,
        },
    )


@allowed("campaign.view")
def materials_library(request: HttpRequest) -> HttpResponse:
    """Every visible campaign's materials, per language."""
    campaigns = selectors.campaigns_for(request.user)
    return render(
        request,
        "campaigns/library.html",
        {"entries": [(campaign, _library(campaign, request)) for campaign in campaigns]},
    )


@allowed("campaign.view")
@require_safe
def material_download(request: HttpRequest, pk: int, lang: str, fmt: str) -> HttpResponse:
    campaign = selectors.access_campaign(request.user, pk)
    format_ = materials.FORMATS.get(fmt)
    if format_ is None or lang not in campaign.languages or lang not in LANGUAGES:
        raise Http404
    pdf = materials.render_material(campaign, lang, format_, request)
    return attachment(pdf, "application/pdf", f"campaign-{campaign.pk}-{fmt}-{lang}.pdf")


def _campaign_form(request: HttpRequest, campaign: Campaign | None = None) -> HttpResponse:
    user = request.user
    partners = selectors.partner_choices(user)
    initial = CampaignForm.initial_for(campaign) if campaign else {"languages": ["en"], "active": True}

    def build(data: Any) -> CampaignForm:
        return CampaignForm(data, initial=initial, partner_choices=partners)

    def act(form: CampaignForm) -> str:
        data = dict(form.cleaned_data)
        chosen = data.pop("partners")
        saved = services.save_campaign(actor=user, data=data, partners=chosen, campaign=campaign)
        messages.success(request, _("The campaign was saved."))
        return reverse("campaigns:detail", args=[saved.pk])

    form, response = idempotency.submit_once(request, build, act)
    if response is not None:
        return response
    return render(request, "campaigns/form.html", {"form": form, "campaign": campaign})


@allowed("campaign.change")
def campaign_create(request: HttpRequest) -> HttpResponse:
    return _campaign_form(request)


@allowed("campaign.change")
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _campaign_form(request, selectors.access_campaign(request.user, pk, "campaign.change"))


def _reach_filters(request: HttpRequest) -> tuple[ReachFilterForm, dict[str, Any]]:
    campaigns = selectors.reach_campaigns(request.user)
    form = ReachFilterForm(request.GET or None, campaigns=campaigns)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, {key: filters.get(key) for key in ("campaign", "since", "until")}


@allowed("campaign.reach")
def reach_report(request: HttpRequest) -> HttpResponse:
    form, filters = _reach_filters(request)
    report = selectors.reach_report(request.user, **filters)
    keep = urlencode({k: v for k, v in request.GET.items() if v})
    return render(
        request,
        "campaigns/reach.html",
        {"form": form, "report": report, "csv_url": f"{reverse('campaigns:reach_csv')}?{keep}"},
    )


@allowed("campaign.reach")
@require_safe
def reach_csv(request: HttpRequest) -> HttpResponse:
    _form, filters = _reach_filters(request)
    report = selectors.reach_report(request.user, **filters)
    buffer = io.StringIO()
    writer = spreadsheets.csv_writer(buffer)
    writer.writerow(["campaign", "code", "language", "day", "page_views", "qr_scans"])
    for row in report.rows:
        writer.writerow(
            [
                row.campaign.name,
                row.campaign.code,
                row.language,
                row.day.isoformat(),
                row.views,
                row.scans,
            ]
        )
    writer.writerow(["total", "", "", "", report.total_views, report.total_scans])
    return attachment(buffer.getvalue().encode("utf-8"), "text/csv; charset=utf-8", "campaign-reach.csv")


@public
@require_safe
def qr_redirect(request: HttpRequest, code: str, lang: str) -> HttpResponse:
    """A scanned QR code: count one scan, then open the public pages in that language (no cookie, nothing
    about the person kept)."""
    if lang not in LANGUAGES:
        return HttpResponseRedirect(reverse("public:choose_language"))
    reach.count_qr_scan(code, lang)
    target = reverse("public:home", kwargs={"lang": lang})
    response = HttpResponseRedirect(f"{target}?{urlencode({'c': code})}")
    response["Cache-Control"] = "no-store"  # every scan reaches the server and is counted
    response["Referrer-Policy"] = "no-referrer"
    return response
