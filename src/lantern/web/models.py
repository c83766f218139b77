"""The web app's one table: API calls already acted on, by Idempotency-Key (`lantern.web.api_idempotency`).

Form submissions have their own table (``screening.ProcessedSubmission``, see `lantern.web.idempotency`): a
form only needs to know where the first send went, an API call needs its whole answer to give it again.
"""

from django.conf import settings
from django.db import models

from lantern.crypto.fields import EncryptedTextField


class ApiIdempotencyKey(models.Model):
    """The answer to one API call, kept so that the same call sent again gets it again, not a second write.

    The body is encrypted like any identifying data: an answer about a case can carry a name.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_digest = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    body = EncryptedTextField(blank=True)
    # The gate checks the first send passed (`authz.gate.passed_checks`): a replay must pass them again.
    gate_checks = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="web_api_key_once_per_user")]

    def __str__(self) -> str:
        return self.key
