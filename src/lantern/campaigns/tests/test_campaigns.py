"""Creating and changing campaigns: the period is checked by the form, the service and the database; a
wrong period stores nothing; every change is audited."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.accounts.tests.factories import OrganisationFactory
from lantern.audit.models import AuditRecord
from lantern.authz.gate import Denied
from lantern.campaigns import services
from lantern.campaigns.models import Campaign
from lantern.web.idempotency import new_key

from .factories import CampaignFactory

pytestmark = pytest.mark.django_db

END_BEFORE_START = "The end date must be the same as or after the start date (2026-05-01)."


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Safe harvest 2026",
        "aim": "Seasonal farm workers know their rights and the helplines.",
        "target_groups": ["migrant_workers"],
        "languages": ["en", "ar", "ti"],
        "channels": ["leaflets", "outreach"],
        "starts_on": "2026-05-01",
        "ends_on": "2026-09-30",
        "other_partners": "Farm Workers' Union",
        "active": "on",
        "idempotency_key": new_key(),
    }
    data.update(overrides)
    return data


def service_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Safe harvest 2026",
        "aim": "Seasonal farm workers know their rights.",
        "target_groups": ["migrant_workers"],
        "languages": ["ar", "en"],
        "channels": ["leaflets"],
        "starts_on": datetime.date(2026, 5, 1),
        "ends_on": datetime.date(2026, 9, 30),
    }
    data.update(overrides)
    return data


def test_a_case_worker_creates_a_campaign_with_partners(login_client: Any, personas: Any) -> None:
    worker = personas.own[Role.CASE_WORKER]
    response = login_client(worker).post(
        reverse("campaigns:create"), form_data(partners=[personas.other_org.pk]), follow=True
    )

    campaign = Campaign.objects.get()
    assert response.redirect_chain[-1][0] == reverse("campaigns:detail", args=[campaign.pk])
    assert campaign.organisation == personas.own_org
    assert campaign.languages == ["en", "ar", "ti"]
    assert list(campaign.partners.all()) == [personas.other_org]
    assert len(campaign.code) == 10 and campaign.code.isalnum()
    assert "The campaign was saved." in response.content.decode()


def test_an_end_before_the_start_is_refused_with_a_clear_message_and_nothing_stored(
    login_client: Any, personas: Any
) -> None:
    client = login_client(personas.own[Role.CASE_WORKER])
    response = client.post(reverse("campaigns:create"), form_data(ends_on="2026-04-30"))

    assert response.status_code == 200
    assert END_BEFORE_START in response.content.decode()
    assert 'href="#id_ends_on"' in response.content.decode()  # the error summary links to the field
    assert not Campaign.objects.exists()
    assert not AuditRecord.objects.filter(object_type="campaigns.campaign").exists()


def test_the_service_refuses_an_end_before_the_start_too(personas: Any) -> None:
    worker = personas.own[Role.CASE_WORKER]
    with pytest.raises(ValidationError) as refused:
        services.save_campaign(actor=worker, data=service_data(ends_on=datetime.date(2026, 4, 30)))
    assert refused.value.message_dict["ends_on"] == [END_BEFORE_START]
    assert not Campaign.objects.exists()


def test_a_one_day_campaign_is_fine(personas: Any) -> None:
    worker = personas.own[Role.CASE_WORKER]
    day = datetime.date(2026, 5, 1)
    campaign = services.save_campaign(actor=worker, data=service_data(starts_on=day, ends_on=day))
    assert campaign.starts_on == campaign.ends_on == day


def test_the_database_refuses_an_end_before_the_start(personas: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignFactory(
            organisation=personas.own_org,
            starts_on=datetime.date(2026, 5, 1),
            ends_on=datetime.date(2026, 4, 1),
        )
    assert not Campaign.objects.exists()


def test_an_edit_cannot_move_the_end_before_the_start(login_client: Any, personas: Any) -> None:
    campaign = CampaignFactory(organisation=personas.own_org)
    client = login_client(personas.own[Role.ORG_ADMIN])
    response = client.post(
        reverse("campaigns:edit", args=[campaign.pk]), form_data(starts_on="2026-05-01", ends_on="2025-01-01")
    )
    assert END_BEFORE_START in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.ends_on == datetime.date(2030, 12, 31)


def test_unknown_languages_are_refused(personas: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        services.save_campaign(
            actor=personas.own[Role.CASE_WORKER], data=service_data(languages=["en", "de"])
        )
    assert "languages" in refused.value.message_dict


def test_creating_and_changing_a_campaign_is_audited_by_field_names(personas: Any) -> None:
    worker = personas.own[Role.CASE_WORKER]
    campaign = services.save_campaign(actor=worker, data=service_data())
    services.save_campaign(actor=worker, data={"name": "Safe harvest, second round"}, campaign=campaign)

    records = AuditRecord.objects.filter(object_type="campaigns.campaign", object_id=str(campaign.pk))
    assert [r.action for r in records.order_by("pk")] == [
        AuditRecord.Action.CREATE,
        AuditRecord.Action.UPDATE,
    ]
    assert records.order_by("pk").last().fields == ["name"]


def test_the_code_cannot_be_set_through_the_service(personas: Any) -> None:
    with pytest.raises(ValidationError):
        services.save_campaign(actor=personas.own[Role.CASE_WORKER], data=service_data(code="mine"))


def test_a_screener_cannot_create_a_campaign(personas: Any) -> None:
    with pytest.raises(Denied):
        services.save_campaign(actor=personas.own[Role.SCREENER], data=service_data())
    assert not Campaign.objects.exists()


def test_the_own_organisation_is_never_its_own_partner(personas: Any) -> None:
    worker = personas.own[Role.CASE_WORKER]
    partner = OrganisationFactory(name="Harbour Legal Clinic")
    campaign = services.save_campaign(actor=worker, data=service_data(), partners=[personas.own_org, partner])
    assert list(campaign.partners.all()) == [partner]


def test_a_change_of_partners_is_audited(personas: Any) -> None:
    worker = personas.own[Role.CASE_WORKER]
    campaign = services.save_campaign(actor=worker, data=service_data())
    services.save_campaign(actor=worker, data={}, partners=[personas.other_org], campaign=campaign)
    services.save_campaign(actor=worker, data={}, partners=[personas.other_org], campaign=campaign)

    changes = AuditRecord.objects.filter(object_type="campaigns.campaign", fields=["partners"])
    assert changes.count() == 1 and changes.get().actor_id == worker.pk


def test_changing_other_fields_leaves_the_partners_as_they_are(personas: Any) -> None:
    worker = personas.own[Role.CASE_WORKER]
    campaign = services.save_campaign(actor=worker, data=service_data(), partners=[personas.other_org])
    services.save_campaign(actor=worker, data={"name": "Safe harvest, second round"}, campaign=campaign)
    assert list(campaign.partners.all()) == [personas.other_org]
