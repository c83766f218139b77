"""A screening interview, from the setting to the stored result, and the record of processed form submissions.

The indicator ids and answer values stored here are those of the catalogue (`catalogue.py`) and the interview
content (`data/`); the rules that change a screening live in `services.py`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.audit.models import AuditedModel
from lantern.crypto.fields import EncryptedJSONField, EncryptedTextField


class Status(models.TextChoices):
    SETTING = "setting", _("Setting up")
    CONSENT = "consent", _("Asking for consent")
    INTERVIEW = "interview", _("Interview")
    COMPLETED = "completed", _("Completed")
    STOPPED_NO_CONSENT = "stopped_no_consent", _("Stopped: no consent")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    ANOTHER = "another", _("Another gender")


class GenderPreference(models.TextChoices):
    NO_PREFERENCE = "no_preference", _("The person had no preference")
    MET = "met", _("Their preference was met")
    NOT_MET = "not_met", _("Their preference could not be met")
    NOT_ASKED = "not_asked", _("The person was not asked")


class Consent(models.TextChoices):
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")


class AgeGroup(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    ADULT = "adult", _("18 or over")
    APPEARS_MINOR = "appears_minor", _("Not known, and the person may be under 18")
    UNKNOWN = "unknown", _("Not known, and nothing suggests the person is under 18")


class Answer(models.TextChoices):
    """Only YES counts as an observed indicator. DECLINED is "prefers not to say", never a "no"."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNSURE = "unsure", _("Not sure")
    DECLINED = "declined", _("Prefers not to say")


class Outcome(models.TextChoices):
    PRESUMED_VICTIM = "presumed-victim", _("Refer for identification")
    FURTHER_ASSESSMENT = "further-assessment", _("Further assessment needed")
    NO_INDICATORS = "no-indicators", _("No indicators found")


# Most serious first: the overall outcome of a screening is the most serious of its instruments'.
OUTCOME_SEVERITY = [Outcome.PRESUMED_VICTIM, Outcome.FURTHER_ASSESSMENT, Outcome.NO_INDICATORS]
CHILD_AGE_GROUPS = frozenset({AgeGroup.UNDER_18, AgeGroup.APPEARS_MINOR})
LOCK_MINUTES = 15  # as long as the inactivity sign-out of roles that see personal data


def _in(field: str, choices: type[models.TextChoices], *, blank: bool = True) -> Q:
    allowed = list(choices.values) + ([""] if blank else [])
    return Q(**{f"{field}__in": allowed})


class Screening(AuditedModel):
    """One screening of one person, anonymous unless a reference is given. Changed only through services."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="screenings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="screenings_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SETTING)
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)

    # Identifying or free-text data: encrypted, optional (a preliminary screening can be anonymous).
    person_reference = EncryptedTextField(_("reference for the person"))
    notes = EncryptedTextField(_("notes"))
    # The case this screening led to (`services.open_case_from_screening`, `services.attach_screening`).
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="screenings"
    )

    # The setting of the interview (WHO recommendations: interpreter, gender, privacy, children).
    setting_recorded_at = models.DateTimeField(null=True, blank=True)
    interview_language = models.CharField(_("language of the interview"), max_length=8, blank=True)
    screener_language = models.CharField(_("language of the screener"), max_length=8, blank=True)
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    interpreter_gender = models.CharField(
        _("gender of the interpreter"), max_length=10, choices=Gender.choices, blank=True
    )
    interviewer_gender = models.CharField(
        _("gender of the interviewer"), max_length=10, choices=Gender.choices, blank=True
    )
    gender_preference = models.CharField(
        _("preference for the gender of interviewer and interpreter"),
        max_length=16,
        choices=GenderPreference.choices,
        blank=True,
    )
    gender_preference_unmet_reason = EncryptedTextField(_("why the preference could not be met"))
    private_space = models.BooleanField(_("private space"), default=False)
    child_friendly = models.BooleanField(_("child-friendly mode"), default=False)

    consent = models.CharField(_("informed consent"), max_length=10, choices=Consent.choices, blank=True)
    consent_at = models.DateTimeField(_("consent recorded"), null=True, blank=True)
    age_group = models.CharField(_("age"), max_length=16, choices=AgeGroup.choices, blank=True)

    # Catalogue ids: first signs ("fs.*") seen without asking; answers {indicator id: Answer}.
    first_signs = models.JSONField(default=list, blank=True)
    answers = EncryptedJSONField(default=dict, blank=True)  # indicators of exploitation: encrypted
    themes_saved = models.JSONField(default=list, blank=True)  # theme pages saved at least once

    # Stored on completion: {"population", "outcome", "instruments": {id: engine result}, "scored_at"}.
    result = EncryptedJSONField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    # Optimistic concurrency: a write names the version it was based on; a mismatch is a conflict.
    version = models.PositiveIntegerField(default=1)
    # Edit lock: who is interviewing now, so a second user gets a clear message instead of a lost update.
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="screenings_locked",
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    lock_expires_at = models.DateTimeField(null=True, blank=True)

    # Lock renewals and the version counter change on every save; recording them would drown the trail.
    audit_exclude_fields = frozenset({"version", "updated_at", "lock_expires_at"})

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        indexes = [models.Index(fields=["organisation", "status", "-updated_at"])]
        constraints = [
            models.CheckConstraint(
                condition=_in("status", Status, blank=False), name="screening_status_valid"
            ),
            models.CheckConstraint(condition=_in("consent", Consent), name="screening_consent_valid"),
            models.CheckConstraint(condition=_in("age_group", AgeGroup), name="screening_age_group_valid"),
            models.CheckConstraint(condition=_in("outcome", Outcome), name="screening_outcome_valid"),
            models.CheckConstraint(
                condition=_in("interpreter_gender", Gender) & _in("interviewer_gender", Gender),
                name="screening_gender_valid",
            ),
            models.CheckConstraint(
                condition=_in("gender_preference", GenderPreference), name="screening_preference_valid"
            ),
            models.CheckConstraint(
                condition=Q(consent="") | Q(consent_at__isnull=False), name="screening_consent_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.INTERVIEW, Status.COMPLETED]) | Q(consent=Consent.GIVEN),
                name="screening_interview_needs_consent",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.STOPPED_NO_CONSENT) | Q(consent=Consent.REFUSED),
                name="screening_stopped_means_refused",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=Status.COMPLETED, completed_at__isnull=False, result__isnull=False)
                    & ~Q(outcome="")
                )
                | (~Q(status=Status.COMPLETED) & Q(completed_at__isnull=True, outcome="")),
                name="screening_completed_has_result",
            ),
            models.CheckConstraint(
                condition=Q(locked_by__isnull=True, lock_expires_at__isnull=True, locked_at__isnull=True)
                | Q(locked_by__isnull=False, lock_expires_at__isnull=False, locked_at__isnull=False),
                name="screening_lock_complete",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="screening_version_positive"),
        ]

    def __str__(self) -> str:
        return _("Screening %(number)s") % {"number": self.pk}

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    @property
    def is_finished(self) -> bool:
        return self.status in (Status.COMPLETED, Status.STOPPED_NO_CONSENT)

    @property
    def interview_allowed(self) -> bool:
        """Questions may be asked only with consent, and not after completion."""
        return self.consent == Consent.GIVEN and self.status == Status.INTERVIEW

    def lock_holder(self, now: Any = None) -> Any:
        """The user holding an unexpired edit lock, or None."""
        now = now or timezone.now()
        if self.locked_by_id and self.lock_expires_at and self.lock_expires_at > now:
            return self.locked_by
        return None


class ProcessedSubmission(models.Model):
    """A form submission already acted on, by its idempotency key (see `lantern.web.idempotency`).

    Lives in the screening app because the web app has no tables; any app's forms may use it.
    """

    key = models.CharField(max_length=36, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    payload_digest = models.CharField(max_length=64)
    response_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.key


# The fields of a screening that say something about the person: every read of them is audited.
PERSONAL_FIELDS = ["person_reference", "notes", "gender_preference_unmet_reason", "answers", "first_signs"]
