"""Roles a user can hold, and which of them see personal data (and so need two-factor sign-in)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SCREENER = "screener", _("Frontline screener")
    CASE_WORKER = "case_worker", _("Case worker")
    LAWYER = "lawyer", _("Lawyer")
    SERVICE_PROVIDER = "service_provider", _("Service provider staff")
    NRM_DECISION_MAKER = "nrm_decision_maker", _("NRM decision-maker")
    ORG_ADMIN = "org_admin", _("Organisation administrator")
    STATISTICS_VIEWER = "statistics_viewer", _("Statistics viewer")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


# Every role but statistics viewer can see personal data: victims' (screeners to decision-makers) or
# staff members' and audit trails (administrators). These roles need TOTP and the short inactivity timeout.
PERSONAL_DATA_ROLES = frozenset(Role) - {Role.STATISTICS_VIEWER}


class OrganisationType(models.TextChoices):
    RECEPTION_CENTRE = "reception_centre", _("Reception or identification centre")
    NGO = "ngo", _("NGO")
    SHELTER = "shelter", _("Shelter")
    HEALTH_PROVIDER = "health_provider", _("Health provider")
    LEGAL_AID = "legal_aid", _("Legal aid or lawyers")
    POLICE = "police", _("Police")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate")
    PROSECUTION = "prosecution", _("Prosecution")
    NRM_AUTHORITY = "nrm_authority", _("NRM competent authority")
    INTERNATIONAL = "international", _("International organisation")


class Service(models.TextChoices):
    SHELTER = "shelter", _("Shelter and accommodation")
    MEDICAL = "medical", _("Medical care")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    LEGAL_AID = "legal_aid", _("Legal aid")
    INTERPRETATION = "interpretation", _("Interpretation")
    MATERIAL = "material", _("Material support")
    EDUCATION = "education", _("Education and training")
    EMPLOYMENT = "employment", _("Employment support")
    FAMILY_TRACING = "family_tracing", _("Family contact and tracing")
    RETURN = "return", _("Voluntary return")
    CHILD_PROTECTION = "child_protection", _("Child protection and guardianship")
    SEXUAL_VIOLENCE = (
        "sexual_violence",
        _("Sexual-violence support (crisis or sexual-assault referral centre)"),
    )
    SEXUAL_HEALTH = "sexual_health", _("Sexual and reproductive health")
