"""Shared fixtures: named people in two organisations, and clients signed in as them.

Personas (built fresh for each test that asks):
- organisation "own" (a reception centre) and "other" (an NGO in another country);
- in each, one user per role, e.g. ``personas.own["screener"]``, ``personas.other["org_admin"]``; a role that
  such an organisation may not hold (`accounts.grantable`: the NRM decision-maker) belongs to the competent
  authority of the same country instead (``personas.own_authority``, ``personas.other_authority``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from lantern.accounts.grantable import roles_allowed
from lantern.accounts.roles import OrganisationType, Role
from lantern.accounts.tests.factories import OrganisationFactory, UserFactory

# Browser fixtures (`browser`, `page`) for tests marked `browser`.
pytest_plugins = ["lantern.web.tests.browser"]

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls there unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# `make fuzz` (HYPOTHESIS_PROFILE=fuzz): many random examples per property test (see authz/tests/fuzzing.py).
hypothesis_settings.register_profile(
    "fuzz", max_examples=1000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
# Everywhere else: no per-example deadline. CI machines are small and shared; a slow example is no bug, and a
# deadline made property tests fail by chance when the machine was busy.
hypothesis_settings.register_profile("lantern", deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "lantern"))


def _flush_around_audit_triggers() -> None:
    """SQLite's triggers refuse to delete audit records; Django's flush between transactional tests empties
    tables with DELETE there (PostgreSQL truncates, which row triggers do not see). Lift and restore the
    triggers around the test flush only."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from lantern.audit import triggers

    DatabaseOperations = DatabaseWrapper.ops_class  # noqa: N806

    original = DatabaseOperations.sql_flush
    if getattr(original, "lantern_audit", False):
        return

    def sql_flush(self, style, tables, **kwargs):  # type: ignore[no-untyped-def]
        sql = original(self, style, tables, **kwargs)
        if "audit_auditrecord" not in tables and "audit_chainhead" not in tables:
            return sql
        return [*triggers.remove_sql("sqlite"), *sql, *triggers.install_sql("sqlite")]

    sql_flush.lantern_audit = True  # type: ignore[attr-defined]
    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]


_flush_around_audit_triggers()


@dataclass
class Personas:
    own_org: object
    other_org: object
    own_authority: object = None
    other_authority: object = None
    own: dict[str, object] = field(default_factory=dict)
    other: dict[str, object] = field(default_factory=dict)


@pytest.fixture
def personas(db) -> Personas:  # type: ignore[no-untyped-def]
    own_org = OrganisationFactory(
        name="Harbour Reception Centre", type=OrganisationType.RECEPTION_CENTRE, country="GR"
    )
    other_org = OrganisationFactory(name="Northern Outreach NGO", type=OrganisationType.NGO, country="FR")
    own_authority = OrganisationFactory(
        name="National Referral Authority", type=OrganisationType.NRM_AUTHORITY, country="GR"
    )
    other_authority = OrganisationFactory(
        name="Autorité nationale d'identification", type=OrganisationType.NRM_AUTHORITY, country="FR"
    )
    result = Personas(
        own_org=own_org, other_org=other_org, own_authority=own_authority, other_authority=other_authority
    )
    for role in Role:
        for side, org, authority in (("own", own_org, own_authority), ("other", other_org, other_authority)):
            home = org if role in roles_allowed(org.type) else authority
            getattr(result, side)[role.value] = UserFactory(
                organisation=home, roles=[role], username=f"{side}_{role.value}"
            )
    return result


def verify_session(client, user) -> None:  # type: ignore[no-untyped-def]
    """Mark the test client's session as two-factor verified, as django_otp.login would."""
    from lantern.accounts.models import EncryptedTOTPDevice

    device = EncryptedTOTPDevice.objects.filter(
        user=user, confirmed=True
    ).first() or EncryptedTOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


@pytest.fixture
def login_client(client):  # type: ignore[no-untyped-def]
    """``login_client(user)`` → the test client signed in as `user`, with two-factor done."""

    def sign_in(user):  # type: ignore[no-untyped-def]
        client.force_login(user)
        verify_session(client, user)
        return client

    return sign_in
