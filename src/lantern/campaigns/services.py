"""Writes for campaigns: create and change them (audited as ordinary changes by `AuditedModel`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lantern.audit.models import AuditRecord
from lantern.audit.services import record
from lantern.authz import gate
from lantern.web.dates import check_dates

from .models import LANGUAGES, Campaign, Channel, TargetGroup

CAMPAIGN_FIELDS = (
    "name",
    "aim",
    "target_groups",
    "languages",
    "channels",
    "starts_on",
    "ends_on",
    "other_partners",
    "active",
)


def check_campaign(data: dict[str, Any]) -> dict[str, list[str]]:
    """What is wrong with a campaign's data, per field (the database checks the period again)."""
    errors: dict[str, list[str]] = {}
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if starts and ends and ends < starts:
        errors["ends_on"] = [
            _("The end date must be the same as or after the start date (%(start)s).")
            % {"start": starts.isoformat()}
        ]
    if not data.get("languages"):
        errors["languages"] = [_("Choose at least one language for the campaign's materials.")]
    elif set(data["languages"]) - set(LANGUAGES):
        errors["languages"] = [_("Choose languages from the list.")]
    if set(data.get("target_groups") or ()) - set(TargetGroup.values):
        errors["target_groups"] = [_("Choose target groups from the list.")]
    if set(data.get("channels") or ()) - set(Channel.values):
        errors["channels"] = [_("Choose channels from the list.")]
    return errors


@transaction.atomic
def save_campaign(
    *, actor: Any, data: dict[str, Any], partners: Any = None, campaign: Campaign | None = None
) -> Campaign:
    """Create a campaign of the actor's organisation, or change one (`partners`: the partner organisations,
    None to leave them as they are). Nothing is stored when the data is wrong (for example an end date before
    the start date)."""
    if campaign is None:
        gate.require(actor, "campaign.change", actor.organisation)
        campaign = Campaign(organisation=actor.organisation)
    else:
        gate.require(actor, "campaign.change", campaign)
    unknown = set(data) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValidationError(_("These cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    errors = check_campaign({**{name: getattr(campaign, name) for name in CAMPAIGN_FIELDS}, **data})
    if errors:
        raise ValidationError(errors)
    for name, value in data.items():
        setattr(campaign, name, value)
    campaign.languages = [code for code in LANGUAGES if code in campaign.languages]
    campaign.full_clean(exclude=["organisation", "partners"])
    check_dates(campaign)
    campaign.save()
    if partners is None:
        return campaign
    chosen = {p.pk for p in partners if p.pk != campaign.organisation_id}
    if chosen != set(campaign.partners.values_list("pk", flat=True)):
        campaign.partners.set(chosen)
        # A many-to-many change is not a field of the row: record it as an update of "partners".
        record(AuditRecord.Action.UPDATE, campaign, actor=actor, fields=["partners"])
    return campaign
