"""One statistics fact row per case: what counting needs, computed once when the case changes.

The dashboard, the Eurostat tables and the CTDC export read these rows instead of decrypting every case's
birth date on every request. A row holds categories only — no name, no birth date or age in years, no free
text, no reference: the age is kept as a band and a group at registration, and a person's citizenships and
forms of exploitation as ISO / profile codes. It is derived data: `lantern insights refresh` rebuilds it from
the cases (`fact_rows.refresh_all`), and the services that change what it counts keep it current between
rebuilds (`lantern.cases.reactions.case_counted`).

The relation to the case is hidden (``related_name="+"``): the row is not data held about the person that
retention must walk; it follows the case's own erasure (see `fact_rows`) and is deleted with the case.
"""

from __future__ import annotations

from django.db import models


class CaseFact(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    # Whether the case's consents allow inclusion in statistics now (`consents.sharing_allowed_q`).
    counted = models.BooleanField(default=False)
    registered_on = models.DateField()  # the date identified (cut to the month once the case is erased)
    stage_entered_on = models.DateField()
    profile = models.CharField(max_length=40)
    stage = models.CharField(max_length=60)
    status = models.CharField(max_length=10)  # facts.PRESUMED / facts.IDENTIFIED
    sex = models.CharField(max_length=10)
    age_known = models.BooleanField(default=False)
    age_group = models.CharField(max_length=10)  # facts.AGE_GROUPS, at registration
    age_band = models.CharField(max_length=10, blank=True)  # facts.AGE_BANDS code, "" when not known
    citizenships = models.CharField(max_length=100, blank=True)  # ISO codes, comma-separated
    exploitation_forms = models.CharField(max_length=200, blank=True)  # profile codes, comma-separated
    exploitation_country = models.CharField(max_length=2, blank=True)  # the first recorded
    documents_withheld = models.BooleanField(default=False)
    # First-instance decisions: calendar days from referral, and whether the statutory target was met (None:
    # no target, or its clock never started).
    preliminary_days = models.IntegerField(null=True)
    preliminary_met = models.BooleanField(null=True)
    conclusive_days = models.IntegerField(null=True)
    conclusive_met = models.BooleanField(null=True)
    decisions = models.CharField(
        max_length=1000, blank=True
    )  # "kind:outcome" of each decision, space-separated
    # The case's fixed random key for the cell-key perturbation of statistics (`disclosure.record_key`):
    # derived from the case id under a keyring secret, so the same on every rebuild.
    record_key = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["organisation", "counted"], name="insights_fact_scope")]

    def __str__(self) -> str:
        return f"facts of case {self.case_id}"
