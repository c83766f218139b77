"""Fictional demo organisations and one user per role, for `make run` and browser tests."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from lantern.accounts.models import EncryptedTOTPDevice, Organisation, User
from lantern.accounts.roles import OrganisationType, Role, Service

DEMO_PASSWORD = "lantern-demo-2026"  # noqa: S105  (fictional accounts on a local demo database)

ORGANISATIONS = [
    ("Harbour Reception Centre", OrganisationType.RECEPTION_CENTRE, "GR", ["el", "en", "ar", "fa"], []),
    (
        "Safe Passage NGO",
        OrganisationType.NGO,
        "GR",
        ["el", "en", "fr", "ar"],
        [Service.PSYCHOLOGICAL, Service.INTERPRETATION],
    ),
    (
        "Olive House Shelter",
        OrganisationType.SHELTER,
        "GR",
        ["el", "en"],
        [Service.SHELTER, Service.MATERIAL],
    ),
    (
        "Aegean Health Clinic",
        OrganisationType.HEALTH_PROVIDER,
        "GR",
        ["el", "en"],
        [Service.MEDICAL, Service.PSYCHOLOGICAL],
    ),
    ("Justice Bridge Legal Aid", OrganisationType.LEGAL_AID, "GR", ["el", "en", "fr"], [Service.LEGAL_AID]),
    ("Metropolitan Police Anti-Trafficking Unit", OrganisationType.POLICE, "GR", ["el", "en"], []),
    ("Labour Inspectorate North", OrganisationType.LABOUR_INSPECTORATE, "GR", ["el"], []),
    ("Public Prosecutor's Office", OrganisationType.PROSECUTION, "GR", ["el"], []),
    ("National Referral Authority", OrganisationType.NRM_AUTHORITY, "GR", ["el", "en"], []),
    (
        "Migration Partners International",
        OrganisationType.INTERNATIONAL,
        "FR",
        ["fr", "en", "ar"],
        [Service.RETURN, Service.FAMILY_TRACING],
    ),
]

# username, first name, last name, role, organisation index
USERS = [
    ("screener", "Eleni", "Papadaki", Role.SCREENER, 0),
    ("caseworker", "Amira", "Haddad", Role.CASE_WORKER, 1),
    ("lawyer", "Jean", "Moreau", Role.LAWYER, 4),
    ("provider", "Sofia", "Nikolaou", Role.SERVICE_PROVIDER, 2),
    ("decider", "Nikos", "Georgiou", Role.NRM_DECISION_MAKER, 8),
    ("orgadmin", "Maria", "Ioannou", Role.ORG_ADMIN, 0),
    ("statistics", "Lucas", "Bernard", Role.STATISTICS_VIEWER, 8),
    ("sysadmin", "Dimitra", "Vlachou", Role.SYSTEM_ADMIN, 8),
]


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str
    organisation: str
    totp_secret: str | None
    totp_uri: str | None


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    """Create (or refresh) the demo organisations and users; each personal-data role gets a TOTP device."""
    import base64

    orgs = []
    for name, kind, country, languages, services in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "type": kind,
                "country": country,
                "languages": languages,
                "services": [str(s) for s in services],
                "active": True,
            },
        )
        orgs.append(org)
    logins = []
    for username, first, last, role, org_index in USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@demo.lantern.invalid"
        user.organisation = orgs[org_index]
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.role_grants.exclude(role=role).delete()
        user.role_grants.get_or_create(role=role)
        user.__dict__.pop("roles", None)
        secret = uri = None
        if user.needs_two_factor:
            device = EncryptedTOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = EncryptedTOTPDevice.objects.create(
                    user=user, name="demo authenticator", confirmed=True
                )
            secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
            uri = device.config_url
        logins.append(
            DemoLogin(username, DEMO_PASSWORD, str(Role(role).label), user.organisation.name, secret, uri)
        )
    return logins
