"""Revoking a consent ends at once the access of every referral resting on it.

`cases.services.revoke_consent` ends the access grants tied to the revoked consent. A transnational
referral rests on two consents (to the referral, and to the transfer abroad) while its grant names one:
this ends the grant when the other one is revoked too. It runs in the revocation's transaction.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver

from lantern.cases.models import Consent

from .models import Referral


@receiver(post_save, sender=Consent, dispatch_uid="referrals.end_access_on_revocation")
def end_access_on_revocation(sender: type, instance: Consent, raw: bool, **kwargs: Any) -> None:
    if raw or instance.revoked_at is None:
        return
    resting = Referral.objects.filter(
        Q(consent=instance) | Q(transnational_consent=instance),
        access__isnull=False,
        access__revoked_at__isnull=True,
    ).select_related("access")
    for referral in resting:
        access = referral.access
        assert access is not None
        access.revoked_at = instance.revoked_at
        access.save()
