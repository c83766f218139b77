"""Organisations, users and role grants."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cached_property
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from lantern.audit.models import AuditedModel
from lantern.crypto.fields import EncryptedTextField

from .grantable import allowed_pairs_q
from .roles import PERSONAL_DATA_ROLES, OrganisationType, Role, Service


def _validate_choices(values: object, choices: type[models.TextChoices], what: str) -> None:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValidationError(_("%(what)s must be a list.") % {"what": what})
    unknown = sorted(set(values) - set(choices.values))
    if unknown:
        raise ValidationError(
            _("Unknown %(what)s: %(values)s") % {"what": what, "values": ", ".join(unknown)}
        )


def validate_services(values: object) -> None:
    _validate_choices(values, Service, _("services"))


def validate_languages(values: object) -> None:
    if not isinstance(values, list) or not all(isinstance(v, str) and 2 <= len(v) <= 8 for v in values):
        raise ValidationError(_("Languages must be a list of language codes such as 'en' or 'ar'."))


class Organisation(AuditedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    country = CountryField(_("country"))
    languages = models.JSONField(_("languages"), default=list, blank=True, validators=[validate_languages])
    services = models.JSONField(
        _("services offered"), default=list, blank=True, validators=[validate_services]
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class LanternUserManager(UserManager["User"]):
    """Named in the initial migration; kept so that the migration history stays valid."""


class User(AbstractUser, AuditedModel):
    """A member of staff. Belongs to exactly one organisation (system administrators to the operator's)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="members", verbose_name=_("organisation")
    )
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)

    REQUIRED_FIELDS = ["email"]
    objects = LanternUserManager()
    audit_exclude_fields = frozenset({"password", "last_login"})

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.pk or not self.is_active:
            return frozenset()
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def sees_personal_data(self) -> bool:
        return bool(self.roles & PERSONAL_DATA_ROLES)

    @property
    def needs_two_factor(self) -> bool:
        return self.sees_personal_data

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in sorted(self.roles)]


class RoleGrant(AuditedModel):
    """One role of one person. `organisation_type` repeats the type of the person's organisation so that the
    database itself refuses a role that organisations of that type may not hold (`grantable`); the services
    keep it in step when an organisation's type changes."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation_type = models.CharField(max_length=32, choices=OrganisationType.choices, editable=False)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user"),
            models.CheckConstraint(condition=allowed_pairs_q(), name="role_allowed_for_organisation_type"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.organisation_type:
            self.organisation_type = self.user.organisation.type
        super().save(*args, **kwargs)


class RoleChange(AuditedModel):
    """A change of a person's roles: shown to the person (their account page) and to their organisation's
    administrators (the person's page in People). Role names only; the audit trail has the same."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_changes")
    changed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("changed by")
    )
    added = models.JSONField(_("roles added"), default=list)
    removed = models.JSONField(_("roles removed"), default=list)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="rolechange_user_at")]

    def added_labels(self) -> list[str]:
        return [str(Role(r).label) for r in self.added if r in Role.values]

    def removed_labels(self) -> list[str]:
        return [str(Role(r).label) for r in self.removed if r in Role.values]


class ApiToken(AuditedModel):
    """A bearer token for the API. Only a SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    audit_exclude_fields = frozenset({"digest", "last_used_at"})

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str, days: int = 90) -> tuple[ApiToken, str]:
        token = "lt_" + secrets.token_urlsafe(32)
        obj = cls.objects.create(
            user=user,
            name=name,
            prefix=token[:10],
            digest=cls.digest_of(token),
            expires_at=timezone.now() + timedelta(days=days),
        )
        return obj, token

    @property
    def usable(self) -> bool:
        return not self.revoked and self.expires_at > timezone.now() and self.user.is_active


class EncryptedTOTPDevice(TimestampMixin, ThrottlingMixin, Device):
    """django-otp's TOTP authenticator with its secret encrypted at rest, like every other secret (a leaked
    database or backup must not give away everyone's second factor); `lantern keys rotate` re-encrypts it.

    The behaviour is django-otp's own: the methods are `TOTPDevice`'s, which read the secret only through
    `bin_key`. The fields are `TOTPDevice`'s, with `key` an `EncryptedTextField`."""

    key = EncryptedTextField(default=default_key)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")

    bin_key = TOTPDevice.bin_key
    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings
