"""The legal track of a case: the lawyer, rights information, non-punishment, criminal proceedings, residence
permits and compensation (CETS 197 arts. 12–15 and 26; EU Directive 2011/36/EU arts. 8, 11, 12, 17).

Identifying free text (offences, courts, case numbers, permit numbers, notes) is encrypted; categories, dates
and amounts stay plain for deadlines, the dashboard and statistics. Changes go through `services.py`, which
writes the case's timeline.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lantern.audit.models import AuditedModel
from lantern.crypto.fields import EncryptedTextField


def _check_choice_list(values: object, choices: type[models.TextChoices], what: Any) -> None:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValidationError(_("%(what)s must be a list.") % {"what": what})
    unknown = sorted(set(values) - set(choices.values))
    if unknown:
        raise ValidationError(
            _("Unknown %(what)s: %(values)s") % {"what": what, "values": ", ".join(unknown)}
        )


class OffenceCategory(models.TextChoices):
    IMMIGRATION = "immigration", _("Immigration or residence offences")
    DOCUMENTS = "documents", _("Use of false documents")
    SEX_WORK = "sex_work", _("Offences related to sex work")
    DRUGS = "drugs", _("Drug offences (for example cannabis cultivation)")
    PROPERTY = "property", _("Theft, pickpocketing or other property offences")
    BEGGING = "begging", _("Begging")
    BENEFIT_FRAUD = "benefit_fraud", _("Benefit or financial fraud")
    OTHER = "other", _("Other offences")


def validate_offence_categories(values: object) -> None:
    _check_choice_list(values, OffenceCategory, _("kinds of offence"))


class NonPunishmentStatus(models.TextChoices):
    NOT_RAISED = "not_raised", _("Not raised yet")
    RAISED = "raised", _("Raised with the prosecutor or court")
    ACCEPTED = "accepted", _("Applied: not prosecuted or not penalised")
    REFUSED = "refused", _("Refused")


class LegalTrack(AuditedModel):
    """One per case: the assigned lawyer (through a `CaseAccess` grant) and the non-punishment principle."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="legal_track")
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_tracks",
        verbose_name=_("legal-aid lawyer"),
    )
    lawyer_access = models.ForeignKey(
        "cases.CaseAccess", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    non_punishment_applies = models.BooleanField(_("the non-punishment principle may apply"), default=False)
    non_punishment_categories = models.JSONField(
        _("kinds of offence"),
        default=list,
        blank=True,
        validators=[validate_offence_categories],
    )
    non_punishment_offences = EncryptedTextField(_("offences concerned"), blank=True)
    non_punishment_status = models.CharField(
        _("non-punishment status"),
        max_length=12,
        choices=NonPunishmentStatus.choices,
        default=NonPunishmentStatus.NOT_RAISED,
    )
    non_punishment_raised_on = models.DateField(_("raised on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    audit_exclude_fields = frozenset({"updated_at"})

    class Meta:
        verbose_name = _("legal track")
        verbose_name_plural = _("legal tracks")

    def __str__(self) -> str:
        return f"legal:{self.case_id}"


class InformationMethod(models.TextChoices):
    ORAL = "oral", _("Explained orally")
    WRITTEN = "written", _("Given in writing")
    INTERPRETER = "interpreter", _("Through an interpreter")


def validate_information_methods(values: object) -> None:
    _check_choice_list(values, InformationMethod, _("ways of giving information"))


class RightsInformation(AuditedModel):
    """Information on rights and proceedings given to the person, in a language they understand (art. 15)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="rights_information")
    given_on = models.DateField(_("date given"))
    language = models.CharField(_("language"), max_length=8)
    methods = models.JSONField(
        _("how it was given"),
        default=list,
        validators=[validate_information_methods],
    )
    given_by = EncryptedTextField(_("given by"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("rights information")
        verbose_name_plural = _("rights information")

    def __str__(self) -> str:
        return f"rights:{self.case_id}:{self.given_on}"


class ProceedingRole(models.TextChoices):
    WITNESS = "witness", _("Witness")
    INJURED_PARTY = "injured_party", _("Injured party or victim")
    CIVIL_PARTY = "civil_party", _("Civil party claiming damages")
    DEFENDANT = "defendant", _("Suspect or defendant (see non-punishment)")
    OTHER = "other", _("Other")


class ProceedingStatus(models.TextChoices):
    INVESTIGATION = "investigation", _("Investigation")
    PROSECUTION = "prosecution", _("Prosecution decided")
    TRIAL = "trial", _("Trial")
    APPEAL = "appeal", _("Appeal")
    CLOSED = "closed", _("Closed")


class ProtectiveMeasure(models.TextChoices):
    # EU Directive 2011/36/EU art. 12(4) and 15; Directive 2012/29/EU arts. 23–24.
    NO_VISUAL_CONTACT = "no_visual_contact", _("No visual contact with the defendant")
    REMOTE_TESTIMONY = "remote_testimony", _("Testimony by video link or from another room")
    CLOSED_HEARING = "closed_hearing", _("Hearing without the public")
    IDENTITY_PROTECTION = "identity_protection", _("Identity kept from the defendant or the public")
    NO_PRIVATE_LIFE_QUESTIONS = "no_private_life_questions", _("No unnecessary questions about private life")
    RECORDED_INTERVIEW = "recorded_interview", _("Interview recorded on video and used as evidence")
    SUPPORT_PERSON = "support_person", _("Accompanied by a support person")
    WITNESS_PROTECTION = "witness_protection", _("Witness protection programme")
    OTHER = "other", _("Other")


def validate_measures(values: object) -> None:
    _check_choice_list(values, ProtectiveMeasure, _("protective measures"))


class CriminalProceeding(AuditedModel):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="criminal_proceedings")
    role = models.CharField(_("the person's role"), max_length=16, choices=ProceedingRole.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProceedingStatus.choices,
        default=ProceedingStatus.INVESTIGATION,
    )
    court = EncryptedTextField(_("court or prosecutor's office"), blank=True)
    case_number = EncryptedTextField(_("case number"), blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    measures_requested = models.JSONField(
        _("protective measures requested"), default=list, blank=True, validators=[validate_measures]
    )
    measures_granted = models.JSONField(
        _("protective measures granted"), default=list, blank=True, validators=[validate_measures]
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("criminal proceeding")
        verbose_name_plural = _("criminal proceedings")

    def __str__(self) -> str:
        return f"proceeding:{self.case_id}:{self.pk}"


class Hearing(AuditedModel):
    proceeding = models.ForeignKey(CriminalProceeding, on_delete=models.CASCADE, related_name="hearings")
    on = models.DateField(_("date of the hearing"), db_index=True)
    purpose = EncryptedTextField(_("what the hearing is for"), blank=True)

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")

    def __str__(self) -> str:
        return f"hearing:{self.proceeding_id}:{self.on}"


class PermitType(models.TextChoices):
    RECOVERY_REFLECTION = "recovery_reflection", _("Recovery and reflection period")
    TEMPORARY = "temporary", _("Temporary permit (cooperation with the authorities or personal situation)")
    HUMANITARIAN = "humanitarian", _("Humanitarian or protection grounds")
    OTHER = "other", _("Other")


class PermitOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ResidencePermit(AuditedModel):
    """A residence permit application (CETS 197 arts. 13–14; Directive 2004/81/EC)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="residence_permits")
    type = models.CharField(_("type"), max_length=24, choices=PermitType.choices)
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, db_index=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=PermitOutcome.choices, default=PermitOutcome.PENDING
    )
    permit_number = EncryptedTextField(_("permit or application number"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["applied_on", "pk"]
        verbose_name = _("residence permit")
        verbose_name_plural = _("residence permits")
        constraints = [
            models.CheckConstraint(
                condition=Q(applied_on__isnull=True)
                | Q(expires_on__isnull=True)
                | Q(expires_on__gte=F("applied_on")),
                name="permit_expires_after_application",
                violation_error_message=_("The permit cannot expire before it was applied for."),
            )
        ]

    def __str__(self) -> str:
        return f"permit:{self.case_id}:{self.type}"

    def clean(self) -> None:
        errors = {}
        if self.applied_on and self.decided_on and self.decided_on < self.applied_on:
            errors["decided_on"] = _("The decision cannot come before the application.")
        if self.decided_on and self.expires_on and self.expires_on < self.decided_on:
            errors["expires_on"] = _("The permit cannot expire before it was decided.")
        elif self.applied_on and self.expires_on and self.expires_on < self.applied_on:
            errors["expires_on"] = _("The permit cannot expire before it was applied for.")
        if self.outcome == PermitOutcome.PENDING and self.decided_on:
            errors["outcome"] = _("A decision date is set: record the outcome.")
        if errors:
            raise ValidationError(errors)


class ClaimAgainst(models.TextChoices):
    PERPETRATOR = "perpetrator", _("The perpetrators (criminal or civil proceedings)")
    STATE_SCHEME = "state_scheme", _("The state compensation scheme")
    EMPLOYER = "employer", _("An employer (unpaid wages, labour court)")
    OTHER = "other", _("Other")


class ClaimStatus(models.TextChoices):
    PREPARING = "preparing", _("Being prepared")
    FILED = "filed", _("Filed")
    AWARDED = "awarded", _("Awarded, not paid yet")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CompensationClaim(AuditedModel):
    """A claim for compensation (CETS 197 art. 15; EU Directive art. 17)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="compensation_claims")
    against = models.CharField(_("claim against"), max_length=16, choices=ClaimAgainst.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.PREPARING
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    amount_claimed = models.DecimalField(
        _("amount claimed"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_awarded = models.DecimalField(
        _("amount awarded"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["filed_on", "pk"]
        verbose_name = _("compensation claim")
        verbose_name_plural = _("compensation claims")

    def __str__(self) -> str:
        return f"claim:{self.case_id}:{self.against}"

    def clean(self) -> None:
        errors = {}
        self.currency = (self.currency or "").strip().upper()
        for name in ("amount_claimed", "amount_awarded"):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = _("Enter an amount of zero or more.")
        if not (len(self.currency or "") == 3 and self.currency.isalpha()):
            errors["currency"] = _("Enter a three-letter currency code, for example EUR.")
        if self.filed_on and self.decided_on and self.decided_on < self.filed_on:
            errors["decided_on"] = _("The decision cannot come before the claim was filed.")
        if errors:
            raise ValidationError(errors)
