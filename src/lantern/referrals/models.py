"""The service directory, referrals of a case to a service provider, and the case's support plan (needs).

- `ServiceOffer`: one service an organisation offers, where, in which languages, for whom, and (for
  shelter-type services) how many places are free. Not personal data: every signed-in user may read it.
- `Referral`: a case referred to another organisation's service, sharing only the field groups chosen (from
  those the service needs). Sending it grants the receiving organisation access to those groups, resting on
  the person's consent; revoking the consent ends the access at once.
- `Need`: one assessed need of the person and how it is being met. Support never depends on the person's
  cooperation with the authorities (CETS 197 art. 12(6)): there is deliberately no such field here.

Rules that change these live in `services.py`; who may see what in `policies.py`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import validate_languages
from lantern.accounts.roles import Service
from lantern.audit.models import AuditedModel
from lantern.crypto.fields import EncryptedTextField


class GenderProvision(models.TextChoices):
    ANY = "any", _("Any gender")
    WOMEN = "women", _("Women only")
    MEN = "men", _("Men only")


class AgeProvision(models.TextChoices):
    ANY = "any", _("Adults and children")
    ADULTS = "adults", _("Adults only")
    CHILDREN = "children", _("Children only")


def languages_index(languages: list[str]) -> str:
    """The languages as ",ar,en," so that SQLite and PostgreSQL can both search one with `contains`."""
    codes = sorted({code.strip().lower() for code in languages if code.strip()})
    return f",{','.join(codes)}," if codes else ""


class ServiceOffer(AuditedModel):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="service_offers",
        verbose_name=_("organisation"),
    )
    service = models.CharField(_("service"), max_length=32, choices=Service.choices, db_index=True)
    region = models.CharField(_("region or city"), max_length=100)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    languages = models.JSONField(_("languages"), default=list, blank=True, validators=[validate_languages])
    languages_index = models.CharField(max_length=300, blank=True, editable=False)
    gender = models.CharField(
        _("provision by gender"), max_length=8, choices=GenderProvision.choices, default=GenderProvision.ANY
    )
    ages = models.CharField(
        _("provision by age"), max_length=10, choices=AgeProvision.choices, default=AgeProvision.ANY
    )
    # Shelter-type services count places; both empty when the service is not bound by capacity.
    total_places = models.PositiveIntegerField(_("places in total"), null=True, blank=True)
    free_places = models.PositiveIntegerField(_("free places"), null=True, blank=True)
    phone = models.CharField(_("organisation's phone"), max_length=40, blank=True)
    email = models.EmailField(_("organisation's email"), blank=True)
    active = models.BooleanField(_("offered now"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    audit_exclude_fields = frozenset({"updated_at", "languages_index"})

    class Meta:
        ordering = ["service", "region", "pk"]
        verbose_name = _("service offer")
        verbose_name_plural = _("service offers")
        constraints = [
            models.CheckConstraint(
                condition=(Q(total_places__isnull=True) & Q(free_places__isnull=True))
                | (Q(total_places__isnull=False) & Q(free_places__isnull=False)),
                name="service_offer_places_both_or_neither",
            ),
            models.CheckConstraint(
                condition=Q(free_places__isnull=True) | Q(free_places__lte=models.F("total_places")),
                name="service_offer_free_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_service_display()} ({self.region})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.languages_index = languages_index(self.languages or [])
        super().save(*args, **kwargs)

    @property
    def capacity_bound(self) -> bool:
        return self.total_places is not None

    @property
    def full(self) -> bool:
        return self.capacity_bound and not self.free_places

    def take_place(self) -> bool:
        """An accepted referral takes one free place where places are counted (the caller saves the offer).
        False, and nothing taken, when the places are counted and none is free."""
        if not self.capacity_bound:
            return True
        if self.full:
            return False
        self.free_places = (self.free_places or 0) - 1
        return True

    def give_back_place(self) -> bool:
        """The service ended: its place is free again (never more free places than places in total). True
        when a place was given back (the caller saves the offer)."""
        total, free = self.total_places, self.free_places
        if total is None or free is None or free >= total:
            return False
        self.free_places += 1
        return True


class ReferralKind(models.TextChoices):
    NATIONAL = "national", _("National")
    TRANSNATIONAL = "transnational", _("Transnational (to another country)")


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


class Referral(AuditedModel):
    """A case referred by its organisation to another organisation's service."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    from_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_sent",
        verbose_name=_("referred by"),
    )
    to_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("referred to"),
    )
    offer = models.ForeignKey(
        ServiceOffer, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("service")
    )
    service = models.CharField(_("service"), max_length=32, choices=Service.choices)
    kind = models.CharField(_("type"), max_length=16, choices=ReferralKind.choices)
    field_groups = models.JSONField(_("what is shared"), default=list)
    message = EncryptedTextField(_("what the service should know"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReferralStatus.choices,
        default=ReferralStatus.DRAFT,
        db_index=True,
    )
    # What the sharing rests on, and the access it granted (set when sent).
    consent = models.ForeignKey(
        "cases.Consent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    transnational_consent = models.ForeignKey(
        "cases.Consent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    access = models.ForeignKey(
        "cases.CaseAccess", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    holds_place = models.BooleanField(default=False, editable=False)  # took one of the offer's free places

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(_("withdrawn or closed"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    audit_exclude_fields = frozenset({"updated_at"})

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        # A receiver's referrals waiting for an answer, oldest first (dashboard panel, inbox).
        indexes = [models.Index(fields=["to_organisation", "status", "sent_at", "id"], name="referral_inbox")]
        constraints = [
            models.CheckConstraint(
                # A draft withdrawn before it was sent was never sent: it has no sending time.
                condition=Q(status__in=["draft", "withdrawn"]) | Q(sent_at__isnull=False),
                name="referral_sent_has_sent_at",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "declined"]) | Q(answered_at__isnull=False),
                name="referral_answer_has_answered_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}→{self.to_organisation_id}:{self.service}"

    @property
    def transnational(self) -> bool:
        return self.kind == ReferralKind.TRANSNATIONAL

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def consent_revoked(self) -> bool:
        """A consent the referral rested on was revoked: nothing more is shared."""
        return any(
            consent is not None and consent.revoked_at is not None
            for consent in (self.consent, self.transnational_consent)
        )


class NeedKind(models.TextChoices):
    SAFETY = "safety", _("Safety")
    ACCOMMODATION = "accommodation", _("Accommodation")
    MEDICAL = "medical", _("Medical care")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    LEGAL = "legal", _("Legal counselling and representation")
    INTERPRETATION = "interpretation", _("Interpretation and translation")
    MATERIAL = "material", _("Material support")
    EDUCATION = "education", _("Education and training")
    EMPLOYMENT = "employment", _("Employment")
    FAMILY = "family", _("Family contact and tracing")
    RETURN = "return", _("Voluntary return")
    RESIDENCE = "residence", _("Residence status")


# The directory's service that usually meets each kind of need (pre-fills the search).
SERVICE_FOR_NEED = {
    NeedKind.SAFETY: Service.SHELTER,
    NeedKind.ACCOMMODATION: Service.SHELTER,
    NeedKind.MEDICAL: Service.MEDICAL,
    NeedKind.PSYCHOLOGICAL: Service.PSYCHOLOGICAL,
    NeedKind.LEGAL: Service.LEGAL_AID,
    NeedKind.INTERPRETATION: Service.INTERPRETATION,
    NeedKind.MATERIAL: Service.MATERIAL,
    NeedKind.EDUCATION: Service.EDUCATION,
    NeedKind.EMPLOYMENT: Service.EMPLOYMENT,
    NeedKind.FAMILY: Service.FAMILY_TRACING,
    NeedKind.RETURN: Service.RETURN,
    NeedKind.RESIDENCE: Service.LEGAL_AID,
}


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")


class NeedStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    REFERRED = "referred", _("Referred")
    IN_PROGRESS = "in_progress", _("In progress")
    MET = "met", _("Met")
    DECLINED = "declined", _("Declined by the person")
    NOT_AVAILABLE = "not_available", _("Not available")


# What the service a need was referred to may report about it.
PROVIDER_STATUSES = (
    NeedStatus.IN_PROGRESS,
    NeedStatus.MET,
    NeedStatus.DECLINED,
    NeedStatus.NOT_AVAILABLE,
)


class Need(AuditedModel):
    """One assessed need of the person, in the case's support plan."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(_("need"), max_length=16, choices=NeedKind.choices)
    description = EncryptedTextField(_("the need as assessed"))
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.IDENTIFIED, db_index=True
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="needs"
    )
    offer = models.ForeignKey(
        ServiceOffer, on_delete=models.SET_NULL, null=True, blank=True, related_name="needs"
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    audit_exclude_fields = frozenset({"updated_at"})

    class Meta:
        ordering = ["pk"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}:{self.status}"
