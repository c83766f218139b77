"""The first administrator of a new installation: an organisation, and one person who is both its
organisation administrator and the system administrator. Run once by the installer (`lantern createadmin`).

Nobody is signed in yet, so there is no actor for the gate: this is the one place that creates a system
administrator without one, and it refuses to once any system administrator exists.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.audit.models import AuditRecord
from lantern.audit.services import record

from . import two_factor
from .models import Organisation, User
from .roles import OrganisationType, Role

SYSTEM_ACTOR = "lantern createadmin"


@dataclass(frozen=True)
class FirstAdmin:
    user: User
    created: bool
    # Shown once, when the administrator is created; None when it existed already.
    password: str | None = None
    totp_secret: str | None = None
    totp_uri: str | None = None


def new_password() -> str:
    """A random first password (the administrator changes it, or keeps it in a password manager)."""
    return secrets.token_urlsafe(15)


@transaction.atomic
def create_first_admin(
    *,
    username: str,
    email: str,
    organisation_name: str,
    organisation_type: str = OrganisationType.NRM_AUTHORITY,
    country: str = "GR",
    password: str | None = None,
) -> FirstAdmin:
    """Create the organisation (or reuse one of that name) and its first system administrator, with a
    pending authenticator whose secret is returned once. Idempotent: when a system administrator exists,
    nothing is created and that person is returned (no secret is shown again)."""
    existing = User.objects.filter(role_grants__role=Role.SYSTEM_ADMIN).order_by("pk").first()
    if existing is not None:
        return FirstAdmin(user=existing, created=False)
    organisation, _ = Organisation.objects.get_or_create(
        name=organisation_name, defaults={"type": organisation_type, "country": country}
    )
    user = User(username=username, email=email, organisation=organisation, is_active=True)
    password = password or new_password()
    validate_password(password, user)
    user.set_password(password)
    user.save()
    for role in (Role.SYSTEM_ADMIN, Role.ORG_ADMIN):
        user.role_grants.create(role=role)
    # Unconfirmed: the first sign-in asks for a code from it, and confirms it (the page shows it too).
    TOTPDevice.objects.filter(user=user).delete()
    device = two_factor.pending_device(user)
    record(
        AuditRecord.Action.SYSTEM,
        object_type="accounts.user",
        object_id=str(user.pk),
        actor_label=SYSTEM_ACTOR,
        detail={"operation": "first administrator", "organisation": organisation.pk},
    )
    return FirstAdmin(
        user=user,
        created=True,
        password=password,
        totp_secret=two_factor.secret_base32(device),
        totp_uri=device.config_url,
    )
