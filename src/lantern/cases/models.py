"""An NRM case, its timeline, consents, stage decisions and the access granted to others.

Identifying data is encrypted (names, birth date and age, contact, documents, places, free text). Fields
needed in SQL (stage, deadlines, the "treated as a child" flag, categories for statistics) stay plain. Rules
that change a case live in `services.py`; who may see what in `policies.py`. Later apps (referrals, support
plans, legal track, documents) attach with a ForeignKey to `Case` and write their own `CaseEvent` rows.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from lantern.accounts.models import validate_languages
from lantern.accounts.roles import OrganisationType
from lantern.audit.models import AuditedModel
from lantern.crypto.fields import BlindIndexField, EncryptedTextField

from .fields import FIELD_GROUPS
from .procedure import age
from .procedure.profiles import Profile, get_profile, load_profiles

# Field groups: what a role or an access grant shows of a case (data minimisation by construction), derived
# from the record's field declarations (`fields.py`).
ALL_FIELD_GROUPS = frozenset(FIELD_GROUPS)
PERSONAL_FIELDS = tuple(name for group in FIELD_GROUPS.values() for name in group)


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Another sex or intersex")
    UNKNOWN = "unknown", _("Not known")


class RiskLevel(models.TextChoices):
    UNKNOWN = "unknown", _("Not assessed yet")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


IDENTIFIED_BY_CHOICES = [
    *OrganisationType.choices,
    ("self_referral", _("The person came forward themselves")),
    ("member_of_public", _("A member of the public")),
    ("other", _("Other")),
]


def validate_exploitation_forms(values: object) -> None:
    known = load_profiles().exploitation_forms
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValidationError(_("Forms of exploitation must be a list."))
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValidationError(_("Unknown forms of exploitation: %(forms)s") % {"forms": ", ".join(unknown)})


def new_reference() -> str:
    # Random, not sequential: a reference reveals nothing about how many cases an organisation holds.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    body = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"LT-{body[:4]}-{body[4:]}"


class Case(AuditedModel):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("organisation"),
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    profile = models.CharField(_("NRM profile"), max_length=40)
    stage = models.CharField(_("stage"), max_length=60, db_index=True)
    stage_entered_on = models.DateField(_("stage entered on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases_created"
    )
    case_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases_assigned",
        verbose_name=_("responsible case worker"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sections_completed = models.JSONField(default=list, blank=True)

    # About the person (identifying: encrypted).
    given_names = EncryptedTextField(_("given names"), blank=True)
    family_name = EncryptedTextField(_("family name"), blank=True)
    family_name_index = BlindIndexField(source="family_name")
    aliases = EncryptedTextField(_("other names and aliases"), blank=True)
    date_of_birth = EncryptedTextField(_("date of birth"), blank=True)  # ISO date
    estimated_age = EncryptedTextField(_("estimated age"), blank=True)  # whole years
    appears_minor = models.BooleanField(
        _("there are reasons to believe the person is a child"), default=False
    )
    age_assessed_on = models.DateField(_("age assessed on"), null=True, blank=True)
    treated_as_child = models.BooleanField(
        _("treated as a child"), default=False, db_index=True, editable=False
    )
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    gender_identity = EncryptedTextField(_("gender identity"), blank=True)

    citizenships = CountryField(_("citizenships"), multiple=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True, validators=[validate_languages])
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    interpreter_notes = EncryptedTextField(_("interpreter needs"), blank=True)

    contact = EncryptedTextField(_("how to contact the person safely"), blank=True)
    documents = EncryptedTextField(_("identity and travel documents"), blank=True)
    documents_withheld = models.BooleanField(_("documents withheld by someone else"), default=False)

    exploitation_forms = models.JSONField(
        _("forms of exploitation"), default=list, blank=True, validators=[validate_exploitation_forms]
    )
    recruitment_countries = CountryField(_("countries of recruitment"), multiple=True, blank=True)
    recruitment_places = EncryptedTextField(_("places of recruitment"), blank=True)
    exploitation_countries = CountryField(_("countries of exploitation"), multiple=True, blank=True)
    exploitation_places = EncryptedTextField(_("places of exploitation"), blank=True)
    identified_on = models.DateField(_("date identified"))
    identified_where = EncryptedTextField(_("where the person was identified"), blank=True)
    identified_by = models.CharField(
        _("identified by"), max_length=32, choices=IDENTIFIED_BY_CHOICES, blank=True
    )

    immediate_danger = models.BooleanField(_("in immediate danger"), default=False, db_index=True)
    risk_level = models.CharField(
        _("risk"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.UNKNOWN
    )
    risk_notes = EncryptedTextField(_("safety and risk assessment"), blank=True)
    risk_assessed_on = models.DateField(_("risk assessed on"), null=True, blank=True)

    # The NRM: referral to the competent authority, and deadlines kept for lists and dashboards.
    referred_to = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_referred",
        verbose_name=_("competent authority"),
    )
    referred_on = models.DateField(_("referred on"), null=True, blank=True)
    target_due_on = models.DateField(_("decision due"), null=True, blank=True, db_index=True)
    period_ends_on = models.DateField(_("period ends"), null=True, blank=True, db_index=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    audit_exclude_fields = frozenset({"updated_at"})

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The case list's order within an organisation: lets the first page come from an index walk.
            models.Index(
                fields=["organisation", "target_due_on", "period_ends_on", "-created_at", "-id"],
                name="case_list_order",
            ),
            # The competent authority's list, in the list's order (it may hold most of a country's cases).
            models.Index(
                fields=["referred_to", "target_due_on", "period_ends_on", "-created_at", "-id"],
                name="case_authority_order",
            ),
            # Dashboard panels: "my cases" (latest first) and the authority's queue (longest waiting first).
            models.Index(fields=["referred_to", "-updated_at", "-id"], name="case_authority_recent"),
            models.Index(fields=["referred_to", "stage_entered_on", "id"], name="case_authority_waiting"),
            models.Index(fields=["created_by", "-updated_at", "-id"], name="case_opener_recent"),
            models.Index(fields=["case_worker", "-updated_at", "-id"], name="case_worker_recent"),
            # The same order without the organisation: when a list also holds cases granted by other
            # organisations (organisation = X OR granted), the planner walks this one and stops after a page.
            models.Index(
                fields=["target_due_on", "period_ends_on", "-created_at", "-id"], name="case_list_order_any"
            ),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.reference:
            self.reference = new_reference()
        self.treated_as_child = self.child_on(timezone.localdate())
        super().save(*args, **kwargs)

    # Age ------------------------------------------------------------------------------------------------
    @property
    def birth_date(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self.date_of_birth) if self.date_of_birth else None
        except ValueError:
            return None

    @property
    def age_estimate(self) -> int | None:
        try:
            return int(self.estimated_age) if self.estimated_age not in (None, "") else None
        except ValueError:
            return None

    @property
    def presumed_minor(self) -> bool:
        return age.presumed_minor(
            appears_minor=self.appears_minor, age_assessed=self.age_assessed_on is not None
        )

    def child_on(self, day: dt.date) -> bool:
        return age.treated_as_child(
            born=self.birth_date,
            estimated_age=self.age_estimate,
            appears_minor=self.appears_minor,
            age_assessed=self.age_assessed_on is not None,
            day=day,
        )

    # Profile --------------------------------------------------------------------------------------------
    @property
    def nrm_profile(self) -> Profile:
        return get_profile(self.profile)

    @property
    def stage_label(self) -> str:
        profile = self.nrm_profile
        # Labels come from the profiles file: translated when a catalogue has them.
        return gettext(profile.stage(self.stage).label) if profile.has_stage(self.stage) else self.stage

    @property
    def is_closed(self) -> bool:
        return self.stage == "closed"

    def overdue_on(self, day: dt.date) -> bool:
        return self.target_due_on is not None and self.target_due_on < day


class CaseEvent(AuditedModel):
    """One entry of a case's timeline. Written by services, never changed. `detail` holds no personal data."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Case opened")
        UPDATED = "updated", _("Record updated")
        STAGE_CHANGED = "stage_changed", _("Stage changed")
        REFERRED = "referred", _("Referred to the NRM")
        DECISION = "decision", _("Decision recorded")
        CONSENT_GIVEN = "consent_given", _("Consent recorded")
        CONSENT_REVOKED = "consent_revoked", _("Consent revoked")
        SCREENING_ATTACHED = "screening_attached", _("Screening attached")
        ACCESS_GRANTED = "access_granted", _("Access granted")
        ACCESS_REVOKED = "access_revoked", _("Access revoked")
        DANGER_FLAGGED = "danger_flagged", _("Immediate danger reported")
        LAWYER_ASSIGNED = "lawyer_assigned", _("Lawyer assigned")
        LEGAL_UPDATED = "legal_updated", _("Legal track updated")
        DOCUMENT_ADDED = "document_added", _("Document added")
        ANONYMISED = "anonymised", _("Personal data erased")
        REFERRAL_DRAFTED = "referral_drafted", _("Referral to a service prepared")
        REFERRAL_SENT = "referral_sent", _("Referral to a service sent")
        REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
        REFERRAL_DECLINED = "referral_declined", _("Referral declined")
        REFERRAL_WITHDRAWN = "referral_withdrawn", _("Referral withdrawn")
        REFERRAL_CLOSED = "referral_closed", _("Referral closed")
        NEED_RECORDED = "need_recorded", _("Need added to the support plan")
        NEED_UPDATED = "need_updated", _("Support plan updated")
        OWNER_ASSIGNED = "owner_assigned", _("Case owner assigned")
        HANDOVER_PROPOSED = "handover_proposed", _("Handover proposed")
        HANDOVER_ACCEPTED = "handover_accepted", _("Handover accepted")
        HANDOVER_DECLINED = "handover_declined", _("Handover declined")
        HANDOVER_WITHDRAWN = "handover_withdrawn", _("Handover withdrawn")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    on = models.DateField(_("date"))  # when it happened (may be earlier than `at`, when it was recorded)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    from_stage = models.CharField(max_length=60, blank=True)
    to_stage = models.CharField(max_length=60, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}"


class Purpose(models.TextChoices):
    REFERRAL = "referral", _("Referral to a named organisation")
    COMPETENT_AUTHORITY = "competent_authority", _("Sharing with the NRM competent authority")
    TRANSNATIONAL = "transnational", _("Transfer to another country")
    STATISTICS = "statistics", _("Inclusion in statistics")


class Basis(models.TextChoices):
    PERSON = "person", _("Given by the person")
    GUARDIAN = "guardian", _("Given by the child's guardian or representative")
    BEST_INTERESTS = "best_interests", _("Child: no consent needed, decided in the child's best interests")


class ConsentQuerySet(models.QuerySet):
    def active(self) -> ConsentQuerySet:
        return self.filter(revoked_at__isnull=True)


class Consent(AuditedModel):
    """Consent for one purpose (or, for a child where the profile allows, a best-interests determination)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=24, choices=Purpose.choices)
    basis = models.CharField(_("given by"), max_length=16, choices=Basis.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    recipient_country = CountryField(_("country"), blank=True)
    language = models.CharField(_("language of the explanation"), max_length=8, blank=True)
    interpreter_used = models.BooleanField(_("an interpreter was used"), default=False)
    interpreter = EncryptedTextField(_("interpreter"), blank=True)
    representative = EncryptedTextField(_("guardian or representative"), blank=True)
    best_interests_note = EncryptedTextField(_("best-interests assessment"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    given_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_note = EncryptedTextField(_("reason for revocation"), blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [
            # The revoked consents, which end the grants resting on them (CaseAccessQuerySet.active).
            models.Index(fields=["id"], condition=Q(revoked_at__isnull=False), name="consent_revoked"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(purpose="referral") | Q(organisation__isnull=False),
                name="consent_referral_names_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(purpose="transnational") | ~Q(recipient_country=""),
                name="consent_transnational_names_country",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.purpose}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class Outcome(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")


class Decision(AuditedModel):
    """A stage decision of the NRM competent authority (recorded only by an NRM decision-maker)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    stage = models.CharField(_("decision"), max_length=60)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    decided_on = models.DateField(_("date of the decision"))
    reasons = EncryptedTextField(_("reasons"))  # required by services.record_decision
    is_appeal = models.BooleanField(_("appeal or reconsideration"), default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.stage}:{self.outcome}"


class CaseAccessQuerySet(models.QuerySet):
    def active(self, on: dt.date | None = None) -> CaseAccessQuerySet:
        today = on or timezone.localdate()
        # "Not tied to a revoked consent" as an anti-join on the partial index of revoked consents: a LEFT
        # JOIN to every consent made each case list hash the whole consent table. (Revoking a consent also
        # ends its grants, `services.revoke_consent`; this check holds even if a grant was missed.)
        revoked = Consent.objects.filter(pk=OuterRef("consent_id"), revoked_at__isnull=False)
        return self.filter(
            Q(revoked_at__isnull=True),
            Q(expires_on__isnull=True) | Q(expires_on__gte=today),
            ~Exists(revoked),
        )


class CaseAccess(AuditedModel):
    """Access to one case, for a named user or an organisation, limited to some field groups.

    The hook for referrals (a service provider sees only the referred fields) and for lawyers assigned to a
    case. Tied to a consent when the sharing rests on one: revoking the consent ends the access.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="case_accesses",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="case_accesses"
    )
    field_groups = models.JSONField(default=list)
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="accesses"
    )
    reason = EncryptedTextField(_("reason"), blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_on = models.DateField(_("until"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CaseAccessQuerySet.as_manager()

    class Meta:
        # The live grants of a user or an organisation, with what `active()` checks: each case list reads
        # them, and most grants are ended (referrals closed, consents revoked).
        indexes = [
            models.Index(
                fields=["organisation", "case", "expires_on", "consent"],
                condition=Q(revoked_at__isnull=True, organisation__isnull=False),
                name="case_access_org_live",
            ),
            models.Index(
                fields=["user", "case", "expires_on", "consent"],
                condition=Q(revoked_at__isnull=True, user__isnull=False),
                name="case_access_user_live",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(organisation__isnull=True))
                | (Q(user__isnull=True) & Q(organisation__isnull=False)),
                name="case_access_one_grantee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.user_id or self.organisation_id}"


class HandoverStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Handover(AuditedModel):
    """A case handed from one organisation to another that manages cases (`handovers.py`): proposed by the
    holder, accepted or declined by the receiver. On acceptance the receiver becomes `Case.organisation`."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    from_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="handovers_sent"
    )
    to_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="handovers_received",
        verbose_name=_("organisation"),
    )
    message = EncryptedTextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=HandoverStatus.choices, default=HandoverStatus.PROPOSED
    )
    reason = EncryptedTextField(_("reason"), blank=True)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="+")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        indexes = [models.Index(fields=["to_organisation", "status", "-proposed_at"], name="handover_inbox")]
        constraints = [
            # One open proposal per case: a second one (or a race of two) fails, never splitting the case.
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="proposed"), name="handover_one_open_per_case"
            )
        ]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.from_organisation_id}->{self.to_organisation_id}:{self.status}"
