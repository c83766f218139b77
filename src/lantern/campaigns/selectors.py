"""Reads for campaigns, always starting from the gate (`gate.visible`), and the reach tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet, Sum

from lantern.accounts.models import Organisation
from lantern.authz import gate

from .materials import language_name
from .models import LANGUAGES, Campaign, ReachCount, ReachKind


def campaigns_for(actor: Any) -> QuerySet[Campaign]:
    return gate.visible(actor, "campaign.view", Campaign).select_related("organisation")


def access_campaign(actor: Any, pk: Any, action: str = "campaign.view") -> Campaign:
    return gate.access(actor, action, Campaign, pk)


def reach_campaigns(actor: Any) -> QuerySet[Campaign]:
    return gate.visible(actor, "campaign.reach", Campaign)


def partner_choices(actor: Any) -> QuerySet[Organisation]:
    """Organisations that may be named as partners: every active one but the actor's own."""
    return (
        gate.visible(actor, "organisation.view", Organisation)
        .filter(active=True)
        .exclude(pk=actor.organisation_id)
    )


@dataclass
class ReachRow:
    campaign: Campaign
    language: str
    day: date
    views: int = 0
    scans: int = 0

    @property
    def language_name(self) -> str:
        return language_name(self.language)


@dataclass
class ReachReport:
    rows: list[ReachRow] = field(default_factory=list)
    # (campaign, language) → (views, scans)
    by_language: dict[tuple[Campaign, str], tuple[int, int]] = field(default_factory=dict)
    total_views: int = 0
    total_scans: int = 0

    @property
    def language_totals(self) -> list[tuple[str, str, int, int, str]]:
        """(campaign, language, views, scans, language name), by campaign then in the languages' order."""
        ordered = sorted(
            self.by_language.items(),
            key=lambda item: (item[0][0].name, item[0][0].pk, LANGUAGES.index(item[0][1])),
        )
        return [
            (campaign.name, language, views, scans, language_name(language))
            for (campaign, language), (views, scans) in ordered
        ]


def reach_report(
    actor: Any, *, campaign: Campaign | None = None, since: date | None = None, until: date | None = None
) -> ReachReport:
    """Page views and QR scans per campaign × language × day, with totals, for the campaigns whose reach the
    actor may see (one query)."""
    campaigns = reach_campaigns(actor)
    if campaign is not None:
        campaigns = campaigns.filter(pk=campaign.pk)
    counts = ReachCount.objects.filter(campaign__in=campaigns).select_related("campaign")
    if since:
        counts = counts.filter(day__gte=since)
    if until:
        counts = counts.filter(day__lte=until)
    rows: dict[tuple[int, str, date], ReachRow] = {}
    for count in counts.order_by("campaign__name", "campaign_id", "day", "language"):
        key = (count.campaign_id, count.language, count.day)
        row = rows.setdefault(key, ReachRow(count.campaign, count.language, count.day))
        if count.kind == ReachKind.PAGE_VIEW:
            row.views += count.count
        else:
            row.scans += count.count
    report = ReachReport(rows=sorted(rows.values(), key=_order))
    for row in report.rows:
        views, scans = report.by_language.get((row.campaign, row.language), (0, 0))
        report.by_language[(row.campaign, row.language)] = (views + row.views, scans + row.scans)
        report.total_views += row.views
        report.total_scans += row.scans
    return report


def _order(row: ReachRow) -> tuple[Any, ...]:
    return (row.campaign.name, row.campaign.pk, row.day, LANGUAGES.index(row.language))


def campaign_totals(campaign: Campaign) -> dict[str, int]:
    """A campaign's views and scans in all (for its page; the caller has checked `campaign.reach`)."""
    sums = {
        kind: total or 0
        for kind, total in ReachCount.objects.filter(campaign=campaign)
        .values_list("kind")
        .annotate(total=Sum("count"))
    }
    return {"views": sums.get(ReachKind.PAGE_VIEW, 0), "scans": sums.get(ReachKind.QR_SCAN, 0)}
