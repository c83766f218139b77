"""Who may see and run awareness campaigns (gate rules, default deny).

Campaigns are not personal data, but they are an organisation's own work: other organisations' campaigns
answer 404.

- `campaign.change` (create and edit campaigns, which includes their materials): the organisation's
  administrators and case workers — the people who do outreach.
- `campaign.view` (the campaign, its materials library and the PDFs): those, the organisation's statistics
  viewers, and the same roles in a partner organisation named on the campaign (partners hand out
  leaflets).
- `campaign.reach` (the reach figures and their CSV): the owning organisation's administrators, case workers
  and statistics viewers. The figures identify nobody, but they are the organisation's to publish.
- Screeners, lawyers, service providers, NRM decision-makers and system administrators: nothing here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lantern.accounts.models import Organisation
from lantern.accounts.roles import Role
from lantern.authz.gate import rule, scope

from .models import Campaign

EDITORS = (Role.ORG_ADMIN, Role.CASE_WORKER)
READERS = (Role.ORG_ADMIN, Role.CASE_WORKER, Role.STATISTICS_VIEWER)


def _organisation_of(obj: Any) -> Any:
    return obj.pk if isinstance(obj, Organisation) else getattr(obj, "organisation_id", None)


def _is_partner(actor: Any, campaign: Any) -> bool:
    if not isinstance(campaign, Campaign) or campaign.pk is None:
        return False
    return campaign.partners.filter(pk=actor.organisation_id).exists()


@rule("campaign.change")
def may_change_campaign(actor: Any, obj: Any) -> bool:
    """obj: a campaign, or the organisation a new campaign would belong to."""
    if not actor.has_role(*EDITORS):
        return False
    return obj is None or _organisation_of(obj) == actor.organisation_id


@scope(Campaign, "campaign.change")
def campaigns_changeable(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(organisation_id=actor.organisation_id)


@rule("campaign.view")
def may_view_campaign(actor: Any, obj: Any) -> bool:
    if not actor.has_role(*READERS):
        return False
    return obj is None or _organisation_of(obj) == actor.organisation_id or _is_partner(actor, obj)


@scope(Campaign, "campaign.view")
def campaigns_visible(actor: Any, qs: QuerySet) -> QuerySet:
    partnered = Campaign.partners.through.objects.filter(organisation_id=actor.organisation_id)
    return qs.filter(Q(organisation_id=actor.organisation_id) | Q(pk__in=partnered.values("campaign_id")))


@rule("campaign.reach")
def may_see_reach(actor: Any, obj: Any) -> bool:
    if not actor.has_role(*READERS):
        return False
    return obj is None or _organisation_of(obj) == actor.organisation_id


@scope(Campaign, "campaign.reach")
def campaigns_with_reach(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(organisation_id=actor.organisation_id)
