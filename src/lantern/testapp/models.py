from django.db import models

from lantern.audit.models import AuditedModel
from lantern.crypto.fields import BlindIndexField, EncryptedTextField


class Dossier(AuditedModel):
    """Stands in for a person record: identifying fields encrypted, a blind index for search."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    family_name = EncryptedTextField()
    family_name_index = BlindIndexField(source="family_name")
    date_of_birth = EncryptedTextField(blank=True)
    notes = EncryptedTextField(blank=True)
    reference = models.CharField(max_length=20, blank=True)
